"""`make bench`: our site against Material's default build of the same docs.

Why: "lighter and faster than the theme's default" should be a number anyone
can reproduce, and it should be what a reader gets. Both sites are built from
the same docs/ and nav, published alike (compressed copies beside each file)
and served by Debian's nginx with our deploy/nginx/site.conf, so both get
Brotli; ours sends its security headers, the default none. Then, per page:

- first paint on the wire: the HTML and any render-blocking CSS, headers
  included, for a browser that takes Brotli and for one that takes only gzip
  (feeling_safe/measuring/first_paint.py), against one round trip's 14,600 bytes;
- first visit in Chromium until idle, every request a fresh profile makes,
  scripts' own requests too (feeling_safe/measuring/visit_transfer.py);
- a reader's first three pages in one visit on the phone profile: bytes and
  first paint per page (inlined CSS is not cached across pages);
- total blocking time on the phone profile, on home, an article and every
  page with a reader tool (feeling_safe/measuring/blocking_time.py);
- search on the phone profile: the wait for a title word and for a word only
  in body text, from the last keystroke and from "/", runs alternated,
  min / median / max (feeling_safe/measuring/search_timing.py);
- what the markup asks for (gzip -9, feeling_safe/measuring/page_weight.py),
  Lighthouse's mobile scores when it is installed, and one live-reload
  rebuild under `make serve` against plain Material's
  (feeling_safe/measuring/serve_rebuild.py).

The default configuration is mkdocs.yml with the theme reset to plain
`material` (no custom_dir, so none of our template, CSS or script changes)
and our plugin giving only its content steps (`content_only`), none of the
ones that exist to change weight or add other outputs.
It keeps what makes the pages the same pages: the docs, the nav, the
Markdown extensions, the palette pair (so both sites offer dark mode),
`font: false` (Google Fonts would make the default call another host, which
no offline run can measure) and the content steps that turn citations,
glossary terms and the reading path into the same article HTML.

Build cost: our pipeline must stay cheap as the guide grows. The scaling
run builds 1x, 5x, 20x and 50x copies of the explainer pages (in a temp
folder, never docs/) with our full config and with plain Material (the same
pages, without our plugin, no custom_dir) and compares the CPU time (user+sys)
of each build; the goal is at most 1.5 times plain Material's at 50x. Our
plugin's CPU time per event comes from the same build (feeling_safe/measuring/build_timing.py).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from feeling_safe.content.frontmatter import split_page as split_front_matter
from feeling_safe.content.readingpath import nav_sources
from feeling_safe.measuring.blocking_time import median_blocking_times
from feeling_safe.measuring.first_paint import ENCODINGS, ONE_ROUND_TRIP, FirstPaint, first_paint
from feeling_safe.measuring.nginx_site import serve_with_nginx
from feeling_safe.measuring.page_weight import Weight, first_visit
from feeling_safe.measuring.search_timing import Spread, body_query, search_times, title_query
from feeling_safe.measuring.visit_transfer import Step, visit_transfers, walks
from feeling_safe.plugin.generator import command
from feeling_safe.plugin.material import PRUNE
from feeling_safe.publishing.chromium import CHROMIUM, CHROMIUM_ARGS
from feeling_safe.publishing.precompress import precompress

ROOT = Path(__file__).resolve().parents[3]
# Our plugin, given only its content steps in the default build (feeling_safe/plugin/plugin.py).
PLUGIN = "feeling-safe"
# Theme keys the default keeps (everything else, custom_dir included, goes).
DEFAULT_THEME_KEYS = ("language", "palette", "features", "font")
LIGHTHOUSE_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
LIGHTHOUSE_PAGES = ("", "what-it-is/")
# Home and the first article: enough to compare, quick to run; the search timing presses "/" on the article.
SEARCH_PAGE = "what-it-is/"
# A reader's first three pages: home, the first article, the self-check (a door on home).
WALK = ("", "what-it-is/", "self-check/")
# Blocking time on home, an article and every page that runs a reader tool.
BLOCKING_PAGES = ("", "what-it-is/", "self-check/", "what-to-say/", "complaints/", "was-this-ok/")
NGINX = os.environ.get("NGINX", "/usr/sbin/nginx")


class _IgnoreTags(yaml.SafeLoader):
    """mkdocs.yml may hold !ENV or !relative tags; the bench only reads plain keys."""


_IgnoreTags.add_multi_constructor("!", lambda loader, suffix, node: None)


def default_config(ours: dict, page_templates: Path | None = None) -> dict:
    """Material's default configuration of the same docs (see module docstring); pages
    that name one of our templates get Material's own page from `page_templates`."""
    config = {k: v for k, v in ours.items() if k not in ("theme", "plugins", "extra_css", "extra_javascript")}
    theme = ours.get("theme", {})
    config["theme"] = {"name": "material", **{k: theme[k] for k in DEFAULT_THEME_KEYS if k in theme}}
    if page_templates is not None:
        config["theme"]["custom_dir"] = str(page_templates)
    plugins = ours.get("plugins") or {}
    config["plugins"] = {**{name: options for name, options in plugins.items() if name != PLUGIN},
                         PLUGIN: {**(plugins.get(PLUGIN) or {}), "content_only": True}}
    return config


