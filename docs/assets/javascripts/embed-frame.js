/* Embed view: tell the host page how tall this article is, so its iframe fits it.
   Speaks our own message (read by /embed.js), Pym.js's child message, AMP's
   embed-size message and WordPress's embed messages, so hosts using any of them
   resize the frame (and, in WordPress's sandboxed frame, open our links).
   Private (issue 21): what the host learns must not depend on what the reader does in a
   tool. Heights are rounded up to steps of STEP px, and once the reader answers anything
   (any input, change or submit, or a press of a button) the height is sealed: the frame
   keeps saying the height it had before, and a taller page scrolls inside the frame. Every
   message goes only to the host's own origin: the one the browser stamps on the host's
   first message (embed.js's ping, Pym's width, WordPress's ready), else the parent's
   origin as the browser reports it (location.ancestorOrigins); never to "*".
   Part of Feeling Safe in Therapy; code under the MIT licence. */
(function () {
  "use strict";
  /* The deferred stylesheet loads as media="print"; switch it on (as lean.js does on full pages). */
  Array.prototype.forEach.call(document.querySelectorAll("link[data-lean-deferred]"), function (link) {
    link.media = "all";
  });
  var host = window.parent;
  if (host === window) return; // opened on its own: nothing to fit
  var pymId = new URLSearchParams(location.search).get("childId");
  /* WordPress frames a pasted address sandboxed (scripts, nothing else: no top-window
     links) with a secret in the address; wp-embed.js on the host resizes the frame
     and follows links on "height" and "link" messages carrying that secret. Read
     once: a link to a place on this page changes the address's #part. */
  var wpSecret = (/[#&?]secret=([a-zA-Z0-9]+)/.exec(location.hash) || [])[1];
  var root = document.documentElement;
  var STEP = 240;
  var sent = -1;
  var timer = 0;
  var sealed = 0;    // the height kept once the reader has answered anything (0: not yet)
  var ancestors = location.ancestorOrigins;
  var hostOrigin = ancestors && ancestors.length && ancestors[0] !== "null" ? ancestors[0] : "";

  function contentHeight() {
    // embed.css gives <html> height:auto, so its box is exactly the content; rounded up
    // to a whole step, so small changes say nothing.
    return Math.ceil(root.getBoundingClientRect().height / STEP) * STEP;
  }

  function post(message) {
    if (hostOrigin) host.postMessage(message, hostOrigin);
  }

  function send(always) {
    timer = 0;
    if (!hostOrigin) return; // no host known yet: it will ask
    var height = sealed || contentHeight();
    if (height === sent && !always) return;
    sent = height;
    post({ type: "feeling-safe:height", height: height });
    post({ sentinel: "amp", type: "embed-size", height: height });
    if (pymId) post("pymxPYMx" + pymId + "xPYMxheightxPYMx" + height);
    if (wpSecret) post({ message: "height", value: height, secret: wpSecret });
  }

  /* The reader's first answer: keep the height the page has now, before any tool reacts
     (capture listeners on the document run before the page's own). */
  function seal(event) {
    if (sealed) return;
    if (event.type === "click" && !(event.target.closest && event.target.closest("button, [role=button]"))) return;
    sealed = contentHeight();
  }
  ["input", "change", "submit", "click"].forEach(function (type) {
    document.addEventListener(type, seal, true);
  });

  // Timers, not requestAnimationFrame: browsers pause animation frames in
  // off-screen cross-origin frames, and the host still needs the height.
  function soon() {
    if (!timer) timer = setTimeout(send, 30);
  }

  window.addEventListener("load", soon);
  // Our frame was resized: say the height again even if it did not change,
  // so a host that set a wrong height puts it right.
  window.addEventListener("resize", function () { send(true); });
  document.addEventListener("toggle", soon, true); // <details> opening or closing
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(soon);
  if (window.ResizeObserver) new ResizeObserver(soon).observe(document.body);
  new MutationObserver(soon).observe(document.body, {
    subtree: true, childList: true, attributes: true, characterData: true
  });

  // A host asks again (our script loaded late, or Pym's parent sent the width).
  window.addEventListener("message", function (event) {
    if (event.source !== host) return;
    var data = event.data;
    var asks = (data && data.type === "feeling-safe:ping") ||
      (wpSecret && data && data.message === "ready" && data.secret === wpSecret) ||
      (pymId && typeof data === "string" && data.indexOf("pymxPYMx" + pymId + "xPYMxwidth") === 0);
    if (!asks || event.origin === "null") return;
    hostOrigin = event.origin; // the host announced itself: its origin, as the browser stamps it
    send(true);
  });

  // Links to the guide open in the top window, never inside the frame
  // (the build already marks them; this covers links scripts add later).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || link.getAttribute("href").charAt(0) === "#") return;
    if (wpSecret) {
      /* The sandbox blocks top-window links: ask wp-embed.js to follow it. */
      event.preventDefault();
      post({ message: "link", value: wordPressTarget(link), secret: wpSecret });
    } else if (!link.target) {
      link.target = "_top";
    }
  });

  /* wp-embed.js follows only http(s) links to our own host. Any other link (a source
     elsewhere, a phone number) opens the full page at the same place instead, where
     it works. */
  function wordPressTarget(link) {
    var url = new URL(link.href, location.href);
    if (/^https?:$/.test(url.protocol) && url.host === location.host) return url.href;
    var canonical = document.querySelector("link[rel=canonical]");
    var place = link.closest("[id]");
    return (canonical ? canonical.href : location.href.split("#")[0]) + (place ? "#" + place.id : "");
  }

  send(true);
})();
