/* Pages that promise to store nothing load this before Material's bundle.
   Material saves settings such as the colour scheme through its global
   __md_set; on these pages that becomes a no-op, so nothing is written to
   localStorage or sessionStorage. Saved settings are still read, and the
   colour toggle still works for as long as the page is open. */
if (typeof window.__md_set === "function") {
  window.__md_set = function () {};
}