def plain_config(ours: dict, page_templates: Path | None = None) -> dict:
    """Plain Material: the default configuration without our plugin at all (the build-cost baseline)."""
    plugins = {name: options for name, options in (ours.get("plugins") or {}).items() if name != PLUGIN}
    # Some anchors are written by our plugin (the complaint finder's headings); without it a link
    # to them is noted, not fatal, so plain Material still builds every page.
    validation = {**(ours.get("validation") or {})}
    validation["links"] = {**(validation.get("links") or {}), "anchors": "info"}
    return {**default_config(ours, page_templates), "plugins": plugins, "validation": validation}


def material_page_templates(docs: Path, folder: Path) -> Path:
    """For each template a page names in its front matter (the home page's home.html), a
    stand-in in `folder` that is Material's own page, so the default builds build every page."""
    folder.mkdir(parents=True, exist_ok=True)
    for source in sorted(docs.rglob("*.md")):
        name = split_front_matter(source.read_text(encoding="utf-8-sig"))[0].get("template")
        if name:
            (folder / name).write_text('{% extends "main.html" %}\n', encoding="utf-8")
    return folder


def build(config: dict, site_dir: Path) -> float:
    """Strict build of `config` (run from the repo root) into `site_dir`; returns seconds."""
    started = time.perf_counter()
    result = subprocess.run(command("build", "--strict", "--config-file", "-", "--site-dir", str(site_dir)),
                            input=yaml.safe_dump(config), text=True, capture_output=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"build failed ({site_dir.name}):\n{result.stderr[-3000:]}")
    return seconds


def article_pages(site_dir: Path) -> dict[str, Path]:
    """Full pages by URL (no embed views, no 404), the pages a reader reads."""
    pages = {}
    for path in sorted(site_dir.rglob("index.html")):
        rel = path.relative_to(site_dir).as_posix()
        if not rel.startswith(("embed/", "api/")):
            pages[rel[: -len("index.html")]] = path
    return pages


def measure(site_dir: Path) -> dict[str, Weight]:
    return {url: first_visit(site_dir, path) for url, path in article_pages(site_dir).items()}


def ratio(ours: float, default: float) -> str:
    return f"{ours / default:.2f}" if default else "-"


@dataclass
class Row:
    label: str
    ours: float
    default: float
    unit: str = ""
    digits: int = 1

    def cells(self) -> list[str]:
        fmt = f"{{:.{self.digits}f}}{self.unit}"
        return [self.label, fmt.format(self.ours), fmt.format(self.default), ratio(self.ours, self.default)]


