/* For pages that promise nothing about the reader leaves the page (the
   self-check, the conversation starters). Loaded before anything can run.

   1. Material saves settings such as the colour scheme through its global
      __md_set. Here that becomes a no-op, so nothing is written to
      localStorage or sessionStorage. Saved settings are still read, and the
      colour toggle still works while the page is open.
   2. Material's bundle (loaded when a reader reaches for search) fetches a
      sitemap.xml beside every <link rel="alternate">, including the oEmbed
      discovery link, which points at the canonical host: that can be another
      host than the one serving this page. Discovery tools read the HTML
      source, not the live page, so removing the link here costs nothing. */
(function () {
  "use strict";
  if (typeof window.__md_set === "function") {
    window.__md_set = function () {};
  }
  document.querySelectorAll('link[rel="alternate"][type="application/json+oembed"]').forEach(function (link) {
    link.remove();
  });
})();
