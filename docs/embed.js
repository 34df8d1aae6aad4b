/*! Feeling Safe in Therapy embed.js (MIT licence). Fits each embedded page's
   iframe to its content. No dependencies, no cookies, no tracking. */
(function (window, document) {
  "use strict";
  if (window.feelingSafeEmbed) return; // pasted twice: one listener is enough
  var script = document.currentScript;
  if (!script) return;
  var origin = new URL(script.src, location.href).origin;
  var MIN = 80;
  var MAX = 60000;

  function ours(frame) {
    try {
      return new URL(frame.src, location.href).origin === origin;
    } catch (error) {
      return false;
    }
  }

  function frameOf(source) {
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === source && ours(frames[i])) return frames[i];
    }
    return null;
  }

  function px(style, name) {
    return parseFloat(style.getPropertyValue(name)) || 0;
  }

  // Through the CSSOM, not a style attribute: a host's `style-src 'self'` allows it.
  function fit(frame, height) {
    var cap = parseInt(frame.getAttribute("data-max-height"), 10); // an oEmbed maxheight
    height = Math.min(MAX, cap > 0 ? cap : MAX, Math.max(MIN, height));
    var style = getComputedStyle(frame);
    // A host's border-box sizing counts border and padding inside the height.
    if (style.boxSizing === "border-box") {
      height += px(style, "border-top-width") + px(style, "border-bottom-width") +
        px(style, "padding-top") + px(style, "padding-bottom");
    }
    frame.style.display = "block";
    frame.style.height = Math.ceil(height) + "px";
    var quote = frame.previousElementSibling; // the snippet's link, for where frames cannot show
    if (quote && quote.className === "fs-embed-fallback") quote.style.display = "none";
  }

  // Only a height from one of our frames' own windows, in our format.
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.origin !== origin || !data || data.type !== "feeling-safe:height") return;
    var height = data.height;
    if (typeof height !== "number" || !isFinite(height)) return;
    var frame = event.source && frameOf(event.source);
    if (frame) fit(frame, height);
  });

  // Ask each frame for its height: it may have loaded before this script. The ping also
  // announces this page's origin (the browser stamps it on the message, so it cannot be
  // forged), the only origin the frame then sends its heights to. It says nothing else,
  // so it goes to any origin: a frame not loaded yet (lazy, still about:blank) has another
  // origin than ours, and a named target would log an error there.
  function ask(frame) {
    if (frame.contentWindow) frame.contentWindow.postMessage({ type: "feeling-safe:ping" }, "*");
  }

  function watch() {
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.feelingSafe || !ours(frame)) continue;
      frame.feelingSafe = true;
      frame.style.display = "block";
      frame.addEventListener("load", ask.bind(null, frame));
      ask(frame);
    }
  }

  window.feelingSafeEmbed = { refresh: watch };
  watch();
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
})(window, document);