def weight_rows(ours: dict[str, Weight], default: dict[str, Weight]) -> list[Row]:
    """Per page: KB downloaded, requests, render-blocking KB; then the medians."""
    rows = []
    shared = [url for url in ours if url in default]
    for url in shared:
        a, b = ours[url], default[url]
        rows.append(Row(f"/{url} KB", a.total / 1000, b.total / 1000))
        rows.append(Row(f"/{url} requests", a.requests, b.requests, digits=0))
        rows.append(Row(f"/{url} blocking KB", a.blocking / 1000, b.blocking / 1000))
    if shared:
        median = lambda values: statistics.median(values)  # noqa: E731
        rows.append(Row("median KB", median([ours[u].total for u in shared]) / 1000,
                        median([default[u].total for u in shared]) / 1000))
        rows.append(Row("median blocking KB", median([ours[u].blocking for u in shared]) / 1000,
                        median([default[u].blocking for u in shared]) / 1000))
    return rows


def table(rows: list[Row], title: str = "") -> str:
    """A Markdown table: what, ours, default, ours/default."""
    lines = [f"| {title or 'measure'} | ours | default | ours/default |", "|---|---:|---:|---:|"]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines)


def publish_like_ours(site_dir: Path) -> None:
    """The default site as our nginx config serves a published site: compressed copies beside
    each file (so it gets Brotli too) and an empty header include (no security headers: fewer
    bytes on each of its responses, in its favour)."""
    precompress(site_dir)
    headers = site_dir / "_headers.nginx"
    if not headers.exists():
        headers.write_text("", encoding="utf-8")


@contextmanager
def served(sites: dict[str, Path], work: Path):
    """Each named site served by nginx with deploy/nginx/site.conf; yields {name: base URL}."""
    with ExitStack() as stack:
        urls = {}
        for name, folder in sites.items():
            prefix = work / f"nginx-{name}"
            prefix.mkdir()
            urls[name] = stack.enter_context(serve_with_nginx(folder, prefix))
        yield urls


def first_paints(base: str, pages: list[str]) -> dict[str, dict[str, FirstPaint]]:
    """{page: {"br"|"gzip": first paint}} for a browser that takes Brotli and one that takes only gzip."""
    return {page: {kind: first_paint(base + page, accept_encoding=header) for kind, header in ENCODINGS.items()}
            for page in pages}


def first_paint_table(figures: dict[str, dict[str, dict[str, FirstPaint]]]) -> str:
    """Per page, per site: bytes on the wire before the first paint (HTML and any blocking CSS,
    headers included), for Brotli and gzip-only browsers, against one round trip's 14,600."""
    names = list(figures)
    head = " | ".join(f"{name} {kind}" for name in names for kind in ENCODINGS)
    lines = [f"| first paint, bytes on the wire (HTML + blocking CSS + headers) | {head} |",
             "|---|" + "---:|" * (len(names) * len(ENCODINGS))]
    pages = list(figures[names[0]])
    for page in pages:
        cells = [f"{figures[name][page][kind].total:,}" for name in names for kind in ENCODINGS]
        lines.append(f"| /{page} | " + " | ".join(cells) + " |")
    worst = [max(figures[name][page][kind].total for page in pages) for name in names for kind in ENCODINGS]
    over = [sum(figures[name][page][kind].total > ONE_ROUND_TRIP for page in pages) for name in names for kind in ENCODINGS]
    lines.append("| largest | " + " | ".join(f"{value:,}" for value in worst) + " |")
    lines.append(f"| pages over {ONE_ROUND_TRIP:,} (of {len(pages)}) | " + " | ".join(map(str, over)) + " |")
    return "\n".join(lines)


def first_visit_table(visits: dict[str, dict[str, int]]) -> str:
    """Per page: KB a first visit receives in Chromium until idle (every request, headers included)."""
    ours, default = visits["ours"], visits["default"]
    rows = [Row(f"/{page}", ours[page] / 1024, default[page] / 1024) for page in ours]
    rows.append(Row("median", statistics.median(ours.values()) / 1024, statistics.median(default.values()) / 1024))
    text = table(rows, "first visit in Chromium until idle, KB (every request, headers included)")
    worst = max(ours, key=lambda page: ours[page] / default[page])
    return text + f"\n\nLargest ratio: /{worst} at {ours[worst] / default[worst]:.2f}."


