"""Write the lean stylesheets for a built site and point pages at them.

Why: Material's main and palette CSS (about 25 KB gzipped) block the first
paint on every page, yet our pages use a fraction of it. After a build, the
theme CSS and our own `extra_css` (site.css, print.css), in that cascade
order, are purged against every built page (feeling_safe/pages/css_purge.py) and split:
rules the HTML can match in its first state (plus our theme fixes) are the
critical part; hover/focus/opened-menu states, script-made markup and print
load without blocking. The critical part travels in every page, in the one
`<style>` the template writes in the head (overrides/main.html), so a page can
paint from its first response, with no second request for a stylesheet; the
Content-Security-Policy allows that text by its hash (feeling_safe/publishing/
security_headers.py). The deferred part is a file with a content-hashed name,
so a changed build never meets a stale cache. The critical part is not also
written as a file: no page links it (a `<noscript>` or print reader gets it from
the page's own `<style>`, which has no media), and a file nobody loads would
only be deployed and cached for nothing.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from feeling_safe.pages import html
from feeling_safe.pages.css_purge import Selector, UsedNames, interaction_only, minify, purge, selector_classes, starts_with_class
from feeling_safe.pages.css_rules import loads

STYLES = "assets/stylesheets"
# Placeholder names the template links to (overrides/main.html).
CRITICAL = "lean-critical.css"
DEFERRED = "lean-deferred.css"
# Our fixes to the theme's own defects, appended to the critical sheet.
FIXES = "theme-fixes.css"
# Class names Material's bundle may add at run time, for the features we use
# (search, tooltips, header, navigation); not those we do not (annotations,
# code copy, tabs, versions, tags, consent...).
MATERIAL_RUNTIME_NAMES = re.compile(
    r"^md-(?!annotation|clipboard|code|source|version|tag|select|consent|tabs|progress|post|social|status)")


# Hidden until a reader opens them, so their rules can wait: the search
# panel's results and buttons, the copy-message dialog, and (on screens
# where it is a drawer) the primary navigation. theme-fixes.css keeps them
# out of sight and out of the tab order until then. Class-name prefixes.
HIDDEN_UNTIL_OPENED = ("md-search__output", "md-search__scrollwrap", "md-search-result", "md-search__options",
                       "md-search__suggest", "md-dialog")
DRAWER_MEDIA = "max-width:76.234375em"
DRAWER_NAV = "md-nav--primary"


def can_wait(selector: Selector | str, media: str = "") -> bool:
    """Rules no first paint needs: action states, closed panels, the closed drawer.

    `media` is the enclosing @media rule (minified text), or "".
    """
    return (interaction_only(selector, media)
            or any(name.startswith(HIDDEN_UNTIL_OPENED) for name in selector_classes(selector))
            or (DRAWER_MEDIA in media.replace(" ", "") and starts_with_class(selector, DRAWER_NAV)))


def theme_stylesheets(site_dir: Path) -> list[Path]:
    """Material's compiled CSS in the build: main first, then palette."""
    folder = site_dir / STYLES
    return sorted(folder.glob("main.*.min.css")) + sorted(folder.glob("palette.*.min.css"))


def _is_material_script(path: Path, site_dir: Path) -> bool:
    rel = path.relative_to(site_dir).as_posix()
    return rel.startswith(("assets/javascripts/bundle.", "assets/javascripts/workers/", "assets/javascripts/lunr/"))


def used_names(site_dir: Path, late_pages: frozenset[str] = frozenset(),
               read: tuple[UsedNames, UsedNames] | None = None) -> tuple[UsedNames, UsedNames]:
    """(names in the built HTML, names scripts may add at run time).

    `late_pages` (site-relative paths) are pages whose own styles may wait for
    the deferred sheet, like script-made markup: the clinics' pages (the embed
    snippet's code block, disclosure and preview frame), so that what only they
    use does not weigh on every reader's first paint. `read`: the names the build
    took from its pages as it wrote them (pages/written.py), in place of reading
    every page under `site_dir` (a site made some other way: the tests').
    """
    if read is not None:
        static, runtime = read[0] | UsedNames(), read[1] | UsedNames()
    else:
        static, runtime = UsedNames(), UsedNames()
        pages = sorted(site_dir.rglob("*.html"))
        is_late = [page.relative_to(site_dir).as_posix() in late_pages for page in pages]
        static.add_pages(page.read_bytes() for page, late in zip(pages, is_late) if not late)
        runtime.add_pages(page.read_bytes() for page, late in zip(pages, is_late) if late)
    for script in sorted(site_dir.rglob("*.js")):
        rel = script.relative_to(site_dir).as_posix()
        if rel.startswith("assets/javascripts/bundle."):
            runtime.add_script(script.read_text(encoding="utf-8"), MATERIAL_RUNTIME_NAMES)
        elif not _is_material_script(script, site_dir):
            runtime.add_script(script.read_text(encoding="utf-8"))
    return static, runtime


