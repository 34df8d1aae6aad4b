/* A private self-check. Turns the page's own list of statements into a form,
   then a short, gentle summary (never a score) and a "my notes" view to print or copy.
   The summary leads with what matters most (a line crossed; then "not really",
   "sometimes", "not sure", in the page's order), offers at most three sentences
   to say, names the other answers in a line, and always ends with Get help.
   Its guidance comes from the page itself (the "Reading your answers" section,
   which is hidden once the form is here, so it is not read twice).
   A statement marked data-sc-harm (professional limits, privacy) is not about
   repair: any answer the scale does not mark data-sc-fine leads the summary
   with what the reader said, as a fact, and the page's "harm" guidance; the
   pages to read next are that statement's own (the line crossed, raising a
   concern, Get help), and the summary then holds no words for the therapist
   and no notes for a session, only a sentence for someone the reader trusts.
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
    undo: "Undo",
    summary: "Your summary",
    ready: "Your summary is ready.",
    cleared: "Your answers are cleared. Your written note is kept.",
    restored: "Your answers are back.",
    nothing: "You have not picked any answers yet. Pick the ones that fit, then try again.",
    first: "What matters most",
    tellSomeone: "To tell someone you trust: ",
    harmSaid: "You said ",
    harmTo: " to: ",
    read: "Read next",
    say: "Words you could use",
    more: "more words like these",
    also: "You also marked: ",
    fine: "Going well: ",
    notes: "My notes",
    notesHelp: "Tick \u201cAdd to my notes\u201d to keep a sentence here.",
    notesTitle: "My notes for my next session",
    notesEmpty: "Nothing added yet.",
    extra: "Anything else? (optional)",
    add: "Add to my notes",
    youSaid: "You said: ",
    couldSay: "I could say: ",
    alsoNote: "Also: ",
    copy: "Copy my notes",
    print: "Print my notes",
    copied: "Copied",
    copyNothing: "Nothing to copy yet. Tick \u201cAdd to my notes\u201d or write a note first.",
    copyFailed: "Could not copy. You can select your notes and copy them yourself.",
  };
  /* What matters most comes first: "not really", then "sometimes", then "not sure". */
  const RANK = { no: 0, sometimes: 1, unsure: 2 };
  const MAX_PHRASES = 3;   // sentences to say, the one for someone you trust included
  const MAX_LEAD = 2;      // things that matter most: a line crossed, then the strongest concern
  const MAX_READS = 2;

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
    clone.hidden = false;  // the page's own copy is hidden once the form is here
    return clone;
  }

  /* "a, b and c" */
  function listed(words) {
    return words.length < 2 ? words.join("") : words.slice(0, -1).join(", ") + " and " + words[words.length - 1];
  }

  const scale = Array.from(root.querySelectorAll("[data-sc-scale] [data-value]"), function (li) {
    return { value: li.dataset.value, label: li.textContent.trim(), fine: li.hasAttribute("data-sc-fine") };
  });
  /* At load, only what the form needs: each statement's id and words. The rest (its note,
     pages to read, words to say) is read when the summary is first needed (`prepare`). */
  const items = Array.from(root.querySelectorAll("[data-sc-list] > li[data-statement]"), function (li) {
    return { id: li.dataset.statement, li: li, statement: li.querySelector(".sc-statement").textContent.trim() };
  });
  if (!scale.length || !items.length) return;

  const chosen = new Set();
  let extraText = "";
  let undoState = null;
  let summary = null;
  let status = null;

  /* What only the summary needs, done once: after the first paint, when the browser is idle,
     or at the reader's first touch of the form, whichever comes first. */
  function prepare() {
    if (summary) return;
    items.forEach(function (item) {
      const li = item.li;
      item.short = li.dataset.short || item.statement;
      item.note = li.querySelector(".sc-note");
      item.reads = Array.from(li.querySelectorAll(".sc-read"));
      item.say = li.querySelector(".sc-say");
      item.more = li.querySelector(".sc-more");
      item.help = li.querySelector(".sc-help");
      item.harm = li.hasAttribute("data-sc-harm");
    });
    summary = make("section", { class: "sc-summary", "aria-labelledby": "sc-summary-title" });
    summary.hidden = true;
    form.after(summary);
    status = tools.liveRegion(root);  // a live region is there before anything is announced
  }

  /* --- The form ------------------------------------------------------- */

  const form = make("form", { class: "sc-form", autocomplete: "off", "aria-label": "Self-check" });
  form.addEventListener("submit", function (event) {
    event.preventDefault(); // first, always: answers must never reach the URL
    showSummary();
  });
  form.addEventListener("change", dropUndo);

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
  actions.append(make("button", { type: "submit", class: "rt-button rt-button--primary" }, TEXT.submit));
  const undoBar = make("p", { class: "sc-undo" });
  undoBar.hidden = true;
  form.append(actions, undoBar);

  root.querySelectorAll("[data-sc-static], [data-sc-list]").forEach(function (node) {
    node.hidden = true;
  });
  /* The page's guidance for answers is what the summary is made of: shown there, not twice. */
  document.querySelectorAll("[data-sc-guide], [data-sc-guidance]").forEach(function (node) {
    node.hidden = true;
  });
  root.append(form);
  root.classList.add("sc--ready");
  ["focusin", "pointerdown"].forEach(function (type) { form.addEventListener(type, prepare, { once: true }); });
  if (window.requestIdleCallback) window.requestIdleCallback(prepare, { timeout: 3000 });
  else window.setTimeout(prepare, 1000);

  function answerOf(item) {
    const value = form.elements.namedItem("sc-" + item.id).value;
    return scale.find(function (choice) { return choice.value === value; });
  }

  /* --- The summary ---------------------------------------------------- */

  function showSummary() {
    prepare();
    dropUndo();
    const answered = items.map(function (item) { return { item: item, answer: answerOf(item) }; })
      .filter(function (entry) { return entry.answer; });
    const flagged = answered.filter(function (e) { return !e.answer.fine; })
      .sort(function (a, b) { return RANK[a.answer.value] - RANK[b.answer.value]; });  // stable: page order within
    const harmed = flagged.filter(function (e) { return e.item.harm; });
    const forSession = flagged.filter(function (e) { return !e.item.harm; });
    const fine = answered.filter(function (e) { return e.answer.fine; });
    // A line crossed is the one thing that counts then: no concern to raise with that therapist,
    // no words for them, no notes for a session with them.
    const lead = harmed.length ? [] : forSession.slice(0, MAX_LEAD - 1);
    const phrases = harmed.length ? [] : forSession.slice(0, MAX_PHRASES);
    const shown = new Set(phrases.map(function (e) { return e.item.id; }));
    chosen.forEach(function (id) { if (!shown.has(id)) chosen.delete(id); });

    notesBox = null;
    const heading = make("h2", { id: "sc-summary-title", tabindex: "-1" }, TEXT.summary);
    summary.replaceChildren(heading);
    if (!answered.length) {
      summary.append(make("p", { "data-sc-group": "none" }, TEXT.nothing));
    } else {
      summary.append(copyOf(guidance("intro")), firstThings(harmed, lead, fine));
      if (phrases.length) summary.append(wordsToSay(phrases));
      const rest = forSession.filter(function (e) { return !lead.includes(e) && !shown.has(e.item.id); });
      if (rest.length) summary.append(shortList("also", TEXT.also, rest));
      // What is going well, in a line; not beside a line crossed, which is the one thing that counts then.
      if (forSession.length && fine.length && !harmed.length) summary.append(shortList("yes", TEXT.fine, fine));
      const reads = readNext(harmed.length ? harmed : flagged, harmed.length > 0);
      if (reads) summary.append(reads);
    }
    const help = copyOf(guidance("help"));
    help.setAttribute("data-sc-group", "help");
    summary.append(help);
    if (phrases.length) {
      summary.append(notesView());
      renderNotes();
    }
    if (answered.length) {
      const clear = make("button", { type: "button", class: "rt-button sc-clear" }, TEXT.clear);
      clear.addEventListener("click", clearAll);
      const end = make("p", { class: "sc-end" });
      end.append(clear);
      summary.append(end);
    }
    summary.hidden = false;
    heading.focus();
    tools.announce(status, TEXT.ready);
  }

  /* What matters most: a line crossed (what the reader said, then the page's guidance and a
     sentence for someone they trust), or else the strongest concern. */
  function firstThings(harmed, lead, fine) {
    const section = make("div", { class: "sc-group sc-group--first", "data-sc-group": "first" });
    section.append(make("h3", {}, TEXT.first));
    if (harmed.length) {
      const harm = make("div", { class: "sc-group--harm", "data-sc-group": "harm" });
      harmed.forEach(function (e) {
        harm.append(make("p", { class: "sc-group__said", "data-statement": e.item.id },
          TEXT.harmSaid + "\u201c" + e.answer.label + "\u201d" + TEXT.harmTo + e.item.statement));
      });
      harm.append(copyOf(guidance("harm")));
      const entry = harmed[0];
      if (entry.item.say) {
        const p = make("p", { "data-statement": entry.item.id }, TEXT.tellSomeone);
        p.append(make("q", {}, entry.item.say.textContent.trim()));
        if (entry.item.more) p.append(" (", moreLink(entry.item.more), ")");
        harm.append(p);
      }
      section.append(harm);
    }
    if (lead.length && !harmed.length) section.append(copyOf(guidance(lead[0].answer.value === "unsure" ? "unsure" : "concern")));
    if (lead.length) {
      const list = make("ul", { class: "sc-group__list", "data-sc-group": "lead" });
      lead.forEach(function (entry) {
        const li = make("li", { "data-statement": entry.item.id });
        li.append(make("p", { class: "sc-group__statement" }, entry.item.statement),
          make("p", { class: "sc-group__answer" }, TEXT.youSaid + entry.answer.label), copyOf(entry.item.note));
        list.append(li);
      });
      section.append(list);
    } else if (!harmed.length && fine.length) {
      section.append(copyOf(guidance("yes")));
    } else if (!harmed.length) {
      section.append(copyOf(guidance("unsure")));
    }
    return section;
  }

  /* Other answers by their short names, in one line: "You also marked: pace and goals." */
  function shortList(name, start, entries) {
    return make("p", { "data-sc-group": name }, start + listed(entries.map(function (e) { return e.item.short; })) + ".");
  }

  /* A copy of a "more words like this" link, keeping the embed view's target. */
  function moreLink(link) {
    const more = link.cloneNode(false);
    more.removeAttribute("class");
    more.textContent = TEXT.more;
    return more;
  }

  /* Unique pages to read, in order of what matters most; the page's defaults if nothing was flagged.
     After a line crossed, every page its statements name (no cap): the line crossed, raising a
     concern, Get help. */
  function readNext(entries, harmShown) {
    const links = entries.length
      ? entries.flatMap(function (e) { return e.item.reads.concat([e.item.help]); })
      : Array.from(document.querySelectorAll(".sc-read-default")).filter(function (a) {
        return !summary.contains(a);
      });
    const limit = harmShown ? Infinity : MAX_READS;
    const seen = new Set();
    const list = make("ul", { "data-sc-group": "read" });
    links.forEach(function (link) {
      if (!link) return;
      const page = link.href.split("#")[0];
      if (seen.has(page) || seen.size >= limit) return;
      seen.add(page);
      const li = make("li");
      const a = link.cloneNode(true);
      a.removeAttribute("class");
      li.append(a);
      list.append(li);
    });
    if (!seen.size) return null;
    const section = make("div", { class: "sc-group" });
    section.append(make("h3", {}, TEXT.read), list);
    return section;
  }

  /* At most three sentences, for the statements that matter most, each one can go into the notes. */
  function wordsToSay(entries) {
    const list = make("ul", { "data-sc-group": "say" });
    entries.forEach(function (entry) {
      const li = make("li", { "data-statement": entry.item.id });
      const sayId = "sc-say-" + entry.item.id;
      li.append(make("q", { id: sayId }, entry.item.say.textContent.trim()));
      const label = make("label", { class: "sc-add" });
      const box = make("input", { type: "checkbox", value: entry.item.id, "aria-describedby": sayId });
      box.checked = chosen.has(entry.item.id);
      box.addEventListener("change", function () {
        if (box.checked) chosen.add(entry.item.id); else chosen.delete(entry.item.id);
        renderNotes();
      });
      label.append(box, make("span", {}, TEXT.add));
      li.append(label);
      list.append(li);
    });
    const section = make("div", { class: "sc-group" });
    section.append(make("h3", {}, TEXT.say), list);
    const more = entries[0].item.more;
    if (more) {
      const p = make("p");
      p.append(moreLink(more));
      section.append(p);
    }
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
      if (!notedItems().length && !extraText.trim()) {
        tools.announce(status, TEXT.copyNothing);
        return;
      }
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
    const noted = notedItems();
    if (!noted.length && !extraText.trim()) {
      notesBox.replaceChildren(make("p", { class: "sc-notes__empty" }, TEXT.notesEmpty));
      return;
    }
    notesBox.replaceChildren(make("h4", {}, TEXT.notesTitle));
    const list = make("ul");
    noted.forEach(function (item) {
      const li = make("li", { "data-statement": item.id });
      li.append(make("p", {}, item.statement), make("p", {}, TEXT.youSaid + answerOf(item).label),
        make("p", {}, TEXT.couldSay + "\u201c" + item.say.textContent.trim() + "\u201d"));
      list.append(li);
    });
    if (noted.length) notesBox.append(list);
    if (extraText.trim()) notesBox.append(make("p", { class: "sc-notes__extra" }, TEXT.alsoNote + extraText.trim()));
  }

  /* The notes as plain text, for the clipboard. */
  function notesText() {
    const lines = [TEXT.notesTitle, ""];
    notedItems().forEach(function (item) {
      lines.push("- " + item.statement, "  " + TEXT.youSaid + answerOf(item).label,
        "  " + TEXT.couldSay + "\u201c" + item.say.textContent.trim() + "\u201d");
    });
    if (extraText.trim()) lines.push("", TEXT.alsoNote + extraText.trim());
    return lines.join("\n");
  }

  /* Print only the notes: a copy of them becomes the one thing on the printed page. */
  function printNotes() {
    const sheet = make("div", { class: "md-typeset" });
    sheet.append(notesBox.cloneNode(true));
    sheet.firstChild.removeAttribute("id");
    sheet.firstChild.removeAttribute("data-sc-notes");
    tools.printAlone(sheet);
  }

  /* Clearing takes the answers and ticks away, with an Undo beside "See my summary";
     what the reader wrote stays, since typing it again is the hard part. */
  function clearAll() {
    undoState = {
      answers: items.map(function (item) { const a = answerOf(item); return [item.id, a ? a.value : ""]; }),
      chosen: Array.from(chosen),
    };
    form.querySelectorAll("input[type=radio]").forEach(function (input) { input.checked = false; });
    chosen.clear();
    notesBox = null;
    summary.replaceChildren();
    summary.hidden = true;
    const undo = make("button", { type: "button", class: "rt-button" }, TEXT.undo);
    undo.addEventListener("click", restore);
    undoBar.replaceChildren(make("span", {}, TEXT.cleared + " "), undo);
    undoBar.hidden = false;
    undo.focus();
    tools.announce(status, TEXT.cleared);
  }

  function restore() {
    const state = undoState;
    dropUndo();
    if (!state) return;
    state.answers.forEach(function ([id, value]) {
      const input = value && form.querySelector('input[name="sc-' + id + '"][value="' + value + '"]');
      if (input) input.checked = true;
    });
    state.chosen.forEach(function (id) { chosen.add(id); });
    showSummary();
    tools.announce(status, TEXT.restored);
  }

  function dropUndo() {
    undoState = null;
    undoBar.hidden = true;
    undoBar.replaceChildren();
  }
})();