def walk_table(steps: dict[str, list[Step]]) -> str:
    """A reader's first three pages in one visit, on the phone profile (median of the walks)."""
    lines = ["| one visit, page by page (phone profile) | ours KB | default KB | ours first paint ms "
             "| default first paint ms |", "|---|---:|---:|---:|---:|"]
    for number, (ours, default) in enumerate(zip(steps["ours"], steps["default"]), start=1):
        lines.append(f"| {number}. {urlsplit(ours.url).path} | {ours.bytes / 1024:.1f} | {default.bytes / 1024:.1f} "
                     f"| {ours.paint_ms:.0f} | {default.paint_ms:.0f} |")
    return "\n".join(lines)


def blocking_times(sites: dict[str, list[str]], runs: int) -> dict[str, dict[str, float]]:
    """{site: {url: median total blocking time, ms}} on the phone profile, page by page, the
    sites alternated run by run."""
    from playwright.sync_api import sync_playwright
    found: dict[str, dict[str, float]] = {name: {} for name in sites}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for urls in zip(*sites.values()):
                pair = dict(zip(sites, urls))
                for name, times in median_blocking_times(browser, pair, runs).items():
                    found[name][pair[name]] = statistics.median(times)
        finally:
            browser.close()
    return found


def blocking_table(blocking: dict[str, dict[str, float]]) -> str:
    lines = ["| total blocking time, phone profile (ms, median) | ours | default |", "|---|---:|---:|"]
    for ours_url, default_url in zip(blocking["ours"], blocking["default"]):
        lines.append(f"| {urlsplit(ours_url).path} | {blocking['ours'][ours_url]:.0f} "
                     f"| {blocking['default'][default_url]:.0f} |")
    return "\n".join(lines)


def search_table(times: dict[str, dict[str, dict[str, Spread]]], index: dict, runs: int) -> str:
    """Waits for results on the phone profile, ours against the default: min / median / max."""
    words = {"title": title_query(index).word, "body": body_query(index).word}
    lines = [f"| search on /{SEARCH_PAGE}, phone profile, {runs} runs each alternated (ms, min / median / max) "
             "| ours | default | ours/default (median) |", "|---|---:|---:|---:|"]
    for kind, label in (("title", "a title word"), ("body", "a word only in body text")):
        for clock in ("from last key", "from /"):
            ours, default = times["ours"][kind][clock], times["default"][kind][clock]
            lines.append(f'| {label} ("{words[kind]}"), {clock} | {_spread(ours)} | {_spread(default)} '
                         f"| {ratio(ours.median, default.median)} |")
    return "\n".join(lines)


def serve_rebuild_table() -> str:
    """One live-reload rebuild under `serve`, ours against plain Material (its own module, run
    as `make serve` runs: each config in a process of its own)."""
    result = subprocess.run([sys.executable, "-m", "feeling_safe.measuring.serve_rebuild", "--repeat", "3"],
                            cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"serve rebuild failed:\n{result.stderr[-3000:]}")
    return result.stdout.strip()


def _spread(spread: Spread) -> str:
    return f"{spread.low:.0f} / {spread.median:.0f} / {spread.high:.0f}"


# --- build cost at scale ---------------------------------------------------

# Material's class for a nav section pruned to one link (navigation.prune).
PRUNED_ITEM = "md-nav__item--pruned"
# How many copies of the explainer pages the scaling run builds (1 = today's guide).
SCALES = (1, 5, 20, 50)
# Copies live in scaled/<NN>/: one folder, so the header rules stay few (feeling_safe/publishing/security_headers.py).
SCALED_FOLDER = "scaled"
_MD_LINK = re.compile(r"\]\(([\w.-]+\.md)((?:#[^)\s]*)?)\)")
_H1 = re.compile(r"^# .*$", re.M)


