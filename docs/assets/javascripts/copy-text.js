/* Copy buttons for ready-to-say sentences.
   Each list item inside [data-copy-list] gets a "Copy" button; a polite live
   region says "Copied". Without JavaScript the sentences stay plain text.
   Also exposes readerTools for the tools' notes (the self-check, "Was this OK?"):
   copy(text), a live region, and printAlone(sheet), which prints one sheet alone. */
(function () {
  "use strict";

  /* Put text on the clipboard; true if it worked. Falls back to a hidden
     textarea where the Clipboard API is missing or blocked (e.g. in a frame). */
  async function copy(text) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (error) {
      const focused = document.activeElement;
      const area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "rt-offscreen";
      document.body.append(area);
      area.select();
      let copied = false;
      try {
        copied = document.execCommand("copy");
      } catch (ignored) {
        copied = false;
      }
      area.remove();
      if (focused) focused.focus();
      return copied;
    }
  }

  /* A visually hidden polite live region, created before anything changes. */
  function liveRegion(parent) {
    const region = document.createElement("p");
    region.className = "rt-visually-hidden";
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    parent.append(region);
    return region;
  }

  /* Say `message` in the region, clearing it first so a repeat is announced. */
  function announce(region, message) {
    region.textContent = "";
    window.setTimeout(function () { region.textContent = message; }, 100);
  }

  /* Print `sheet` (an element made for it) as the only thing on paper; it goes after printing. */
  function printAlone(sheet) {
    const page = document.documentElement;
    document.querySelectorAll(".rt-print-sheet").forEach(function (old) { old.remove(); });
    sheet.classList.add("rt-print-sheet");
    document.body.append(sheet);
    page.classList.add("rt-printing");
    window.addEventListener("afterprint", function () {
      page.classList.remove("rt-printing");
      sheet.remove();
    }, { once: true });
    window.print();
  }

  window.readerTools = { copy: copy, liveRegion: liveRegion, announce: announce, printAlone: printAlone };

  const lists = document.querySelectorAll("[data-copy-list]");
  if (!lists.length) return;
  const status = liveRegion(lists[0].parentElement);
  let count = 0;

  lists.forEach(function (list) {
    list.querySelectorAll("li").forEach(function (item) {
      const sentence = document.createElement("span");
      sentence.id = "say-" + (++count);
      sentence.className = "rt-sentence";
      sentence.append(...item.childNodes);
      const button = document.createElement("button");
      button.type = "button";
      button.className = "rt-copy";
      button.textContent = "Copy";
      button.setAttribute("aria-describedby", sentence.id);
      button.addEventListener("click", async function () {
        const copied = await copy(sentence.textContent.trim());
        button.classList.toggle("rt-copy--done", copied);
        announce(status, copied ? "Copied" : "Could not copy. You can select the words and copy them yourself.");
      });
      item.classList.add("rt-copyable");
      item.append(sentence, button);
    });
  });
})();