def hashed_name(placeholder: str, content: str) -> str:
    """`lean-critical.css` -> `lean-critical.<10 hex>.css` for this content."""
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:10]
    stem, _, ext = placeholder.rpartition(".")
    return f"{stem}.{digest}.{ext}"


def folded_extra_css(site_dir: Path, extra_css: list[str]) -> list[str]:
    """The `extra_css` files the build has, in order: those the lean sheets take in."""
    return [path for path in extra_css if (site_dir / path).is_file()]


def inline_css(css: str) -> str:
    """`css` as the text of a page's `<style>`, or a ValueError (one line) where an HTML parser
    would not read it back as the same text: a `</style` ends the element early (the CSS
    serializer keeps strings as written: `content:"</style>"`), and a browser reads a carriage
    return as a line feed and a NUL as U+FFFD, so the text it hashes for the
    Content-Security-Policy would not be the text the build hashed; and where it would load
    anything but a data: URL."""
    for bad, what in (("</style", "'</style', which would end the page's <style> element early"),
                      ("\r", "a carriage return"), ("\x00", "a NUL character")):
        if bad in css.lower():
            raise ValueError(f"The critical CSS holds {what}; it cannot travel in the page as a <style> "
                             f"allowed by its hash. Remove it from the stylesheet (or escape it in CSS).")
    # In a page's <style> an address resolves against each page, not the sheet it came from, and
    # an @import or a var() standing in for an address could load anything. Only data: URLs (and
    # references to the page's own elements, url(#id)) travel as they are.
    for load in loads(css):
        if load.imported or not load.literal or not load.address.lower().startswith(("data:", "#")):
            raise ValueError(f"The critical CSS loads {load.address!r}; only data: URLs may travel in a page's "
                             f"<style>. Use a data: URL, or leave the rule to the linked sheet.")
    return css


def write_lean_css(site_dir: Path, extra_css: list[str] = (), late_pages: frozenset[str] = frozenset(),
                   read: tuple[UsedNames, UsedNames] | None = None) -> tuple[str, dict[str, str]]:
    """Write the deferred sheet into `site_dir`; returns (the critical CSS, for every page's
    `<style>`; {DEFERRED: its hashed name}).

    `extra_css` are site-relative paths of our own stylesheets to fold in
    after the theme's (the config's `extra_css`, in order). Ones the build
    does not have (a fixture docs tree without them) are skipped: MkDocs
    links them anyway, as it always does. `late_pages`, `read`: see used_names.
    """
    folder = site_dir / STYLES
    sheets = [path.read_text(encoding="utf-8") for path in theme_stylesheets(site_dir)]
    if not "".join(sheets):
        raise ValueError(f"no Material stylesheets found in {folder}")
    extra_css = folded_extra_css(site_dir, extra_css)
    sheets += [(site_dir / path).read_text(encoding="utf-8") for path in extra_css]
    fixes_path = folder / FIXES
    fixes = minify(fixes_path.read_text(encoding="utf-8")) if fixes_path.exists() else ""
    folded = {(site_dir / path).resolve() for path in extra_css}
    own = [path.read_text(encoding="utf-8") for path in sorted(site_dir.rglob("*.css"))
           if path.resolve() not in folded and (
               path.parent != folder or not path.name.startswith(("main.", "palette.", "lean-")))]
    static, runtime = used_names(site_dir, late_pages, read)
    # Each sheet is read on its own (as a browser does), in cascade order, once per build.
    critical, deferred = purge(sheets, static, runtime, keep_vars_used_in=own, defer=can_wait)
    critical = inline_css(critical + fixes)
    names = {DEFERRED: hashed_name(DEFERRED, deferred)}
    (folder / names[DEFERRED]).write_text(deferred, encoding="utf-8")
    fixes_path.unlink(missing_ok=True)  # now part of the critical CSS
    return critical, names


