"""In-page probes for the browser gates (tests/test_browser_pages.py).

Each probe is a JavaScript function run with `page.evaluate`; the Python
side only decides what counts as a failure. Kept apart so other browser
tests can reuse them.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from axe import axe_url
from feeling_safe.pages import html

# One page per template (home, article, tool pages with a form or framed previews,
# embed view, 404): the real Tab walk runs on these, and every covering set starts with them.
TEMPLATE_PAGES = ["", "what-it-is/", "self-check/", "embed-this-guide/", "embed/what-it-is/", "404.html"]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
NARROW = {"width": 320, "height": 640}     # WCAG 1.4.10 reflow width
ZOOMED = {"width": 640, "height": 400}     # 1280x800 at 200% zoom

# CSS selector path of an element, for messages.
_DESCRIBE = """
function describe(el) {
  const parts = [];
  for (let node = el; node && node.nodeType === 1 && parts.length < 4; node = node.parentElement) {
    let part = node.tagName.toLowerCase();
    if (node.id) { parts.unshift(part + "#" + node.id); break; }
    if (node.classList.length) part += "." + [...node.classList].slice(0, 2).join(".");
    parts.unshift(part);
  }
  const text = (el.getAttribute("aria-label") || el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 40);
  return parts.join(" > ") + (text ? ` "${text}"` : "");
}
"""

OVERFLOW = "() => {" + _DESCRIBE + """
  const width = document.documentElement.clientWidth;
  const scrolls = document.documentElement.scrollWidth > width + 1;
  const culprits = [];
  if (scrolls) {
    for (const el of document.body.querySelectorAll("*")) {
      const box = el.getBoundingClientRect();
      if (box.right > width + 1 && box.width > 0 && getComputedStyle(el).position !== "fixed") culprits.push(describe(el));
      if (culprits.length >= 3) break;
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, culprits};
}"""

# Relative luminance of the page's effective background and of its text.
SCHEME = """() => {
  const lum = color => {
    const [r, g, b] = color.match(/[\\d.]+/g).slice(0, 3).map(Number).map(v => {
      v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  let background = "rgb(255, 255, 255)";
  for (let el = document.body; el; el = el.parentElement) {
    const color = getComputedStyle(el).backgroundColor;
    const alpha = color.match(/[\\d.]+/g);
    if (alpha && (alpha.length < 4 || Number(alpha[3]) > 0.5)) { background = color; break; }
  }
  const text = getComputedStyle(document.querySelector("main p, article p, main, body")).color;
  return {background: lum(background), text: lum(text),
          scheme: document.body.getAttribute("data-md-color-scheme")};
}"""

# Every element a keyboard user should be able to Tab to.
TABBABLE = "() => {" + _DESCRIBE + """
  const selector = "a[href], area[href], button, input:not([type=hidden]), select, textarea, summary, iframe, " +
    "[tabindex], [contenteditable]";
  return [...document.querySelectorAll(selector)]
    .filter(el => el.tabIndex >= 0 && !el.disabled && !el.closest("[inert]")
                  && el.checkVisibility({visibilityProperty: true}))
    .map(el => { el.dataset.kbExpected = "1"; return describe(el); });
}"""

# The focused element: who it is, whether we saw it before, whether it shows.
# A visually hidden control (a styled radio, say) shows focus through its label.
FOCUSED = "() => {" + _DESCRIBE + """
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const seen = el.dataset.kbSeen === "1";
  el.dataset.kbSeen = "1";
  const ring = node => {
    const style = getComputedStyle(node);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
                    && !/rgba\\(\\d+, \\d+, \\d+, 0\\)|transparent/.test(style.outlineColor);
    return outline || style.boxShadow !== "none";
  };
  const box = el.getBoundingClientRect();
  const hidden = parseFloat(getComputedStyle(el).opacity) < 0.1 || box.width < 2 || box.height < 2;
  const shown = hidden ? [...(el.labels || [])] : [el];
  const inView = node => { const b = node.getBoundingClientRect();
    return b.width > 0 && b.height > 0 && b.bottom > 0 && b.right > 0 && b.left < innerWidth && b.top < innerHeight; };
  const main = document.querySelector("main");
  const beforeMain = !!main && !main.contains(el)
                     && !!(el.compareDocumentPosition(main) & Node.DOCUMENT_POSITION_FOLLOWING);
  return {name: describe(el), seen, frame: el.tagName === "IFRAME",
          indicator: shown.some(ring), inView: shown.some(inView),
          link: el.tagName === "A" ? el.getAttribute("href") : null,
          text: (el.textContent || "").trim(), beforeMain};
}"""

# Expected stops Tab never reached. A radio group is one stop (arrows move
# within it), so a radio counts as reached when any radio of its group was.
MISSED = "() => {" + _DESCRIBE + """
  const reached = el => el.dataset.kbSeen === "1" || (el.type === "radio" && el.name &&
    [...(el.form || document).querySelectorAll(`input[type=radio][name="${CSS.escape(el.name)}"]`)]
      .some(other => other.dataset.kbSeen === "1"));
  return [...document.querySelectorAll("[data-kb-expected]")].filter(el => !reached(el)).map(describe);
}"""

# The Tab order as the browser computes it, walked in one call: each stop is
# focused by script and described as FOCUSED describes a Tab stop. Rules of
# sequential focus navigation: positive tabindex first (in order), then the
# rest in document order; a radio group is one stop (its checked radio, else
# its first); a frame is one stop. Run after one real Tab press, so script
# focus shows the keyboard focus style (:focus-visible) as Tab does. Checked
# against real Tab presses on one page per template (test_browser_pages.py).
TAB_ORDER_WALK = "() => {" + _DESCRIBE + """
  const focused = """ + FOCUSED + """;
  const selector = "a[href], area[href], button, input:not([type=hidden]), select, textarea, summary, iframe, " +
    "[tabindex], [contenteditable]";
  const candidates = [...document.querySelectorAll(selector)]
    .filter(el => el.tabIndex >= 0 && !el.disabled && !el.closest("[inert]")
                  && el.checkVisibility({visibilityProperty: true}));
  const oneStopPerGroup = candidates.filter(el => {
    if (el.type !== "radio" || !el.name) return true;
    const group = candidates.filter(other => other.type === "radio" && other.name === el.name && other.form === el.form);
    return (group.find(other => other.checked) || group[0]) === el;
  });
  const order = [...oneStopPerGroup.filter(el => el.tabIndex > 0).sort((a, b) => a.tabIndex - b.tabIndex),
                 ...oneStopPerGroup.filter(el => el.tabIndex === 0)];
  const stops = [];
  for (const el of order) {
    el.focus();
    stops.push(document.activeElement === el ? focused() : {name: describe(el), refused: true});
  }
  return stops;
}"""

# Elements (and pseudo-elements) still moving: animations or transitions over 10 ms.
MOTION = "() => {" + _DESCRIBE + """
  const ms = list => Math.max(...list.split(",").map(v => parseFloat(v) * (v.trim().endsWith("ms") ? 1 : 1000)));
  const moving = [];
  for (const el of document.querySelectorAll("*")) {
    for (const pseudo of [null, "::before", "::after"]) {
      const style = getComputedStyle(el, pseudo);
      if ((style.animationName !== "none" && ms(style.animationDuration) > 10) || ms(style.transitionDuration) > 10) {
        moving.push(describe(el) + (pseudo || ""));
      }
    }
  }
  return {count: moving.length, first: moving.slice(0, 5),
          scrollBehavior: getComputedStyle(document.documentElement).scrollBehavior};
}"""

# Text that is too small or cut off at the right edge.
TEXT_FIT = "() => {" + _DESCRIBE + """
  const width = document.documentElement.clientWidth;
  const problems = [];
  for (const el of document.querySelectorAll("main p, main li, main h1, main h2, main h3, main dd, main dt")) {
    if (!el.checkVisibility()) continue;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (parseFloat(style.fontSize) < 14) problems.push(`${describe(el)}: ${style.fontSize} text`);
    if (box.right > width + 1) problems.push(`${describe(el)}: ends at ${Math.round(box.right)}px of ${width}px`);
  }
  return problems.slice(0, 5);
}"""


def watch(page, base_url: str) -> dict[str, list[str]]:
    """Record, for the page's whole life, requests to other hosts and console
    errors; clear the lists between checks to attribute them."""
    own = urlsplit(base_url).netloc
    seen = {"foreign": [], "errors": []}
    tool = axe_url()  # the checker the tests put in, not the page's own request

    def on_request(request):
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != own and request.url != tool:
            seen["foreign"].append(request.url)

    def on_console(message):
        if message.type == "error":
            seen["errors"].append(message.text)

    page.on("request", on_request)
    page.on("console", on_console)
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    return seen


def element_kinds(path: Path) -> set[tuple[str, ...]]:
    """Every kind of element in a built page: its tag with its classes (and an input's type)."""
    return {(node.tag, node.attributes.get("type") or "" if node.tag == "input" else "",
             *sorted((node.attributes.get("class") or "").split()))
            for node in html.parse(path.read_bytes()).css("body *")}


def covering_set(kinds: dict[str, set[tuple[str, ...]]], paths: list[str]) -> list[str]:
    """The template pages, then, greedily, the page holding most kinds of element not yet held,
    until every kind of element on any of `paths` is on one of them (in site order).

    Why: what a colour scheme or a wide screen changes (colours, which parts of the
    template show, how a box is sized) is decided by an element's kind, not its text;
    a check of those runs on this set, and checks of a page's own text run on every page."""
    chosen = [path for path in TEMPLATE_PAGES if path in kinds]
    held = set().union(*(kinds[path] for path in chosen))
    while missing := set().union(*kinds.values()) - held:
        best = max(paths, key=lambda path: (len(kinds[path] & missing), -paths.index(path)))
        chosen.append(best)
        held |= kinds[best]
    return [path for path in paths if path in chosen]
