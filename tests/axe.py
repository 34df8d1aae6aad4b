"""axe-core in a real browser: the WCAG 2.0/2.1/2.2 A and AA checks.

Reusable by any browser test:

    from axe import axe_violations, describe_violations
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)

axe-core comes from the pinned npm package (package.json), injected from
disk: nothing is fetched at test time.
"""
from __future__ import annotations

from functools import lru_cache

from sitebuild import ROOT

AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa")
# axe's best-practice rules: Lighthouse's accessibility score counts several
# (a named search dialog, roles allowed on their elements, heading order).
BEST_PRACTICE = ("best-practice",)
# Rules switched off, each with its reason. Keep this empty unless a rule
# is wrong for us; fix the page (or the theme) instead of adding to it.
DISABLED_RULES: dict[str, str] = {}


@lru_cache(maxsize=1)
def axe_source() -> str:
    if not AXE_SCRIPT.exists():
        raise FileNotFoundError(f"{AXE_SCRIPT} is missing: run `npm ci` (make test does)")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def install_axe(context) -> None:
    """Make axe available in every page this browser context opens."""
    context.add_init_script(axe_source())


def axe_violations(page, selector: str | None = None, tags: tuple[str, ...] = WCAG_TAGS,
                   disabled: dict[str, str] = DISABLED_RULES) -> list[dict]:
    """Run axe on the page (or the part under `selector`) with the rules that
    carry `tags` (WCAG 2.0-2.2 A and AA by default); returns its violations."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(content=axe_source())
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