def write_whole_css(site_dir: Path, extra_css: list[str] = ()) -> None:
    """For `make serve`: the theme's and our sheets whole, unpurged, in the lean sheets'
    cascade order (theme, `extra_css`, theme fixes), written under the names pages link.

    Why: the purge reads every written page, and pointing pages at hashed names
    rewrites every page; a live reload need not wait for either, and a page
    under `serve` looks the same with every rule there. (Pages still link the
    folded `extra_css` too: the same rules again, in the same order.)
    """
    folder = site_dir / STYLES
    theme = theme_stylesheets(site_dir)
    if not theme:
        raise ValueError(f"no Material stylesheets found in {folder}")
    sheets = [*theme, *(site_dir / path for path in folded_extra_css(site_dir, extra_css))]
    fixes_path = folder / FIXES
    if fixes_path.exists():
        sheets.append(fixes_path)
    whole = "\n".join(path.read_text(encoding="utf-8") for path in sheets)
    (folder / CRITICAL).write_text(whole, encoding="utf-8")
    (folder / DEFERRED).write_text("", encoding="utf-8")
    fixes_path.unlink(missing_ok=True)  # now part of the critical sheet, as in a published build


def drop_folded_links(page: LexborHTMLParser, extra_css: list[str] = ()) -> bool:
    """As a page is written, before the sheets have their names: drop the links to the
    folded-in `extra_css` if the page links the lean sheets (True then); `name_sheets` later
    names the sheets in the page's bytes. Links inside <noscript> count too (read as markup,
    as a browser without scripts does)."""
    noscripts = html.noscript_contents(page)
    trees = [page, *(content for _, content in noscripts)]
    if not any(_links_placeholder(tree) for tree in trees):
        return False
    for tree in trees:
        _drop_links(tree, extra_css)
    html.put_back(noscripts)
    return True


def _links_placeholder(tree: LexborHTMLParser) -> bool:
    return any((link.attributes["href"] or "").endswith((f"{STYLES}/{CRITICAL}", f"{STYLES}/{DEFERRED}"))
               for link in tree.css("link[href]"))


def name_sheets(page: bytes, names: dict[str, str]) -> bytes:
    """A written page's links to the placeholder sheets, pointed at their hashed names. A
    plain replacement: the build wrote these addresses itself (ASCII, nothing escaped in
    them), and no page says them otherwise."""
    for placeholder, name in names.items():
        page = page.replace(f"{STYLES}/{placeholder}".encode(), f"{STYLES}/{name}".encode())
    return page


def fill_critical(page: bytes, critical: str, own=None) -> tuple[bytes, list[str]]:
    """A written page with the critical CSS in the `<style>` its template left empty in the
    head, and each `<style>` its own template adds for a sheet of its own (the home page's,
    an embed view's) filled with `own(path)`; returns it with the texts of the latter. A page
    without one (not from our templates) as it was.

    Most pages are filled as text (`_filled_as_text`); any page it cannot vouch for is read
    and written with the HTML5 parser (pages/html.py), which also refuses a `<style>` there
    that is not one of the templates' empty ones."""
    own = own or _no_own_sheet
    quick = _filled_as_text(page, critical, own)
    if quick is not None:
        return quick
    filled = html.fill_head_style(page.decode("utf-8"), critical, own)
    return (page, []) if filled is None else (filled[0].encode("utf-8"), filled[1])


# The templates' empty `<style>` elements as the HTML5 serializer writes them (pages/html.py):
# the critical CSS's, and one for a template's own sheet, naming it.
_TEMPLATE_STYLE = re.compile(rb'<style(?: data-fs-own="([\w./-]+)")?></style>')


