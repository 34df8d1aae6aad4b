/* A private self-check. Turns the page's own list of statements into a form,
   then a gentle summary (never a score) and a "my notes" view to print or copy.
   Every word the reader sees about their answers comes from the page itself.
   A statement marked data-sc-harm (a therapist keeping to professional limits)
   is not about repair: any answer but "yes" leads the summary with the page's
   "harm" guidance and links, and stays out of the words and notes meant for
   the therapist.
   Answers live only in this page's memory: nothing is sent, stored or put in
   the URL, and reloading the page clears them. Needs copy-text.js first. */
(function () {
  "use strict";

  const root = document.querySelector("[data-self-check]");
  const tools = window.readerTools;
  if (!root || !tools) return;

  const TEXT = {
    submit: "See my summary",
    clear: "Clear my answers",
    summary: "Your summary",
    ready: "Your summary is ready.",
    cleared: "Your answers are cleared.",
    nothing: "You have not picked any answers yet. Pick the ones that fit, then try again.",
    concern: "What your answers point to",
    unsure: "What you were not sure about",
    yes: "What feels OK right now",
    harm: "About the limits of therapy",
    tellSomeone: "To tell someone you trust, you could say: ",
    read: "Pages to read next",
    say: "Words you could use",
    more: "more words like this",
    notes: "My notes",
    notesHelp: "Tick \u201cAdd to my notes\u201d next to anything above that you want to take to a session. Only what you tick goes here.",
    notesTitle: "My notes for my next session",
    notesEmpty: "Nothing added yet.",
    extra: "Anything else you want to bring up (optional)",
    add: "Add to my notes",
    youSaid: "You said: ",
    couldSay: "I could say: ",
    also: "Also: ",
    copy: "Copy my notes",
    print: "Print my notes",
    copied: "Copied",
    copyFailed: "Could not copy. You can select your notes and copy them yourself.",
  };
  const NEEDS_A_LOOK = ["sometimes", "no"];

  /* An element with attributes and optional text. */
  function make(tag, attributes, text) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(function ([name, value]) {
      node.setAttribute(name, value);
    });
    if (text) node.textContent = text;
    return node;
  }

  function guidance(name) {
    return document.querySelector('[data-sc-guidance="' + name + '"]');
  }

  /* A copy of a page paragraph for the summary, without attributes that must stay unique. */
  function copyOf(node) {
    const clone = node.cloneNode(true);
    clone.removeAttribute("data-sc-guidance");
    clone.removeAttribute("id");
    return clone;
  }

  const scale = Array.from(root.querySelectorAll("[data-sc-scale] [data-value]"), function (li) {
    return { value: li.dataset.value, label: li.textContent.trim() };
  });
  const items = Array.from(root.querySelectorAll("[data-sc-list] > li[data-statement]"), function (li) {
    return {
      id: li.dataset.statement,
      statement: li.querySelector(".sc-statement").textContent.trim(),
      note: li.querySelector(".sc-note"),
      read: li.querySelector(".sc-read"),
      say: li.querySelector(".sc-say"),
      more: li.querySelector(".sc-more"),
      help: li.querySelector(".sc-help"),
      harm: li.hasAttribute("data-sc-harm"),
    };
  });
  if (!scale.length || !items.length) return;

  const chosen = new Set();
  let extraText = "";

  /* --- The form ------------------------------------------------------- */

  const form = make("form", { class: "sc-form", autocomplete: "off", "aria-label": "Self-check" });
  form.addEventListener("submit", function (event) {
    event.preventDefault(); // first, always: answers must never reach the URL
    showSummary();
  });
  form.addEventListener("reset", function () {
    window.setTimeout(clearAll);
  });

  items.forEach(function (item, index) {
    const fieldset = make("fieldset", { class: "sc-question", "data-statement": item.id });
    fieldset.append(make("legend", {}, index + 1 + ". " + item.statement));
    const options = make("div", { class: "sc-options" });
    scale.forEach(function (choice) {
      const label = make("label", { class: "sc-option" });
      label.append(make("input", { type: "radio", name: "sc-" + item.id, value: choice.value }),
        make("span", {}, choice.label));
      options.append(label);
    });
    fieldset.append(options);
    form.append(fieldset);
  });
  const actions = make("div", { class: "sc-actions" });
  actions.append(make("button", { type: "submit", class: "rt-button rt-button--primary" }, TEXT.submit),
    make("button", { type: "reset", class: "rt-button" }, TEXT.clear));
  form.append(actions);

  const summary = make("section", { class: "sc-summary", "aria-labelledby": "sc-summary-title" });
  summary.hidden = true;
  root.querySelectorAll("[data-sc-static], [data-sc-list]").forEach(function (node) {
    node.hidden = true;
  });
  root.append(form, summary);
  const status = tools.liveRegion(root);
  root.classList.add("sc--ready");

  function answerOf(item) {
    const value = form.elements.namedItem("sc-" + item.id).value;
    return scale.find(function (choice) { return choice.value === value; });
  }

  /* --- The summary ---------------------------------------------------- */

  function showSummary() {
    const answered = items.map(function (item) { return { item: item, answer: answerOf(item) }; })
      .filter(function (entry) { return entry.answer; });
    const groups = {
      concern: answered.filter(function (e) { return NEEDS_A_LOOK.includes(e.answer.value); }),
      unsure: answered.filter(function (e) { return e.answer.value === "unsure"; }),
      yes: answered.filter(function (e) { return e.answer.value === "yes"; }),
    };
    const flagged = answered.filter(function (e) { return e.answer.value !== "yes"; });
    const harmed = flagged.filter(function (e) { return e.item.harm; });
    const forSession = flagged.filter(function (e) { return !e.item.harm; });
    const shown = new Set(forSession.map(function (e) { return e.item.id; }));
    chosen.forEach(function (id) { if (!shown.has(id)) chosen.delete(id); });

    notesBox = null;
    const heading = make("h2", { id: "sc-summary-title", tabindex: "-1" }, TEXT.summary);
    summary.replaceChildren(heading);
    if (!answered.length) {
      summary.append(make("p", { "data-sc-group": "none" }, TEXT.nothing));
    } else {
      summary.append(copyOf(guidance("intro")));
      if (harmed.length) summary.append(harmGroup(harmed));
      if (groups.concern.length) summary.append(group("concern", TEXT.concern, groups.concern, true));
      if (groups.unsure.length) summary.append(group("unsure", TEXT.unsure, groups.unsure, true));
      if (groups.yes.length) summary.append(group("yes", TEXT.yes, groups.yes, false));
      summary.append(readNext(flagged));
      if (forSession.length) {
        summary.append(wordsToSay(forSession), notesView());
        renderNotes();
      }
    }
    summary.hidden = false;
    heading.focus();
    tools.announce(status, TEXT.ready);
  }

  /* One group of answers, with the page's guidance for it. */
  function group(name, title, entries, canNote) {
    const section = make("div", { class: "sc-group", "data-sc-group": name });
    section.append(make("h3", {}, title), copyOf(guidance(name)));
    const list = make("ul", { class: "sc-group__list" });
    entries.forEach(function (entry) {
      const li = make("li", { "data-statement": entry.item.id });
      const statementId = "sc-" + name + "-" + entry.item.id;
      li.append(make("p", { class: "sc-group__statement", id: statementId }, entry.item.statement));
      if (canNote) {
        li.append(make("p", { class: "sc-group__answer" }, TEXT.youSaid + entry.answer.label), copyOf(entry.item.note));
      }
      if (canNote && !entry.item.harm) {
        const label = make("label", { class: "sc-add" });
        const box = make("input", { type: "checkbox", value: entry.item.id, "aria-describedby": statementId });
        box.checked = chosen.has(entry.item.id);
        box.addEventListener("change", function () {
          if (box.checked) chosen.add(entry.item.id); else chosen.delete(entry.item.id);
          renderNotes();
        });
        label.append(box, make("span", {}, TEXT.add));
        li.append(label);
      }
      list.append(li);
    });
    section.append(list);
    return section;
  }

  /* First in the summary when a line may have been crossed: the page's own words and links. */
  function harmGroup(entries) {
    const section = make("div", { class: "sc-group sc-group--harm", "data-sc-group": "harm" });
    section.append(make("h3", {}, TEXT.harm), copyOf(guidance("harm")));
    entries.forEach(function (entry) {
      if (!entry.item.say) return;
      const p = make("p", { "data-statement": entry.item.id }, TEXT.tellSomeone);
      p.append(make("q", {}, entry.item.say.textContent.trim()));
      if (entry.item.more) p.append(" (", moreLink(entry.item.more), ")");
      section.append(p);
    });
    return section;
  }

  /* A copy of a "more words like this" link, keeping the embed view's target. */
  function moreLink(link) {
    const more = link.cloneNode(false);
    more.removeAttribute("class");
    more.textContent = TEXT.more;
    return more;
  }

  /* Unique pages to read (and a statement's help link), in statement order; the page's defaults if none. */
  function readNext(entries) {
    const links = entries.length
      ? entries.flatMap(function (e) { return [e.item.read, e.item.help]; })
      : Array.from(document.querySelectorAll(".sc-read-default")).filter(function (a) {
        return !summary.contains(a);
      });
    const seen = new Set();
    const list = make("ul", { "data-sc-group": "read" });
    links.forEach(function (link) {
      if (!link || seen.has(link.href)) return;
      seen.add(link.href);
      const li = make("li");
      const a = link.cloneNode(true);
      a.removeAttribute("class");
      li.append(a);
      list.append(li);
    });
    const section = make("div", { class: "sc-group" });
    section.append(make("h3", {}, TEXT.read), list);
    return section;
  }

  function wordsToSay(entries) {
    const list = make("ul", { "data-sc-group": "say" });
    entries.forEach(function (entry) {
      const li = make("li", { "data-statement": entry.item.id });
      li.append(make("q", {}, entry.item.say.textContent.trim()));
      if (entry.item.more) li.append(" (", moreLink(entry.item.more), ")");
      list.append(li);
    });
    const section = make("div", { class: "sc-group" });
    section.append(make("h3", {}, TEXT.say), list);
    return section;
  }

  /* --- My notes ------------------------------------------------------- */

  let notesBox = null;

  function notesView() {
    const section = make("div", { class: "sc-group sc-notes-view" });
    section.append(make("h3", {}, TEXT.notes), make("p", {}, TEXT.notesHelp));
    notesBox = make("div", { class: "sc-notes", id: "sc-notes", "data-sc-notes": "" });
    const field = make("div", { class: "sc-extra" });
    const area = make("textarea", { id: "sc-extra", rows: "3", autocomplete: "off" });
    area.value = extraText;
    area.addEventListener("input", function () {
      extraText = area.value;
      renderNotes();
    });
    field.append(make("label", { for: "sc-extra" }, TEXT.extra), area);
    const buttons = make("div", { class: "sc-actions" });
    const copyButton = make("button", { type: "button", class: "rt-button rt-button--primary" }, TEXT.copy);
    copyButton.addEventListener("click", async function () {
      const copied = await tools.copy(notesText());
      tools.announce(status, copied ? TEXT.copied : TEXT.copyFailed);
    });
    const printButton = make("button", { type: "button", class: "rt-button" }, TEXT.print);
    printButton.addEventListener("click", printNotes);
    buttons.append(copyButton, printButton);
    section.append(notesBox, field, buttons);
    return section;
  }

  function notedItems() {
    return items.filter(function (item) { return chosen.has(item.id); });
  }

  function renderNotes() {
    if (!notesBox) return;
    notesBox.replaceChildren(make("h4", {}, TEXT.notesTitle));
    const noted = notedItems();
    if (!noted.length && !extraText.trim()) {
      notesBox.append(make("p", { class: "sc-notes__empty" }, TEXT.notesEmpty));
      return;
    }
    const list = make("ul");
    noted.forEach(function (item) {
      const li = make("li", { "data-statement": item.id });
      li.append(make("p", {}, item.statement), make("p", {}, TEXT.youSaid + answerOf(item).label),
        make("p", {}, TEXT.couldSay + "\u201c" + item.say.textContent.trim() + "\u201d"));
      list.append(li);
    });
    if (noted.length) notesBox.append(list);
    if (extraText.trim()) notesBox.append(make("p", { class: "sc-notes__extra" }, TEXT.also + extraText.trim()));
  }

  /* The notes as plain text, for the clipboard. */
  function notesText() {
    const lines = [TEXT.notesTitle, ""];
    notedItems().forEach(function (item) {
      lines.push("- " + item.statement, "  " + TEXT.youSaid + answerOf(item).label,
        "  " + TEXT.couldSay + "\u201c" + item.say.textContent.trim() + "\u201d");
    });
    if (extraText.trim()) lines.push("", TEXT.also + extraText.trim());
    return lines.join("\n");
  }

  /* Print only the notes: a copy of them becomes the one thing on the printed page. */
  function printNotes() {
    const page = document.documentElement;
    document.querySelectorAll(".sc-print-sheet").forEach(function (old) { old.remove(); });
    const sheet = make("div", { class: "sc-print-sheet md-typeset" });
    sheet.append(notesBox.cloneNode(true));
    sheet.firstChild.removeAttribute("id");
    sheet.firstChild.removeAttribute("data-sc-notes");
    document.body.append(sheet);
    page.classList.add("sc-printing-notes");
    const done = function () {
      page.classList.remove("sc-printing-notes");
      sheet.remove();
    };
    window.addEventListener("afterprint", done, { once: true });
    window.print();
  }

  function clearAll() {
    chosen.clear();
    extraText = "";
    notesBox = null;
    summary.replaceChildren();
    summary.hidden = true;
    tools.announce(status, TEXT.cleared);
  }
})();
