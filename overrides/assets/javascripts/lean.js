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

  function prefetchSearch() {
    var config = themeConfig();
    if (!config || !window.fetch) return; /* no config: the bundle finds its own way */
    /* Resolved as the bundle resolves them: the worker's own address, the index under the base. */
    var urls = [new URL(config.search, location.href).href, new URL("search/search_index.json", config.siteBase).href];
    urls.forEach(function (url) {
      fetch(url, { credentials: "same-origin" }).catch(function () { /* the bundle asks again */ });
    });
  }

  /* Search: load Material's bundle on first intent, then hand over. */
  var loading = false;
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
    prefetchSearch();
    loadQuick();
    var script = document.createElement("script");
    script.src = me.getAttribute("data-bundle");
    script.onload = function () {
      /* The bundle starts on DOMContentLoaded, which has already fired:
         feed the document to its (global) document$ stream instead. */
      if (window.document$) window.document$.next(document);
    };
    document.body.appendChild(script);
  }

  var query = document.querySelector(".md-search__input");
  var toggle = document.getElementById("__search");

  /* Quick search: while the full search loads (two seconds on a slow phone), answers
     come at once from every page's title and headings (search/quick.json, a few KB,
     fetched when the browser is idle after the page has loaded). Material's full-text
     results replace them: once it changes the list itself, quick search stops. */
  var list = document.querySelector(".md-search-result__list");
  var meta = document.querySelector(".md-search-result__meta");
  var quickUrl = me && me.getAttribute("data-quick-search");
  var quick = null, quickAsked = false, handedOver = false, ourMeta = null;
  var watcher = window.MutationObserver && list && new MutationObserver(function (records) {
    records.forEach(function (record) {
      var theirs = function (node) { return !(node.hasAttribute && node.hasAttribute("data-fst-quick")); };
      if (Array.prototype.some.call(record.addedNodes, theirs) || record.removedNodes.length) handedOver = true;
    });
  });
  if (watcher) watcher.observe(list, { childList: true });

  function loadQuick() {
    if (quickAsked || !quickUrl || !window.fetch || !list || !query) return;
    quickAsked = true;
    fetch(quickUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (pages) { quick = Array.isArray(pages) ? pages : []; showQuick(); })
      .catch(function () { quick = []; });
  }

  function words(text) {
    return String(text).toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").match(/[\p{L}\p{N}]+/gu) || [];
  }
  /* Every word of the query starts a word of the text (the last one may be half typed). */
  function matches(asked, text) {
    var have = words(text);
    return asked.every(function (word) { return have.some(function (w) { return w.indexOf(word) === 0; }); });
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

  function showQuick() {
    if (handedOver || !quick || !list || !query) return;
    var config = themeConfig();
    if (!config) return;
    var asked = words(query.value);
    var found = asked.length ? quick.map(function (page, order) {
      var sections = (page.s || []).filter(function (section) { return matches(asked, section[0]); });
      var titled = matches(asked, page.t);
      return { page: page, sections: sections, score: (titled ? 1000 : 0) + sections.length, order: order };
    }).filter(function (hit) { return hit.score > 0; }).sort(function (a, b) {
      return b.score - a.score || a.order - b.order;
    }).slice(0, 10) : [];
    while (list.firstChild) list.removeChild(list.firstChild);
    found.forEach(function (hit) {
      var item = document.createElement("li");
      item.className = "md-search-result__item";
      item.setAttribute("data-fst-quick", "");
      item.appendChild(resultLink(hit.page.u, "h1", hit.page.t, config.siteBase));
      hit.sections.slice(0, 3).forEach(function (section) {
        item.appendChild(resultLink(hit.page.u + "#" + section[1], "h2", section[0], config.siteBase));
      });
      list.appendChild(item);
    });
    if (watcher) watcher.takeRecords();  /* our own changes are not a hand-over */
    if (meta && asked.length && (ourMeta === null || meta.textContent === ourMeta)) {
      ourMeta = meta.textContent = found.length
        ? found.length + (found.length === 1 ? " page" : " pages") + " by title; searching the full text\u2026"
        : "Searching the full text\u2026";
    }
  }

  if (query && quickUrl) {
    query.addEventListener("input", showQuick);
    var whenIdle = window.requestIdleCallback || function (callback) { setTimeout(callback, 1000); };
    var soon = function () { whenIdle(loadQuick, { timeout: 3000 }); };
    if (document.readyState === "complete") soon(); else addEventListener("load", soon, { once: true });
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
    if (loading || event.ctrlKey || event.metaKey || event.altKey) return;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    if (event.key === "/" || event.key === "s" || event.key === "f") {
      event.preventDefault();
      if (toggle) toggle.checked = true;
      if (query) query.focus();
      loadBundle();
    }
  });
})();
