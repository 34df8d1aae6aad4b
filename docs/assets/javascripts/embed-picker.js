/* "Embed this guide": pick a page, see it live, copy the snippet.
   The build writes every option's snippet and preview address into the menu
   (scripts/embed.py page_picker); this only swaps them in. Without JavaScript
   the page shows the first page's snippet and every page's address. */
(function () {
  "use strict";
  var form = document.querySelector(".fs-embed-picker__form");
  if (!form) return;
  var menu = form.querySelector("select");
  var button = form.querySelector("[data-fs-copy]");
  var status = form.querySelector("[role=status]");
  var code = document.getElementById("fs-embed-snippet");
  var preview = document.querySelector(".fs-embed-picker__preview");

  function show() {
    var option = menu.options[menu.selectedIndex];
    code.textContent = option.getAttribute("data-snippet");
    var src = new URL(option.getAttribute("data-preview"), location.href).href;
    if (preview.src !== src) preview.src = src;
    status.textContent = "";
  }

  function selectSnippet() {
    var range = document.createRange();
    range.selectNodeContents(code);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  button.addEventListener("click", function () {
    var text = code.textContent;
    var done = function () { status.textContent = "Copied. Paste it into your page's HTML."; };
    var fallback = function () {
      selectSnippet();
      status.textContent = "Selected. Press Ctrl+C (or Cmd+C) to copy.";
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
  });

  menu.addEventListener("change", show);
  form.hidden = false;
  show();
})();