def _filled_as_text(page: bytes, critical: str, own) -> tuple[bytes, list[str]] | None:
    """`fill_critical` without parsing the page (at 50 times the guide, a second parse of every
    page was 5% of the build), or None when the page's text alone cannot show that it holds
    just the templates' `<style>` elements.

    Why it is safe: a `<style>` element is serialized as `<style`, and nowhere else can that
    text stand but in a comment or inside an element whose content is raw text (a script, a
    noscript): the serializer escapes `<` in text and attribute values. So in a page without
    comments, when every `<style` begins one of the templates' empty elements, all of them in
    the head, one of them the critical CSS's and no sheet named twice, those are the page's
    `<style>` elements, and each is filled once, in one pass, in document order. (Raw text
    holding one more would make the count differ.) Anything else goes to the parser."""
    found = list(_TEMPLATE_STYLE.finditer(page))
    paths = [match.group(1) for match in found if match.group(1) is not None]
    if page.count(b"<style") != len(found) or len(found) - len(paths) != 1 or len(set(paths)) != len(paths) \
            or b"<!--" in page or found[-1].end() > page.find(b"</head>"):
        return None
    texts: list[str] = []

    def filled(match: re.Match) -> bytes:
        if match.group(1) is None:
            return b"<style>" + critical.encode("utf-8") + b"</style>"
        texts.append(own(match.group(1).decode("ascii")))
        return b"<style>" + texts[-1].encode("utf-8") + b"</style>"

    return _TEMPLATE_STYLE.sub(filled, page), texts


def _no_own_sheet(path: str) -> str:
    raise ValueError(f"a <style> for {path}, and no site to read it from")


def own_sheets(site_dir: Path):
    """`own(path)` for `fill_critical`: a template's own sheet (site-relative path), minified
    and checked as the critical CSS is, read once a build. The sheets sit beside their templates
    (overrides/assets/stylesheets/), so every build has them: one it lacks is a ValueError naming it."""
    read: dict[str, str] = {}

    def own(path: str) -> str:
        if path not in read:
            source = (site_dir / path).resolve()
            if not path.endswith(".css") or not source.is_relative_to(site_dir.resolve()):
                raise ValueError(f"a <style> for {path}, which is no stylesheet of this build")
            if not source.is_file():
                raise ValueError(f"a template's <style> is for {path}, which this build does not have "
                                 f"(a template's own sheet belongs in overrides/{path})")
            read[path] = inline_css(minify(source.read_text(encoding="utf-8")))
        return read[path]

    return own


def _drop_links(tree: LexborHTMLParser, extra_css: list[str]) -> None:
    """Remove the stylesheet links to `extra_css` (from any relative folder, or from the site's
    folder on its host, as the 404 page links them: `/` or `/guide/`), and the whitespace before each."""
    folded = re.compile(r"(?:/(?:[^/?#]+/)*|(?:\./|\.\./)*)(?:" + "|".join(map(re.escape, extra_css)) + ")") \
        if extra_css else None
    for link in tree.css("link[href]"):
        rel = (link.attributes.get("rel") or "").lower().split()
        if folded is None or "stylesheet" not in rel or not folded.fullmatch(link.attributes["href"] or ""):
            continue
        before = link.prev
        if before is not None and before.is_text_node:
            kept = before.text_content.rstrip(_HTML_SPACE)
            if kept:
                before.replace_with(kept)
            else:
                before.decompose()
        link.decompose()


# HTML's whitespace (not \xa0 and other Unicode spaces, which render).
_HTML_SPACE = " \t\n\f\r"
_BEFORE_BREAK = " \t\r\f"


@lru_cache(maxsize=65536)
def _collapse_line_breaks(text: str) -> str:
    """Each run of whitespace holding a line break becomes that one line break. Pure, so
    cached: pages share most of their text (the theme's indentation, the nav's labels)."""
    if not text.strip(_HTML_SPACE):
        return "\n"
    parts = text.split("\n")
    if len(parts) == 1:
        return text
    inner = [part.strip(_HTML_SPACE) for part in parts[1:-1]]
    return "\n".join([parts[0].rstrip(_BEFORE_BREAK), *filter(None, inner), parts[-1].lstrip(_HTML_SPACE)])


def trim_indentation(page: LexborHTMLParser) -> None:
    """Collapse each run of whitespace that holds a line break, in the text of a
    parsed page, into one line break: the theme's template indentation, worth
    about 7% of a gzipped page. Rendering is unchanged (HTML folds such runs into
    one space); attribute values and verbatim elements (pre, textarea, script,
    style) are not touched, so inline-script hashes (Content-Security-Policy) stay valid.
    """
    for node, text in html.text_nodes_outside_verbatim(page):
        collapsed = _collapse_line_breaks(text)
        if collapsed != text:
            node.replace_with(collapsed)
