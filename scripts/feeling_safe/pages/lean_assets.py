"""Write the lean stylesheets for a built site and point pages at them.

Why: Material's main and palette CSS (about 25 KB gzipped) block the first
paint on every page, yet our pages use a fraction of it. After a build, the
theme CSS and our own `extra_css` (site.css, print.css), in that cascade
order, are purged against every built page (scripts/feeling_safe/pages/css_purge.py) and split:
rules the HTML can match in its first state (plus our theme fixes) block
rendering; hover/focus/opened-menu states, script-made markup and print
load without blocking. Pages link the two files instead of the separate
sheets. The files get content-hashed names, so a changed build never meets a
stale cache.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from itertools import repeat
from pathlib import Path

from feeling_safe.pages.css_purge import (Selector, UsedNames, interaction_only, minify, purge, selector_classes,
                                          starts_with_class)

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


def used_names(site_dir: Path, late_pages: frozenset[str] = frozenset()) -> tuple[UsedNames, UsedNames]:
    """(names in the built HTML, names scripts may add at run time).

    `late_pages` (site-relative paths) are pages whose own styles may wait for
    the deferred sheet, like script-made markup: the clinics' pages (the embed
    snippet's code block, disclosure and preview frame), so that what only they
    use does not weigh on every reader's first paint.
    """
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


def write_lean_css(site_dir: Path, extra_css: list[str] = (), late_pages: frozenset[str] = frozenset()) -> dict[str, str]:
    """Write the purged sheets into `site_dir`; returns {placeholder: hashed name}.

    `extra_css` are site-relative paths of our own stylesheets to fold in
    after the theme's (the config's `extra_css`, in order). Ones the build
    does not have (a fixture docs tree without them) are skipped: MkDocs
    links them anyway, as it always does. `late_pages`: see used_names.
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
    static, runtime = used_names(site_dir, late_pages)
    # Each sheet is read on its own (as a browser does), in cascade order, once per build.
    critical, deferred = purge(sheets, static, runtime, keep_vars_used_in=own, defer=can_wait)
    names = {}
    for placeholder, content in ((CRITICAL, critical + fixes), (DEFERRED, deferred)):
        names[placeholder] = hashed_name(placeholder, content)
        (folder / names[placeholder]).write_text(content, encoding="utf-8")
    fixes_path.unlink(missing_ok=True)  # now part of the critical sheet
    return names


