/* Feeling Safe in Therapy: the little script every page loads.
 *
 * Why: Material's bundle is about 35 KB gzipped, more than a whole article
 * page. Most readers only read, so the bundle loads only when a reader
 * reaches for search (focus or click on it, or the "/", "s", "f" keys).
 * Until then this script switches the colour palette, which is all the
 * page needs to work.
 */
(function () {
  "use strict";
  /* The deferred stylesheet (hover, focus, print...) loads as media="print" so it never
     blocks the first paint; switch it on now. Embed views do the same (embed-frame.js). */
  Array.prototype.forEach.call(document.querySelectorAll("link[data-lean-deferred]"), function (link) {
    link.media = "all";
  });
  var root = document.documentElement;
  var me = document.currentScript;
  root.classList.remove("no-js");
  root.classList.add("js");

  /* Keyboard: Material's menu and search buttons are labels for hidden
     checkboxes, which Tab skips and screen readers do not call buttons.
     Here they become real buttons that click the checkbox (the label stays
     in the HTML for readers without JavaScript). Its nav section labels
     take focus, but only its bundle lets Enter and Space open them: the
     keydown handler below does that. */
  var NAMES = { __drawer: "Open the site menu", __search: "Search" };
  Array.prototype.forEach.call(document.querySelectorAll("label.md-header__button[for]"), function (label) {
    var input = document.getElementById(label.htmlFor);
    if (!input) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = label.className;
    button.setAttribute("for", label.htmlFor);  /* the theme's CSS selects on [for] */
    button.setAttribute("aria-label", label.getAttribute("aria-label") || NAMES[label.htmlFor] || label.htmlFor);
    if (label.htmlFor === "__drawer") {
      button.setAttribute("aria-expanded", String(input.checked));
      input.addEventListener("change", function () { button.setAttribute("aria-expanded", String(input.checked)); });
    }
    while (label.firstChild) button.appendChild(label.firstChild);
    button.addEventListener("click", function () { input.click(); });
    label.replaceWith(button);
  });
  document.addEventListener("keydown", function (event) {
    var label = event.target;
    if (label.tagName !== "LABEL" || !label.htmlFor || label.tabIndex < 0) return;
    /* Once loaded, Material's bundle handles Enter on labels itself. */
    if (event.key === " " || (event.key === "Enter" && !window.document$)) {
      event.preventDefault();
      label.click();
    }
  });

  /* The phone menu opens at its top level, where "Get help now" is, not inside
     the current page's section (Material opens it there): its open sections
     are closed each time the drawer opens on a screen where it is a drawer. */
  var drawer = document.getElementById("__drawer");
  if (drawer && window.matchMedia) {
    drawer.addEventListener("change", function () {
      if (!drawer.checked || !matchMedia("(max-width: 76.234375em)").matches) return;
      Array.prototype.forEach.call(document.querySelectorAll(".md-nav--primary .md-nav__toggle:checked"),
        function (section) { section.checked = false; });
    });
  }

  /* Palette: the shown button switches to the next palette. The choice is kept in
     storage where the browser allows it; where it does not (a third-party frame with
     storage blocked), the page simply follows the system setting. */
  function stored() {
    try { return __md_get("__palette"); } catch (error) { return null; }
  }
  function store(value) {
    try { __md_set("__palette", value); } catch (error) { /* storage blocked */ }
  }

  var buttons = Array.prototype.slice.call(document.querySelectorAll("[data-lean-palette] button"));
  var ATTRS = ["media", "scheme", "primary", "accent"];

  function apply(index, remember) {
    var button = buttons[index];
    var color = {};
    ATTRS.forEach(function (name) {
      color[name] = button.getAttribute("data-md-color-" + name);
      document.body.setAttribute("data-md-color-" + name, color[name]);
    });
    buttons.forEach(function (other, i) { other.hidden = i !== index; });
    if (remember) store({ index: index, color: color });
    return button;
  }

  buttons.forEach(function (button, index) {
    button.addEventListener("click", function () {
      apply((index + 1) % buttons.length, true).focus();
    });
  });

  /* Follow the system setting until the reader picks a palette themselves. */
  if (buttons.length && window.matchMedia) {
    var dark = matchMedia("(prefers-color-scheme: dark)");
    var follow = function () {
      if (stored()) return;
      buttons.forEach(function (button, index) {
        if (matchMedia(button.getAttribute("data-md-color-media")).matches) apply(index, false);
      });
    };
    if (dark.addEventListener) dark.addEventListener("change", follow);
  }

  /* The bundle, once it runs, asks for the search worker and then the index: two
     more round trips after its own. Asked for now, beside the bundle, all three
     download together and the bundle finds the other two in the HTTP cache
     (the worker is cached for a year, the index for five minutes). */
  /* The theme's settings, as the bundle reads them; null without them. */
  function themeConfig() {
    try {
      var config = JSON.parse(document.getElementById("__config").textContent);
      /* The site's folder, as the bundle resolves it ("." or "..", the site's root on the 404 page). */
      config.siteBase = new URL(config.base, location.href).href.replace(/\/?$/, "/");
      return config;
    } catch (error) { return null; }
  }

  /* Both read to the end before the bundle runs: a second request made while the first is
     still on its way is not always served from the cache (Chromium sent search_index.json
     twice when the bundle asked for it within milliseconds of us). Settles either way, and
     after ten seconds at the latest. */
  function prefetchSearch() {
    var config = themeConfig();
    if (!config || !window.fetch) return Promise.resolve(); /* no config: the bundle finds its own way */
    /* Resolved as the bundle resolves them: the worker's own address, the index under the base. */
    var urls = [new URL(config.search, location.href).href, new URL("search/search_index.json", config.siteBase).href];
    var done = Promise.all(urls.map(function (url) {
      return fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.arrayBuffer(); })
        .catch(function () { /* the bundle asks again */ });
    }));
    return Promise.race([done, new Promise(function (resolve) { setTimeout(resolve, 10000); })]);
  }

  /* Search: load Material's bundle on first intent, then hand over. Its download starts
     at once, beside the worker's and the index's; it runs when those two are in the cache
     and the reader pauses typing: its start holds the page for a few hundred milliseconds
     on a slow phone, which would otherwise hold up the keys typed and our answers to them
     (Material searches the box's value when it starts). */
  var loading = false, started = false, pause = null, prefetched = null;
  var PAUSE_MS = 500, WORDS_WAIT_MS = 3000;
  function loadBundle() {
    if (loading || !me) return;
    loading = true;
    /* The bundle takes every <link rel="alternate"> for another language of the
       site and fetches a sitemap.xml beside it: beside the oEmbed discovery link
       that is /api/v1/oembed/sitemap.xml, a 404 on every page that has one.
       Tools read those links from the page's source, and this site has no other
       languages, so the live page drops every alternate that is not a language. */
    Array.prototype.forEach.call(document.querySelectorAll("link[rel=alternate]:not([hreflang])"), function (link) {
      link.remove();
    });
    /* The word index first, on its own: on a page that did not fetch it when idle (a page
       with a tool of its own), it then comes in one round trip, before the reader has
       typed a word, and the full search's downloads follow it. */
    /* A word index that does not come within WORDS_WAIT_MS does not hold the full search up. */
    var waited = new Promise(function (resolve) { setTimeout(resolve, WORDS_WAIT_MS); });
    Promise.race([loadWords() || Promise.resolve(), waited]).then(function () {
      var preload = document.createElement("link");
      preload.rel = "preload";
      preload.as = "script";
      preload.href = me.getAttribute("data-bundle");
      document.head.appendChild(preload);
      prefetched = prefetchSearch();
      startWhenPaused();
    });
  }
  function startBundle() {
    if (started) return;
    started = true;
    var script = document.createElement("script");
    script.src = me.getAttribute("data-bundle");
    script.onload = function () {
      /* The bundle starts on DOMContentLoaded, which has already fired:
         feed the document to its (global) document$ stream instead. */
      if (window.document$) window.document$.next(document);
    };
    document.body.appendChild(script);
  }
  /* Without the word index (not there yet, or none) there is nothing to wait for. */
  function startWhenPaused() {
    if (!loading || started || !prefetched) return;
    clearTimeout(pause);
    pause = setTimeout(function () { prefetched.then(startBundle); }, siteWords && siteWords.pages.length ? PAUSE_MS : 0);
  }

  var query = document.querySelector(".md-search__input");
  var toggle = document.getElementById("__search");

  /* Search at once: while the full search loads (one to two seconds on a slow phone),
     answers come from the word index (search/words.json, about 12 KB, fetched when the
     browser is idle after the page has loaded; feeling_safe/publishing/word_search.py
     describes it): every page's title and headings, and every section's words, stemmed
     by the rules the file carries. Material's results replace ours: once it changes the
     list itself, we stop. Ours are never cleared before theirs arrive (no flicker), and
     Material reads the box's value when it starts, so a query typed before it is kept. */
  var list = document.querySelector(".md-search-result__list");
  var meta = document.querySelector(".md-search-result__meta");
  var indexUrl = me && me.getAttribute("data-word-index");
  var siteWords = null, handedOver = false, ourMeta = null;
  var watcher = window.MutationObserver && list && new MutationObserver(function (records) {
    records.forEach(function (record) {
      var theirs = function (node) { return !(node.hasAttribute && node.hasAttribute("data-fst-quick")); };
      if (Array.prototype.some.call(record.addedNodes, theirs) || record.removedNodes.length) handedOver = true;
    });
  });
  if (watcher) watcher.observe(list, { childList: true });

  /* The word index, asked for once; the promise settles when it is read (or failed). */
  var wordsRead = null;
  function loadWords() {
    if (wordsRead || !indexUrl || !window.fetch || !list || !query) return wordsRead;
    wordsRead = fetch(indexUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { siteWords = wordIndex(data); showQuick(); })
      .catch(function () { siteWords = wordIndex(null); });
    return wordsRead;
  }

  /* The word index is fetched once the page is idle: the one place that decides when. A
     page with a tool of its own (the self-check, words to say, quick exit; the template
     marks it data-search-on-intent) leaves it until the reader reaches for search: its
     reader came for the tool, and its first visit stays as light as the others. */
  function fetchWordsWhenIdle() {
    if (me.hasAttribute("data-search-on-intent")) return;
    var whenIdle = window.requestIdleCallback || function (callback) { setTimeout(callback, 1000); };
    var soon = function () { whenIdle(loadWords, { timeout: 3000 }); };
    if (document.readyState === "complete") soon(); else addEventListener("load", soon, { once: true });
  }

  /* Words as the index has them (feeling_safe/publishing/stemming.py, the same steps):
     letters and digits, lower case, accents folded; then stemmed by the index's rules. */
  var ACCENTS = new RegExp("[\\u0300-\\u036f]", "g");
  var WORD = null, ENDS_IN_WORD = null;
  try {
    WORD = new RegExp("[\\p{L}\\p{N}]+", "gu");
    ENDS_IN_WORD = new RegExp("[\\p{L}\\p{N}]$", "u");
  } catch (error) { indexUrl = null; }  /* an old browser: Material's search alone */
  function fold(text) { return String(text).toLowerCase().normalize("NFD").replace(ACCENTS, ""); }
  function words(text) { return fold(text).match(WORD) || []; }
  function stem(word, steps) {
    var length = Array.from(word).length;  /* in characters, as Python counts them */
    steps.forEach(function (rules) {
      for (var i = 0; i < rules.length; i++) {
        var suffix = rules[i][0];
        if (length - suffix.length >= rules[i][2] && word.slice(word.length - suffix.length) === suffix) {
          word = word.slice(0, word.length - suffix.length) + rules[i][1];
          length += rules[i][1].length - suffix.length;
          break;
        }
      }
    });
    return word;
  }
  if (me) me.wordSearch = { words: words, stem: stem };  /* tests/test_word_search.py compares them with Python's */

  /* The index read (its format: word_search.py's docstring): sections in reading order,
     each with its page and its own words; each stem with its sections. */
  function wordIndex(data) {
    var steps = (data && data.steps) || [];
    var index = { steps: steps, stop: new Set(String((data && data.stop) || "").split(" ")),
                  pages: [], sections: [], stems: new Map() };
    var own = function (text) {
      return words(text).map(function (word) { return { word: word, stem: stem(word, steps) }; });
    };
    ((data && data.pages) || []).forEach(function (entry, order) {
      var page = { title: String(entry[0]), url: String(entry[1]), order: order, first: index.sections.length };
      page.own = own(page.title);
      index.pages.push(page);
      index.sections.push({ page: page, text: page.title, anchor: "", own: page.own });
      (entry[2] || []).forEach(function (heading) {
        var text = String(Array.isArray(heading) ? heading[0] : heading);
        index.sections.push({ page: page, text: text, own: own(text),
                              anchor: Array.isArray(heading) ? String(heading[1]) : words(text).join("-") });
      });
      page.last = index.sections.length;
    });
    var more = String((data && data.more) || "").split(" "), next = 0;
    String((data && data.words) || "").split(",").forEach(function (group, first) {
      group.split(" ").forEach(function (word) {
        if (word) index.stems.set(word, sections(first, more[next++] || ""));
      });
    });
    return index;
  }

  /* A stem's sections: its first, then each gap (less one) in base 32, DIGITS' last 32
     digits followed by more, its first 32 ending a number. Read once, when the index comes. */
  var DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
  function sections(first, more) {
    var numbers = [first], value = 0, previous = first;
    for (var i = 0; i < more.length; i++) {
      var digit = DIGITS.indexOf(more.charAt(i));
      value = value * 32 + digit % 32;
      if (digit < 32) { previous += value + 1; numbers.push(previous); value = 0; }
    }
    return numbers;
  }

  /* A query word: found in a title or heading when it starts one of its words or has the
     same stem; in a section's text by its stem (or, while it is being typed, as the start
     of a stem, or with an ending begun). Stop words need not be found, unless the query
     is nothing else. */
  function term(index, word, typing) {
    var wanted = { word: word, stem: stem(word, index.steps), stop: index.stop.has(word), body: new Set() };
    var add = function (numbers) { numbers.forEach(function (n) { wanted.body.add(n); }); };
    if (index.stems.has(wanted.stem)) add(index.stems.get(wanted.stem));
    if (typing && word.length > 2) {
      index.stems.forEach(function (entry, key) { if (key.indexOf(word) === 0) add(entry); });
      /* An ending the stemmer drops, typed in part: "acceptin" finds "accepting"'s stem. */
      index.steps.forEach(function (rules) {
        rules.forEach(function (rule) {
          for (var cut = 1; cut < rule[0].length; cut++) {
            var typed = rule[0].slice(0, cut);
            if (word.length > cut + 2 && word.slice(word.length - cut) === typed) {
              var whole = stem(word + rule[0].slice(cut), index.steps);
              if (index.stems.has(whole)) add(index.stems.get(whole));
            }
          }
        });
      });
    }
    return wanted;
  }
  function named(wanted, own) {
    return own.some(function (w) { return w.word.indexOf(wanted.word) === 0 || w.stem === wanted.stem; });
  }

  /* Pages whose title has every word first, then those with a section whose heading has
     them, then the rest; in reading order within each. A page lists its matching sections,
     those named by their heading first. */
  function search(index, value) {
    var asked = words(value);
    var typing = ENDS_IN_WORD.test(fold(value));
    var terms = asked.map(function (word, i) { return term(index, word, typing && i === asked.length - 1); });
    var needed = terms.filter(function (wanted) { return !wanted.stop; });
    if (!needed.length) needed = terms;
    if (!needed.length) return [];
    var hits = [];
    index.pages.forEach(function (page) {
      var inTitle = needed.map(function (wanted) { return named(wanted, page.own); });
      var titled = inTitle.every(Boolean), headed = false, matched = titled, listed = [];
      for (var n = page.first; n < page.last; n++) {
        var section = index.sections[n], byHeading = true, own = false;
        var all = needed.every(function (wanted, i) {
          var head = n > page.first && named(wanted, section.own), body = wanted.body.has(n);
          if (head || body) own = true;
          if (!head && !inTitle[i]) byHeading = false;
          return head || body || inTitle[i];
        });
        if (!all || !own) continue;
        matched = true;
        if (n > page.first) {
          if (byHeading) headed = true;
          listed.push({ section: section, rank: byHeading ? 0 : 1, order: n });
        }
      }
      if (!matched) return;
      listed.sort(function (a, b) { return a.rank - b.rank || a.order - b.order; });
      hits.push({ page: page, rank: titled ? 0 : headed ? 1 : 2, sections: listed });
    });
    return hits.sort(function (a, b) { return a.rank - b.rank || a.page.order - b.page.order; });
  }

  function resultLink(href, level, text, base) {
    var link = document.createElement("a");
    link.className = "md-search-result__link";
    link.href = new URL(href, base).href;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    var heading = document.createElement(level);
    heading.textContent = text;  /* text, never markup */
    article.appendChild(heading);
    link.appendChild(article);
    return link;
  }

  var config = null;
  function showQuick() {
    if (handedOver || !siteWords || !list || !query) return;
    config = config || themeConfig();
    if (!config) return;
    var hits = search(siteWords, query.value);
    while (list.firstChild) list.removeChild(list.firstChild);
    hits.slice(0, 10).forEach(function (hit) {
      var item = document.createElement("li");
      item.className = "md-search-result__item";
      item.setAttribute("data-fst-quick", "");
      item.appendChild(resultLink(hit.page.url, "h1", hit.page.title || hit.page.url, config.siteBase));
      hit.sections.slice(0, 3).forEach(function (listed) {
        var section = listed.section;
        item.appendChild(resultLink(hit.page.url + "#" + section.anchor, "h2", section.text, config.siteBase));
      });
      list.appendChild(item);
    });
    if (watcher) watcher.takeRecords();  /* our own changes are not a hand-over */
    if (meta && words(query.value).length && (ourMeta === null || meta.textContent === ourMeta)) {
      ourMeta = meta.textContent = hits.length
        ? hits.length + (hits.length === 1 ? " matching page" : " matching pages") + "; searching further\u2026"
        : "Searching the full text\u2026";
    }
  }

  if (query && indexUrl) {
    query.addEventListener("input", showQuick);
    query.addEventListener("input", startWhenPaused);
    fetchWordsWhenIdle();
  }
  if (query) {
    query.addEventListener("focus", loadBundle, { once: true });
    query.addEventListener("pointerenter", loadBundle, { once: true });
  }
  if (toggle) {
    toggle.addEventListener("change", loadBundle, { once: true });
    /* Opened from the keyboard (the Search button): put the caret in the box. */
    toggle.addEventListener("change", function () {
      if (toggle.checked && query && !window.document$) query.focus();
    });
  }
  document.querySelectorAll("[for=__search]").forEach(function (control) {
    control.addEventListener("pointerenter", loadBundle, { once: true });
  });
  document.addEventListener("keydown", function onKey(event) {
    var target = event.target;
    /* Until Material's bundle runs (it handles these keys itself), ours open search, also
       while the bundle waits for its downloads. */
    if (window.document$ || event.ctrlKey || event.metaKey || event.altKey) return;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    if (event.key === "/" || event.key === "s" || event.key === "f") {
      event.preventDefault();
      if (toggle) toggle.checked = true;
      if (query) query.focus();
      loadBundle();
    }
  });
})();
