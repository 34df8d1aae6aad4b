"""axe-core in a real browser: the WCAG 2.0/2.1/2.2 A and AA checks.

Reusable by any browser test:

    from axe import axe_violations, describe_violations
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)

axe-core comes from the pinned npm package (package.json), served from
node_modules on a loopback port: nothing comes from another machine.
"""
from __future__ import annotations

import atexit
import contextlib
from functools import lru_cache

from browser import serve
from sitebuild import ROOT

AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa")
# axe's best-practice rules: Lighthouse's accessibility score counts several
# (a named search dialog, roles allowed on their elements, heading order).
BEST_PRACTICE = ("best-practice",)
# Rules switched off, each with its reason. Keep this empty unless a rule
# is wrong for us; fix the page (or the theme) instead of adding to it.
DISABLED_RULES: dict[str, str] = {}


_SERVERS = contextlib.ExitStack()
atexit.register(_SERVERS.close)


@lru_cache(maxsize=1)
def axe_url() -> str:
    """axe-core served from node_modules on a loopback port for the whole session (cacheable).

    Why: a script the browser fetched is compiled from its code cache on the next page
    that asks for it; the same 650 KB put into each page as text is compiled anew each
    time, about a fifth of a second of Chromium's CPU per check."""
    if not AXE_SCRIPT.exists():
        raise FileNotFoundError(f"{AXE_SCRIPT} is missing: run `npm ci` (make test does)")
    base = _SERVERS.enter_context(serve(AXE_SCRIPT.parent, headers={"Cache-Control": "max-age=86400"}))
    return base + AXE_SCRIPT.name


def axe_violations(page, selector: str | None = None, tags: tuple[str, ...] = WCAG_TAGS,
                   disabled: dict[str, str] = DISABLED_RULES) -> list[dict]:
    """Run axe on the page (or the part under `selector`) with the rules that
    carry `tags` (WCAG 2.0-2.2 A and AA by default); returns its violations."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(url=axe_url())
    options = {
        "runOnly": {"type": "tag", "values": list(tags)},
        "resultTypes": ["violations"],
        "rules": {rule: {"enabled": False} for rule in disabled},
    }
    return page.evaluate(
        """([selector, options]) => axe.run(selector ? document.querySelector(selector) : document, options)
             .then(result => result.violations.map(v => ({
               id: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary}))})))""",
        [selector, options])


def describe_violations(violations: list[dict], limit: int = 5) -> str:
    """One readable line per rule, with the first few offending elements."""
    lines = []
    for violation in violations:
        nodes = violation["nodes"]
        targets = "; ".join(node["target"] for node in nodes[:limit])
        more = f" (+{len(nodes) - limit} more)" if len(nodes) > limit else ""
        detail = nodes[0]["summary"].replace("\n", " ")[:200] if nodes else ""
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}: {targets}{more} | {detail}")
    return "\n".join(lines)