def whole_css(site_dir: Path, extra_css: list[str] = ()) -> dict[str, str]:
    """For `make serve`: write the theme's and our sheets whole, unpurged, in the lean
    sheets' cascade order (theme, `extra_css`, theme fixes); returns {placeholder: hashed name}.

    Why: the purge reads every written page, which a live reload need not
    wait for; a page under `serve` looks the same with every rule there.
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
    names = {}
    for placeholder, content in ((CRITICAL, whole), (DEFERRED, "")):
        names[placeholder] = hashed_name(placeholder, content)
        (folder / names[placeholder]).write_text(content, encoding="utf-8")
    fixes_path.unlink(missing_ok=True)  # now part of the critical sheet, as in a published build
    return names


def point_pages_at(site_dir: Path, names: dict[str, str], extra_css: list[str] = ()) -> int:
    """Link the hashed sheets instead of the placeholders, and drop the links to
    the folded-in `extra_css` from pages that link the lean sheets; returns pages changed.

    Pages are changed as UTF-8 bytes (what is replaced is ASCII), without decoding them.
    """
    changed = 0
    folded = [re.compile(rb'<link rel="stylesheet" href="(?:\./|\.\./)*' + re.escape(path.encode("utf-8")) + rb'">')
              for path in extra_css]
    for page in sorted(site_dir.rglob("*.html")):
        data = page.read_bytes()
        new = data
        for placeholder, name in names.items():
            new = new.replace(f"{STYLES}/{placeholder}".encode("utf-8"), f"{STYLES}/{name}".encode("utf-8"))
        if new != data:
            for link in folded:
                new = _drop_with_leading_space(new, link)
        if new != data:
            page.write_bytes(new)
            changed += 1
    return changed


# The ASCII characters str.isspace() (and so a regex's \\s) counts as whitespace.
_ASCII_SPACE_BYTES = frozenset(b" \t\n\v\f\r\x1c\x1d\x1e\x1f")


def _drop_with_leading_space(data: bytes, pattern: re.Pattern[bytes]) -> bytes:
    """Remove each match of `pattern` and the whitespace just before it: what
    `\\s*` + pattern would remove from the decoded text, without trying `\\s*` at
    every character. Non-ASCII before a match may be whitespace too: that page is
    done as text."""
    out, last = [], 0
    for match in pattern.finditer(data):
        start = match.start()
        while start > last and data[start - 1] in _ASCII_SPACE_BYTES:
            start -= 1
        if start > last and data[start - 1] >= 0x80:
            text = re.compile(r"\s*" + pattern.pattern.decode("utf-8")).sub("", data.decode("utf-8"))
            return text.encode("utf-8")
        out.append(data[last:start])
        last = match.end()
    out.append(data[last:])
    return b"".join(out)


# Text between tags; <pre>, <textarea>, <script> and <style> are left alone.
_VERBATIM = re.compile(r"<(pre|textarea|script|style)\b.*?</\1\s*>", re.S | re.I)
_TEXT = re.compile(r">([^<]+)<")
_INDENT = re.compile(r"[ \t\r\f]*\n\s*")
# A tag (from "<" to its first ">") that spans lines; in a piece cut just after "<li", its start.
_MULTILINE_TAG = re.compile(r"<[^>]*\n")
_MULTILINE_CUT_TAG = re.compile(r"[^>]*\n")
# Every full page repeats the nav; cutting before each list item lets each distinct
# item be read once per build. A cut before "<" never falls inside a run of
# whitespace, so collapsing the pieces and joining them is collapsing the whole.
_ITEM = "<li"
_SMALL_PIECE = 2000   # longer pieces (an article) are seldom repeated: not remembered


def _trim_between_tags(part: str) -> str:
    """trim_indentation for markup with no verbatim element in it.

    Text runs from each tag's first ">" to the next "<". When no tag spans
    lines, every line break from the first bracket to the last "<" is in
    text, so collapsing every run of whitespace there does it; otherwise,
    text by text.
    """
    first, last = part.find("<"), part.rfind("<")
    gt = part.find(">")
    if gt >= 0 and (first < 0 or gt < first):
        first = gt
    if first < 0 or last <= first:
        return part
    head, *items = part[first:last].split(_ITEM)
    pieces = [_collapse_piece(head, False) if len(head) < _SMALL_PIECE else _collapse_piece.__wrapped__(head, False)]
    pieces += [_collapse_piece(item, True) if len(item) < _SMALL_PIECE else _collapse_piece.__wrapped__(item, True)
               for item in items]
    if None in pieces:
        return _TEXT.sub(lambda m: ">" + _INDENT.sub("\n", m.group(1)) + "<", part)
    return part[:first] + _ITEM.join(pieces) + part[last:]


@lru_cache(maxsize=32768)
def _collapse_piece(piece: str, after_cut: bool) -> str | None:
    """A piece of text and tags with its line breaks collapsed; None if a tag in it spans lines."""
    if "\n" not in piece:
        return piece
    if _MULTILINE_TAG.search(piece) or (after_cut and _MULTILINE_CUT_TAG.match(piece)):
        return None
    return _collapse_line_breaks(piece)


_BEFORE_BREAK = " \t\r\f"


def _collapse_line_breaks(text: str) -> str:
    """`_INDENT.sub("\\n", text)` line by line, with str methods (no per-match callback):
    spaces before a break go, and all whitespace after it, up to the next text."""
    parts = text.split("\n")
    if len(parts) == 1:
        return text
    inner = list(filter(None, map(str.lstrip, parts[1:-1])))   # an empty line joins the break before it
    inner = list(map(str.rstrip, inner, repeat(_BEFORE_BREAK, len(inner))))
    return "\n".join([parts[0].rstrip(_BEFORE_BREAK), *inner, parts[-1].lstrip()])


def trim_indentation(html: str) -> str:
    """Collapse each run of whitespace that holds a line break, between tags,
    into one line break: the theme's template indentation, worth about 7% of a
    gzipped page. Rendering is unchanged (HTML folds such runs into one space);
    attribute values and verbatim elements are not touched, so inline-script
    hashes (Content-Security-Policy) stay valid.
    """
    out, last = [], 0
    for match in _VERBATIM.finditer(html):
        out.append(_trim_between_tags(html[last:match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(_trim_between_tags(html[last:]))
    return "".join(out)
