"""Small fixes to markup Material writes outside any overridable block.

Why: base.html puts `autocomplete="off"` on the hidden drawer and search
checkboxes. HTML does not allow `autocomplete` on checkboxes, so the Nu Html
Checker rejects every page; the attribute is dropped here. And base.html
writes its "Skip to content" link only for pages with a table of contents,
so a page without headings (the 404 page) starts keyboard users in the
get-help line and header instead; such pages get a skip link to <main>.
And on phones Material repeats the page's contents inside the menu, under the
current page; the page itself now starts with them ("On this page",
feeling_safe/content/contents.py), so the menu's copy goes (a smaller page, a simpler menu).
And base.html names the generator's and the theme's exact versions in a
`<meta name="generator">` on every page: nothing a reader or a search engine
uses, a hint for anyone probing for a known flaw, and 41 gzip bytes of every
page's render-blocking budget (which the complaints page, the longest, fills
to within a few dozen bytes); it goes.

Each fix changes a parsed page (feeling_safe/pages/html.py) in place.
"""
from __future__ import annotations

from html import escape

from selectolax.lexbor import LexborHTMLParser, LexborNode


def drop_toggle_autocomplete(page: LexborHTMLParser) -> None:
    """Remove the invalid `autocomplete` from Material's `md-toggle` checkboxes."""
    for toggle in page.css('input.md-toggle[type="checkbox"][autocomplete]'):
        del toggle.attrs["autocomplete"]


def drop_generator_meta(page: LexborHTMLParser) -> None:
    """Remove Material's `<meta name="generator">` (and the line break after it)."""
    for meta in page.css('head > meta[name="generator"]'):
        _remove_with_space_after(meta)


SKIP_TARGET = "__main"


def add_missing_skip_link(page: LexborHTMLParser, label: str = "Skip to content") -> None:
    """Give a page whose skip slot is empty a skip link to its <main>."""
    slot = page.css_first('div[data-md-component="skip"]')
    main = page.css_first("main.md-main")
    if slot is None or main is None or "id" in main.attributes or slot.text(deep=True).strip() or next(slot.iter(), None):
        return
    slot.inner_html = f'<a href="#{SKIP_TARGET}" class="md-skip">{escape(label)}</a>'
    main.attrs["id"] = SKIP_TARGET
    main.attrs["tabindex"] = "-1"


def _next_element(node: LexborNode | None) -> LexborNode | None:
    """The next sibling element, over text and comments."""
    node = node.next if node is not None else None
    while node is not None and not node.is_element_node:
        node = node.next
    return node


def _has_classes(node: LexborNode | None, tag: str, *classes: str) -> bool:
    return (node is not None and node.tag == tag
            and set(classes) <= set((node.attributes.get("class") or "").split()))


def _remove_with_space_after(node: LexborNode) -> None:
    following = node.next
    if following is not None and following.is_text_node and not following.text_content.strip():
        following.decompose()
    node.decompose()


def drop_menu_contents(page: LexborHTMLParser) -> None:
    """Remove the contents Material writes into the menu under the current page (its
    `__toc` label and nav; the link to the page stays, and the toggle, which the
    contents sidebar's title still names); the contents sidebar for wide screens stays."""
    toggle = page.css_first('input.md-nav__toggle.md-toggle[type="checkbox"]#__toc')
    label = _next_element(toggle)
    link = _next_element(label)
    nav = _next_element(link)
    if not (_has_classes(label, "label", "md-nav__link", "md-nav__link--active")
            and label.attributes.get("for") == "__toc"
            and _has_classes(link, "a", "md-nav__link", "md-nav__link--active")
            and _has_classes(nav, "nav", "md-nav", "md-nav--secondary")):
        return
    _remove_with_space_after(label)
    _remove_with_space_after(nav)