def copied_page(text: str, copy: int, explainers: set[str]) -> str:
    """An explainer page as copy number `copy`, to sit at scaled/<NN>/<same name>.

    Its title and H1 say which copy it is (titles stay unique); links to other
    explainer pages stay inside the same copy, links to any other page go up
    to the one page there is. The rest of the front matter is kept, so the
    copy passes the content model as the page does.
    """
    meta, body = split_front_matter(text)
    title = f"{meta['title']} (copy {copy})"
    body = _H1.sub(lambda _: f"# {title}", body, count=1)
    up = "../" * (SCALED_FOLDER.count("/") + 2)
    body = _MD_LINK.sub(lambda m: m.group(0) if m.group(1) in explainers else f"]({up}{m.group(1)}{m.group(2)})", body)
    front = yaml.safe_dump({**meta, "title": title}, sort_keys=False, allow_unicode=True)
    return f"---\n{front}---\n\n{body}"


def scaled_docs(docs: Path, dest: Path, nav: list, scale: int) -> list:
    """Copy `docs` to `dest` plus scale-1 more copies of each explainer page; returns the nav.

    The copies follow the guide's nav as sections "Copy 2", "Copy 3"...,
    each in the guide's reading order. Nothing is written into `docs`.
    """
    shutil.copytree(docs, dest)
    order = [src for src in nav_sources(nav) if (docs / src).is_file()]
    explainers = [src for src in order
                  if split_front_matter((docs / src).read_text(encoding="utf-8-sig"))[0].get("kind") == "explainer"]
    names = set(explainers)
    scaled_nav = list(nav)
    for copy in range(2, scale + 1):
        section = []
        for src in explainers:
            rel = f"{SCALED_FOLDER}/{copy:02d}/{src}"
            text = copied_page((docs / src).read_text(encoding="utf-8-sig"), copy, names)
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            (dest / rel).write_text(text, encoding="utf-8")
            section.append(rel)
        scaled_nav.append({f"Copy {copy}": section})
    return scaled_nav


