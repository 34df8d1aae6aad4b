"""Write the lean theme stylesheets for a built site and point pages at them.

Why: Material's main and palette CSS (about 25 KB gzipped) block the first
paint on every page, yet our pages use a fraction of it. After a build, the
theme CSS is purged against every built page (scripts/css_purge.py) and
split: rules the HTML can match (plus our theme fixes) block rendering,
rules only scripts' markup or print can match load without blocking. The
files get content-hashed names, so a changed build never meets a stale cache.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from scripts.css_purge import UsedNames, purge

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


def theme_stylesheets(site_dir: Path) -> list[Path]:
    """Material's compiled CSS in the build: main first, then palette."""
    folder = site_dir / STYLES
    return sorted(folder.glob("main.*.min.css")) + sorted(folder.glob("palette.*.min.css"))


def _is_material_script(path: Path, site_dir: Path) -> bool:
    rel = path.relative_to(site_dir).as_posix()
    return rel.startswith("assets/javascripts/") and (
        rel.startswith(("assets/javascripts/bundle.", "assets/javascripts/workers/", "assets/javascripts/lunr/")))


def used_names(site_dir: Path) -> tuple[UsedNames, UsedNames]:
    """(names in the built HTML, names scripts may add at run time)."""
    static, runtime = UsedNames(), UsedNames()
    for page in sorted(site_dir.rglob("*.html")):
        static.add_html(page.read_text(encoding="utf-8"))
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


def write_lean_css(site_dir: Path) -> dict[str, str]:
    """Write the purged sheets into `site_dir`; returns {placeholder: hashed name}."""
    folder = site_dir / STYLES
    theme = "\n".join(path.read_text(encoding="utf-8") for path in theme_stylesheets(site_dir))
    if not theme:
        raise ValueError(f"no Material stylesheets found in {folder}")
    fixes_path = folder / FIXES
    fixes = fixes_path.read_text(encoding="utf-8") if fixes_path.exists() else ""
    own = "\n".join(path.read_text(encoding="utf-8") for path in sorted(site_dir.rglob("*.css"))
                    if path.parent != folder or not path.name.startswith(("main.", "palette.", "lean-")))
    static, runtime = used_names(site_dir)
    critical, deferred = purge(theme, static, runtime, keep_vars_used_in=own)
    names = {}
    for placeholder, content in ((CRITICAL, critical + fixes), (DEFERRED, deferred)):
        names[placeholder] = hashed_name(placeholder, content)
        (folder / names[placeholder]).write_text(content, encoding="utf-8")
    fixes_path.unlink(missing_ok=True)  # now part of the critical sheet
    return names


def point_pages_at(site_dir: Path, names: dict[str, str]) -> int:
    """Replace the placeholder names in every page that links them; returns pages changed."""
    changed = 0
    for page in sorted(site_dir.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        new = text
        for placeholder, name in names.items():
            new = new.replace(f"{STYLES}/{placeholder}", f"{STYLES}/{name}")
        if new != text:
            page.write_text(new, encoding="utf-8")
            changed += 1
    return changed
