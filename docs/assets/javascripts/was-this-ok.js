/* "Was this OK?" (docs/was-this-ok.md).
   Without JavaScript the page lists every situation by kind (overrides/partials/situations.html,
   from data/situations.yml), what the reader can do, words for someone they trust and who hears a
   concern (the short complaint routes). This script adds, from that same page:
   1. A checkbox for each situation (in the data file's order) and "Who was your therapist?" (the
      finder's own choice, complaint-finder.js, shown here too), then one summary of what is ticked:
      whether it crosses a line, that it is not the reader's fault and who hears it, then each item
      with its kind, reason and source, what the reader can do and words for someone they trust.
      Only when every ticked item can be part of therapy does the summary offer words about raising
      it in a session: for a line crossed it never does.
   2. Private notes, with copy, print and save as a text file, and a first draft of a letter to
      the body the reader picks, with how that body says to start.
   Nothing is stored, sent or put in the address: no storage, no cookies, no network, no history.
   Leaving the page or reloading it clears everything. */
(function () {
  "use strict";

  const tool = document.querySelector("[data-ok-tool]");
  const list = document.querySelector("[data-situations]");
  if (!tool || !list) return;
  const helpers = window.readerTools || {};
  const LINE = ["never", "warning-sign"];
  const TEXT = {
    heading: "Check what happened",
    ask: "Tick everything that happened. Nothing you tick is kept or sent.",
    who: "Who was your therapist?",
    whoAny: "I'd rather not say",
    where: "Where did you see them?",
    whereAny: "Anywhere",
    summary: "What you ticked",
    crossed: "What you ticked crosses a line.",
    notFault: "It is not your fault.",
    hears: "Who hears it where you live: ",
    hearsNarrow: "Pick who your therapist was above to narrow this.",
    canBe: "What you ticked can be part of good therapy.",
    canBeMore: " Each item says what good practice looks like.",
    items: "Each thing you ticked",
    todo: "What you can do",
    tell: "Words for someone you trust",
    notesLink: "Write it down, in private",
    updated: function (n) { return "Summary updated: " + n + (n === 1 ? " thing" : " things") + " ticked."; },
    cleared: "Nothing ticked.",
    fields: [["dates", "Dates, and where it happened", "input"], ["what", "What happened", "textarea"],
             ["who", "Who else knows", "textarea"], ["kept", "What you kept, such as messages or receipts", "textarea"]],
    notesTitle: "My notes",
    copyNotes: "Copy my notes", printNotes: "Print my notes", saveNotes: "Save as a text file",
    copied: "Copied.", copyFailed: "Could not copy. You can select the words and copy them yourself.",
    saved: "Saved as a file on this device.",
    draftTitle: "A first draft of a complaint",
    draftHelp: "This turns your notes into a plain letter. Read it, change what you like, and add your name before you send it.",
    sendTo: "Send it to",
    makeDraft: "Make a first draft",
    copyDraft: "Copy the draft", printDraft: "Print the draft", saveDraft: "Save the draft as a text file",
    before: "Before you send it",
    gap: "[Add this here]",
    made: "Your first draft is ready below.",
    more: "What this body can do, and what happens next",
  };

  function make(tag, attrs, text) {
    const element = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { element.setAttribute(name, attrs[name]); });
    if (text !== undefined) element.textContent = text;
    return element;
  }

  /* A copy of a part of the page for the summary: no ids (they stay unique), no copy buttons. */
  function copyOf(node) {
    const copy = node.cloneNode(true);
    copy.removeAttribute("id");
    copy.removeAttribute("data-ok-part");
    copy.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
    copy.querySelectorAll("button").forEach(function (el) { el.remove(); });
    copy.querySelectorAll("[aria-describedby]").forEach(function (el) { el.removeAttribute("aria-describedby"); });
    copy.querySelectorAll("[data-copy-list]").forEach(function (el) { el.removeAttribute("data-copy-list"); });
    return copy;
  }

  function part(name) { return document.querySelector('[data-ok-part="' + name + '"]'); }

  /* --- the situations, read from the list -------------------------------------------------- */
  const kindLabel = {};
  list.querySelectorAll("section[data-kind]").forEach(function (section) {
    const heading = section.querySelector("h3");
    kindLabel[section.getAttribute("data-kind")] = heading ? heading.textContent.trim() : "";
  });
  const situations = Array.from(list.querySelectorAll("li.fst-situation[data-order]")).map(function (li) {
    const name = li.querySelector(".fst-situation__name");
    return {
      id: li.id.replace(/^situation-/, ""),
      kind: li.closest("[data-kind]").getAttribute("data-kind"),
      order: Number(li.getAttribute("data-order")),
      name: (name ? name.textContent : "").trim().replace(/\.$/, ""),
      reason: li.querySelector(".fst-situation__reason"),
    };
  }).sort(function (a, b) { return a.order - b.order; });

  /* --- the question ------------------------------------------------------------------------- */
  const heading = make("h2", { id: "check-what-happened" }, TEXT.heading);
  const ask = make("fieldset", { class: "fst-ok__ask" });
  ask.append(make("legend", {}, TEXT.ask));
  situations.forEach(function (item) {
    const label = make("label", { class: "fst-ok__option" });
    const box = make("input", { type: "checkbox", name: "fst-ok", value: item.id, autocomplete: "off" });
    label.append(box, " " + item.name);
    ask.append(label);
  });

  /* "Who was your therapist?": the finder's own radios (complaint-finder.js) hold the choice;
     these selects set them and follow them, so the routes below narrow too. */
  const finder = document.querySelector("[data-finder]");
  const radios = finder ? Array.from(finder.querySelectorAll('input[name="fst-finder-who"]')) : [];
  const finderWhere = finder ? finder.querySelector("#fst-finder-where") : null;
  const pick = make("div", { class: "fst-ok__pick" });
  let whoSelect = null;
  let whereSelect = null;
  if (radios.length) {
    whoSelect = make("select", { id: "fst-ok-who", autocomplete: "off" });
    whoSelect.append(make("option", { value: "" }, TEXT.whoAny));
    radios.forEach(function (radio) {
      whoSelect.append(make("option", { value: radio.value }, radio.parentElement.textContent.trim()));
    });
    const line = make("p");
    line.append(make("label", { for: "fst-ok-who" }, TEXT.who), " ", whoSelect);
    pick.append(line);
  }
  if (finderWhere) {
    whereSelect = make("select", { id: "fst-ok-where", autocomplete: "off" });
    Array.from(finderWhere.options).forEach(function (option) {
      whereSelect.append(make("option", { value: option.value }, option.value ? option.textContent : TEXT.whereAny));
    });
    const line = make("p");
    const question = finder.querySelector('label[for="fst-finder-where"]');
    line.append(make("label", { for: "fst-ok-where" }, question ? question.textContent.trim() : TEXT.where), " ", whereSelect);
    pick.append(line);
  }

  const summary = make("section", { class: "fst-ok__summary", "aria-labelledby": "fst-ok-summary", hidden: "" });
  const status = helpers.liveRegion ? helpers.liveRegion(tool) : make("p", { role: "status" });
  tool.append(heading, ask, pick, summary);
  if (!status.parentElement) tool.append(status);

  function ticked() {
    const on = new Set(Array.from(ask.querySelectorAll("input:checked")).map(function (box) { return box.value; }));
    return situations.filter(function (item) { return on.has(item.id); });
  }

  function chosenGroup() {
    const radio = radios.find(function (r) { return r.checked; });
    return radio ? radio.value : "";
  }

  /* A clinic build's own way to raise a concern (partials/complaint-routes.html), shown first there. */
  const clinicRoute = document.querySelector(".fst-routes .fst-route--clinic");
  const clinicHeading = clinicRoute && clinicRoute.previousElementSibling;
  const CLINIC = "clinic-route";

  /* The bodies that hear it: the clinic's own route first (a clinic build), then the picked group's
     (as the finder narrowed them for the place), or, with no pick, the "not sure" group's; each a
     link to its place below. */
  function bodies() {
    const own = clinicHeading && clinicHeading.id
      ? [{ id: CLINIC, name: clinicHeading.textContent.trim(), href: "#" + clinicHeading.id }] : [];
    const group = document.querySelector('.fst-group[data-group="' + (chosenGroup() || "not-sure") + '"]');
    if (!group) return own;
    return own.concat(Array.from(group.querySelectorAll(".fst-group__bodies li")).filter(function (li) {
      return !li.classList.contains("fst-finder-out");
    }).map(function (li) {
      const link = li.querySelector("a");
      const id = link.getAttribute("href").slice("#body-".length);
      return { id: id, name: link.textContent.trim(), href: link.getAttribute("href") };
    }));
  }

  function whoLine() {
    const line = make("p", { class: "fst-ok__who", "data-ok-summary": "who" });
    line.append(make("strong", {}, TEXT.hears));
    bodies().forEach(function (body, index) {
      if (index) line.append(" \u00b7 ");
      line.append(make("a", { href: body.href }, body.name));
    });
    line.append(".");
    return line;
  }

  function show(announce) {
    const items = ticked();
    summary.replaceChildren();
    if (!items.length) {
      summary.hidden = true;
      if (announce) status.textContent = TEXT.cleared;
      refreshRecipients();
      return;
    }
    const crossed = items.some(function (item) { return LINE.indexOf(item.kind) !== -1; });
    summary.append(make("h3", { id: "fst-ok-summary", tabindex: "-1" }, TEXT.summary));
    const verdict = make("p", { class: "fst-ok__verdict", "data-ok-summary": crossed ? "crossed" : "can-be" });
    verdict.append(make("strong", {}, crossed ? TEXT.crossed : TEXT.canBe));
    if (!crossed) verdict.append(TEXT.canBeMore);
    summary.append(verdict);
    if (crossed) {
      /* "Not your fault" leads the page's own sentence on it (with its sources), so the line
         crossed, the fault and who hears it all fit the first phone screen of the summary. */
      const fault = make("div", { class: "fst-ok__fault", "data-ok-summary": "fault" });
      if (part("fault")) fault.append(...copyOf(part("fault")).childNodes);
      const first = fault.querySelector("p") || fault.appendChild(make("p"));
      first.prepend(make("strong", {}, TEXT.notFault), " ");
      summary.append(fault, whoLine());
      if (!chosenGroup() && whoSelect) summary.append(make("p", {}, TEXT.hearsNarrow));
    }
    summary.append(make("h4", {}, TEXT.items));
    const itemList = make("ul", { class: "fst-ok__items" });
    items.forEach(function (item) {
      const li = make("li", { "data-ok-item": item.id, "data-kind": item.kind });
      li.append(make("strong", {}, item.name + "."), " ",
                make("span", { class: "fst-ok__kind fst-ok__kind--" + item.kind }, kindLabel[item.kind] + "."), " ");
      if (item.reason) li.append(...copyOf(item.reason).childNodes);
      itemList.append(li);
    });
    summary.append(itemList);
    if (crossed) {
      summary.append(make("h4", {}, TEXT.todo));
      if (part("do")) summary.append(copyOf(part("do")));
    } else if (part("with-therapist")) {
      summary.append(copyOf(part("with-therapist")));
    }
    summary.append(make("h4", {}, TEXT.tell));
    if (part("tell")) summary.append(copyOf(part("tell")));
    const notes = make("p");
    notes.append(make("a", { href: "#write-it-down" }, TEXT.notesLink));
    summary.append(notes);
    summary.hidden = false;
    if (announce) status.textContent = TEXT.updated(items.length);
    refreshRecipients();
  }

  ask.addEventListener("change", function () { show(true); });
  /* Links within the summary (a body, a source, the notes) move there without changing the
     address, so the address never hints at what was ticked. */
  summary.addEventListener("click", function (event) {
    const link = event.target.closest('a[href^="#"]');
    const target = link && document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!target) return;
    event.preventDefault();
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
    target.scrollIntoView();
  });
  if (whoSelect) {
    whoSelect.addEventListener("change", function () {
      radios.forEach(function (radio) { radio.checked = radio.value === whoSelect.value; });
      finder.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }
  if (whereSelect) {
    whereSelect.addEventListener("change", function () {
      finderWhere.value = whereSelect.value;
      finder.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }
  if (finder) {
    /* complaint-finder.js listens first, so the routes are narrowed before this runs. */
    finder.addEventListener("change", function () {
      if (whoSelect) whoSelect.value = chosenGroup();
      if (whereSelect) whereSelect.value = finderWhere.value;
      show(false);
    });
    /* "Show everyone again" clears the finder without a change event. */
    finder.addEventListener("click", function () {
      window.setTimeout(function () {
        if (whoSelect && whoSelect.value !== chosenGroup()) { whoSelect.value = chosenGroup(); show(false); }
      }, 0);
    });
  }

  /* --- notes and the first draft ------------------------------------------------------------- */
  const notesBox = document.querySelector("[data-ok-notes]");
  const fields = {};
  let recipient = null;
  let letter = null;
  let guidance = null;

  function noteValue(key) { return fields[key] ? fields[key].value.trim() : ""; }

  function notesText() {
    const lines = [TEXT.notesTitle, ""];
    TEXT.fields.forEach(function (field) {
      lines.push(field[1] + ":", noteValue(field[0]) || "-", "");
    });
    const items = ticked();
    if (items.length) {
      lines.push(TEXT.summary + ":");
      items.forEach(function (item) { lines.push("- " + item.name + " (" + kindLabel[item.kind] + ")"); });
    }
    return lines.join("\n").trim() + "\n";
  }

  function card(id) { return document.querySelector('.fst-card[data-body="' + id + '"]'); }

  function fact(id, key) {
    const found = card(id) && card(id).querySelector('[data-fact="' + key + '"]');
    if (!found) return "";
    const copy = copyOf(found);
    copy.querySelectorAll('a[href^="#source-"]').forEach(function (a) { a.remove(); });
    return copy.textContent.replace(/\s*\(\s*(;\s*)*\)/g, "").replace(/\s+/g, " ").trim();
  }

  function address(id) {
    const link = id === CLINIC ? clinicRoute.querySelector(".fst-route__reach a")
      : card(id) && card(id).querySelector('a[data-fact="url"]');
    return link ? { label: link.textContent.trim(), href: link.href } : null;
  }

  function refreshRecipients() {
    if (!recipient) return;
    const before = recipient.value;
    recipient.replaceChildren();
    bodies().forEach(function (body) { recipient.append(make("option", { value: body.id }, body.name)); });
    if (Array.from(recipient.options).some(function (o) { return o.value === before; })) recipient.value = before;
  }

  function letterText() {
    const id = recipient.value;
    const option = recipient.selectedOptions[0];
    const name = option ? option.textContent : "";
    const where = address(id);
    const group = chosenGroup();
    const groupName = group && group !== "not-sure" && whoSelect ? whoSelect.selectedOptions[0].textContent : "";
    const lines = ["To: " + name];
    if (where) lines.push(/^https?:/.test(where.href) ? where.label + ": " + where.href : where.label);
    lines.push("", "Date: " + TEXT.gap, "", "A concern about a therapist", "",
               "I would like to raise a concern about a therapist I saw" +
               (groupName ? " (" + groupName.charAt(0).toLowerCase() + groupName.slice(1) + ")" : "") + ".",
               "Their name, and where they work: " + TEXT.gap, "");
    lines.push("What happened:", noteValue("what") || TEXT.gap, "");
    lines.push("When and where:", noteValue("dates") || TEXT.gap, "");
    lines.push("Who else knows:", noteValue("who") || TEXT.gap, "");
    lines.push("What I have kept, such as messages or receipts:", noteValue("kept") || TEXT.gap, "");
    lines.push("Please tell me what happens next, and what else you need from me.", "",
               "Yours sincerely,", "", "[Your name]", "[How to reach you]");
    return lines.join("\n") + "\n";
  }

  /* A note or draft printed alone, set as a letter (print.css). */
  function printSheet(text) {
    if (helpers.printAlone) helpers.printAlone(make("div", { class: "fst-letter-sheet" }, text));
  }

  function save(text, name) {
    const url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
    const link = make("a", { href: url, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  function say(region, message) {
    if (helpers.announce) helpers.announce(region, message);
    else region.textContent = message;
  }

  async function copyText(text) {
    return helpers.copy ? helpers.copy(text) : false;
  }

  function buttons(spec, region) {
    const row = make("p", { class: "fst-ok__actions" });
    spec.forEach(function (entry) {
      const button = make("button", { type: "button", class: "rt-button", "data-ok-action": entry[0] }, entry[1]);
      button.addEventListener("click", entry[2]);
      row.append(button);
    });
    return row;
  }

  if (notesBox) {
    const form = make("form", { class: "fst-notes__form", autocomplete: "off", "aria-label": TEXT.notesTitle });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    const notesStatus = helpers.liveRegion ? helpers.liveRegion(form) : make("p", { role: "status" });
    TEXT.fields.forEach(function (field) {
      const id = "fst-note-" + field[0];
      const control = make(field[2], { id: id, name: id, autocomplete: "off", spellcheck: "false" });
      if (field[2] === "textarea") control.setAttribute("rows", "4");
      else control.setAttribute("type", "text");
      fields[field[0]] = control;
      const line = make("p", { class: "fst-notes__field" });
      line.append(make("label", { for: id }, field[1]), control);
      form.append(line);
    });
    form.append(buttons([
      ["copy-notes", TEXT.copyNotes, async function () {
        say(notesStatus, (await copyText(notesText())) ? TEXT.copied : TEXT.copyFailed);
      }],
      ["print-notes", TEXT.printNotes, function () { printSheet(notesText()); }],
      ["save-notes", TEXT.saveNotes, function () { save(notesText(), "my-notes.txt"); say(notesStatus, TEXT.saved); }],
    ]));

    form.append(make("h3", { id: "first-draft" }, TEXT.draftTitle), make("p", {}, TEXT.draftHelp));
    recipient = make("select", { id: "fst-ok-to", autocomplete: "off" });
    const toLine = make("p");
    toLine.append(make("label", { for: "fst-ok-to" }, TEXT.sendTo), " ", recipient);
    form.append(toLine);
    guidance = make("div", { class: "fst-ok__before", hidden: "" });
    letter = make("div", { class: "fst-letter", role: "region", "aria-label": TEXT.draftTitle, tabindex: "-1", hidden: "" });
    const draftActions = buttons([
      ["copy-draft", TEXT.copyDraft, async function () {
        say(notesStatus, (await copyText(letter.textContent)) ? TEXT.copied : TEXT.copyFailed);
      }],
      ["print-draft", TEXT.printDraft, function () { printSheet(letter.textContent); }],
      ["save-draft", TEXT.saveDraft, function () { save(letter.textContent, "first-draft.txt"); say(notesStatus, TEXT.saved); }],
    ]);
    draftActions.hidden = true;
    form.append(buttons([["make-draft", TEXT.makeDraft, function () {
      letter.textContent = letterText();
      guidance.replaceChildren(make("h4", {}, TEXT.before));
      const facts = make("ul");
      [["start", "How to start"], ["anonymity", "Your name"]].forEach(function (entry) {
        const text = fact(recipient.value, entry[0]);
        if (text) { const li = make("li"); li.append(make("strong", {}, entry[1] + ": "), text); facts.append(li); }
      });
      const where = address(recipient.value);
      if (where) {
        const li = make("li");
        li.append(make("strong", {}, "Where to start: "), make("a", { href: where.href }, where.label));
        facts.append(li);
      }
      const routesPage = document.querySelector("a[data-ok-routes]");
      if (routesPage && recipient.value && recipient.value !== CLINIC) {
        const li = make("li");
        li.append(make("a", { href: routesPage.getAttribute("href").split("#")[0] + "#body-" + recipient.value },
                       TEXT.more));
        facts.append(li);
      }
      guidance.append(facts);
      guidance.hidden = !facts.childElementCount;
      letter.hidden = false;
      draftActions.hidden = false;
      say(notesStatus, TEXT.made);
      letter.focus();
    }]]), guidance, letter, draftActions);
    notesBox.append(form);
    notesBox.hidden = false;
    if (part("notes-privacy")) part("notes-privacy").hidden = false;  /* said only where the notes are */
    refreshRecipients();
  }

  /* Leaving clears it all, so the back button does not bring the answers back. */
  window.addEventListener("pagehide", function () {
    ask.querySelectorAll("input").forEach(function (box) { box.checked = false; });
    Object.keys(fields).forEach(function (key) { fields[key].value = ""; });
    if (letter) { letter.textContent = ""; letter.hidden = true; }
    show(false);
  });

  tool.hidden = false;
})();