def cpu_build(config: dict, site_dir: Path, timings: Path) -> float:
    """Strict build of `config` into `site_dir`; returns the child's CPU seconds (user + sys).

    The child is feeling_safe/measuring/build_timing.py, which also writes each hook's CPU
    seconds to `timings`.
    """
    env = dict(os.environ)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run([sys.executable, "-m", "feeling_safe.measuring.build_timing", str(timings), "--strict",
                             "--config-file", "-", "--site-dir", str(site_dir)],
                            input=yaml.safe_dump(config), text=True, capture_output=True, cwd=ROOT, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise RuntimeError(f"build failed ({site_dir.name}):\n{result.stderr[-3000:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def breakdown_rows(total: float, timings: dict[str, float], top: int = 12) -> list[tuple[str, float]]:
    """Where a build's CPU time went: the costliest hook events, then everything else."""
    ranked = sorted(timings.items(), key=lambda item: (-item[1], item[0]))
    rows = ranked[:top]
    rows.append(("other hook events", sum(seconds for _, seconds in ranked[top:])))
    rows.append(("MkDocs, Material, startup (no hook)", total - sum(timings.values())))
    return rows


def scaling_run(config_file: str, scales: tuple[int, ...], work: Path, repeat: int = 1) -> str:
    """Build each scale with our config and with plain Material; the CPU table and breakdown.

    With `repeat` > 1 each build runs that many times and the least CPU time
    counts (the least disturbed run: other processes only ever add time).
    """
    raw = yaml.load((ROOT / config_file).read_text(encoding="utf-8"), Loader=_IgnoreTags)
    plain = plain_config(raw, material_page_templates(ROOT / raw.get("docs_dir", "docs"), work / "material-pages"))
    rows, last = [], None
    for scale in scales:
        docs = work / f"docs-{scale}x"
        nav = scaled_docs(ROOT / raw.get("docs_dir", "docs"), docs, raw["nav"], scale)
        pages = {"docs_dir": str(docs), "nav": nav}
        best: dict[str, tuple[float, dict]] = {}
        for _ in range(max(1, repeat)):
            for name, config in (("ours", {"INHERIT": config_file, **pages}), ("plain", {**plain, **pages})):
                timings = work / f"{name}-{scale}x.json"
                seconds = cpu_build(config, work / f"{name}-{scale}x", timings)
                if name not in best or seconds < best[name][0]:
                    best[name] = (seconds, json.loads(timings.read_text(encoding="utf-8")))
        built = sum(1 for _ in (work / f"ours-{scale}x").rglob("index.html"))
        rows.append(Row(f"{scale}x ({built} pages) CPU s", best["ours"][0], best["plain"][0], digits=1))
        if scale == max(scales) and PRUNED_ITEM in (work / f"ours-{scale}x" / "index.html").read_text(encoding="utf-8"):
            # Ours pruned its nav (plugin/material.py): plain Material given the same pruning too.
            pruned = {**plain, **pages, "theme": {**plain["theme"], "features": [*plain["theme"].get("features", []), PRUNE]}}
            seconds = min(cpu_build(pruned, work / f"plain-pruned-{scale}x", work / "pruned.json")
                          for _ in range(max(1, repeat)))
            rows.append(Row(f"{scale}x, plain Material pruning its nav too, CPU s", best["ours"][0], seconds, digits=1))
            shutil.rmtree(work / f"plain-pruned-{scale}x", ignore_errors=True)
        if scale == max(scales):  # the largest build: what publishing it adds
            last = (scale, *best["ours"], compress_cpu(work / f"ours-{scale}x"))
        for name in (f"ours-{scale}x", f"plain-{scale}x", f"docs-{scale}x"):
            shutil.rmtree(work / name, ignore_errors=True)
    text = table(rows, "build CPU time (user+sys)")
    if last:
        scale, total, timings, compressing = last
        lines = [f"| where our {scale}x build's CPU goes | s | share |", "|---|---:|---:|"]
        lines += [f"| {name} | {seconds:.1f} | {seconds / total:.0%} |"
                  for name, seconds in breakdown_rows(total, timings)]
        text += "\n\n" + "\n".join(lines)
        text += (f"\n\nThen `make build` writes the compressed copies a server sends (feeling_safe/publishing/precompress.py, "
                 f"after the generator): {compressing:.1f} s CPU more at {scale}x.")
    return text


def compress_cpu(site_dir: Path) -> float:
    """CPU seconds (every thread of this process) to write a built site's compressed copies."""
    before = resource.getrusage(resource.RUSAGE_SELF)
    precompress(site_dir)
    after = resource.getrusage(resource.RUSAGE_SELF)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


# --- Lighthouse ---------------------------------------------------------------

def lighthouse_binary() -> str | None:
    """`lighthouse` from LIGHTHOUSE, node_modules/.bin, or PATH; None when not installed."""
    for candidate in (os.environ.get("LIGHTHOUSE"), str(ROOT / "node_modules" / ".bin" / "lighthouse"),
                      shutil.which("lighthouse")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def lighthouse_scores(report: dict) -> dict[str, float]:
    """The four category scores (0-100) and FCP/LCP (ms) from a Lighthouse JSON report."""
    scores = {name: round(report["categories"][name]["score"] * 100) for name in LIGHTHOUSE_CATEGORIES}
    scores["FCP ms"] = report["audits"]["first-contentful-paint"]["numericValue"]
    scores["LCP ms"] = report["audits"]["largest-contentful-paint"]["numericValue"]
    return scores


def run_lighthouse(binary: str, url: str) -> dict[str, float]:
    """One mobile Lighthouse run (its default profile: simulated slow 4G, mid-range phone)."""
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    flags = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --disable-extensions"
    result = subprocess.run([binary, url, "--quiet", "--output=json", "--output-path=stdout",
                             f"--only-categories={','.join(LIGHTHOUSE_CATEGORIES)}",
                             f"--chrome-flags={flags}"], capture_output=True, text=True, env=env, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    return lighthouse_scores(json.loads(result.stdout))


def lighthouse_rows(ours: dict[str, dict], default: dict[str, dict]) -> list[Row]:
    rows = []
    for url in ours:
        for key in (*LIGHTHOUSE_CATEGORIES, "FCP ms", "LCP ms"):
            rows.append(Row(f"/{url} {key}", ours[url][key], default[url][key], digits=0))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config-file", default="mkdocs.yml")
    parser.add_argument("--no-lighthouse", action="store_true", help="skip Lighthouse even if installed")
    parser.add_argument("--scales", default=",".join(map(str, SCALES)),
                        help="copies of the explainer pages for the build-cost run, e.g. 1,5,20,50 ('' skips it)")
    parser.add_argument("--only-scaling", action="store_true", help="run only the build-cost run")
    parser.add_argument("--repeat", type=int, default=1, help="build each scale this many times; the least CPU counts")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per site for search and blocking time")
    args = parser.parse_args(argv)
    scales = tuple(int(n) for n in args.scales.split(",") if n.strip())
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        if not args.only_scaling:
            weigh(args.config_file, work, lighthouse=not args.no_lighthouse, runs=args.runs)
        if scales:
            print(("" if args.only_scaling else "\n") + scaling_run(args.config_file, scales, work, args.repeat))
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def weigh(config_file: str, work: Path, lighthouse: bool, runs: int) -> None:
    """What a reader gets from each site, ours against the default: bytes, paints, search, blocking."""
    ours_config = {"INHERIT": config_file}
    raw = yaml.load((ROOT / config_file).read_text(encoding="utf-8"), Loader=_IgnoreTags)
    defaults = default_config(raw, material_page_templates(ROOT / raw.get("docs_dir", "docs"), work / "material-pages"))
    sites = {"ours": work / "ours", "default": work / "default"}
    seconds = {"ours": build(ours_config, sites["ours"]), "default": build(defaults, sites["default"])}
    publish_like_ours(sites["default"])
    precompress(sites["ours"])  # as `make build` publishes it
    weights = {name: measure(folder) for name, folder in sites.items()}
    rows = [row for row in weight_rows(weights["ours"], weights["default"]) if row.label.startswith("median")]
    rows.append(Row("build time s", seconds["ours"], seconds["default"], digits=2))
    print(table(rows, "what the markup asks for (KB gzip -9)"))
    pages = [page for page in article_pages(sites["ours"]) if page in article_pages(sites["default"])]
    with served(sites, work) as urls:
        print()
        print(first_paint_table({name: first_paints(urls[name], pages) for name in sites}))
        visits = visit_transfers({name: [urls[name] + page for page in pages] for name in sites})
        print()
        print(first_visit_table({name: {page: visits[name][urls[name] + page] for page in pages} for name in sites}))
        steps = walks({name: [urls[name] + page for page in WALK] for name in sites}, runs=3)
        print()
        print(walk_table(steps))
        blocking = blocking_times({name: [urls[name] + page for page in BLOCKING_PAGES] for name in sites}, runs)
        print()
        print(blocking_table(blocking))
        indexes = {name: json.loads((folder / "search" / "search_index.json").read_text(encoding="utf-8"))
                   for name, folder in sites.items()}
        times = search_times({name: (urls[name] + SEARCH_PAGE, urls[name], indexes[name]) for name in sites}, runs)
        print()
        print(search_table(times, indexes["ours"], runs))
        binary = lighthouse_binary() if lighthouse else None
        if binary is not None:
            scores = {name: {page: run_lighthouse(binary, urls[name] + page) for page in LIGHTHOUSE_PAGES}
                      for name in sites}
            print()
            print(table(lighthouse_rows(scores["ours"], scores["default"]), "Lighthouse mobile"))
    if binary is None:
        print("\nLighthouse not run (install lighthouse@12.8.2 from npm to add the mobile scores).")
    print()
    print(serve_rebuild_table())


if __name__ == "__main__":
    sys.exit(main())
