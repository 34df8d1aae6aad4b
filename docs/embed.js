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

  // Only a height from one of our frames' own windows, in our format.
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.origin !== origin || !data || data.type !== "feeling-safe:height") return;
    var height = data.height;
    if (typeof height !== "number" || !isFinite(height)) return;
    var frame = event.source && frameOf(event.source);
    if (!frame) return;
    frame.style.height = Math.round(Math.min(MAX, Math.max(MIN, height))) + "px";
  });

  // Ask each frame for its height: it may have loaded before this script.
  function ask(frame) {
    if (frame.contentWindow) frame.contentWindow.postMessage({ type: "feeling-safe:ping" }, origin);
  }

  function watch() {
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.feelingSafe || !ours(frame)) continue;
      frame.feelingSafe = true;
      frame.addEventListener("load", ask.bind(null, frame));
      ask(frame);
    }
  }

  window.feelingSafeEmbed = { refresh: watch };
  watch();
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
})(window, document);
