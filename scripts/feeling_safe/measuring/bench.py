"""`make bench`: our site against Material's default build of the same docs.

Why: "lighter and faster than the theme's default" should be a number anyone
can reproduce. Both sites are built from the same docs/ and nav, measured
byte for byte (feeling_safe/measuring/page_weight.py: what a first visit downloads, gzip -9)
and, when Lighthouse is installed, served compressed by Debian's nginx (or a
small gzip-capable Python server) and scored on Lighthouse's mobile profile.
Two more figures: each page's first paint on the wire, served by nginx with
deploy/nginx/site.conf (feeling_safe/measuring/first_paint.py), and the time from "/" to the
first search result on Lighthouse's phone profile (feeling_safe/measuring/search_timing.py).

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
of each build; the goal is at most twice plain Material's at 50x. Our
plugin's CPU time per event comes from the same build (feeling_safe/measuring/build_timing.py).
"""
from __future__ import annotations

import argparse
import functools
import getpass
import grp
import gzip
import http.server
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from feeling_safe.content.frontmatter import split_page as split_front_matter
from feeling_safe.content.readingpath import nav_sources
from feeling_safe.measuring.first_paint import ONE_ROUND_TRIP, FirstPaint, first_paint
from feeling_safe.measuring.localserver import free_port, wait_for_port
from feeling_safe.measuring.nginx_site import serve_with_nginx
from feeling_safe.measuring.page_weight import Weight, first_visit
from feeling_safe.measuring.search_timing import search_times
from feeling_safe.measuring.visit_transfer import median_kb, visit_transfers
from feeling_safe.plugin.generator import command
from feeling_safe.publishing.chromium import CHROMIUM
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


def first_paint_table(figures: list[FirstPaint]) -> str:
    """Per page: bytes on the wire before the first paint, against one round trip's 14,600."""
    lines = [f"| first paint, as deployed (bytes on the wire) | HTML | blocking CSS | total | of {ONE_ROUND_TRIP:,} |",
             "|---|---:|---:|---:|---:|"]
    for figure in figures:
        css = sum(figure.stylesheets.values())
        over = "ok" if figure.total <= ONE_ROUND_TRIP else f"{figure.total - ONE_ROUND_TRIP:,} over"
        lines.append(f"| {urlsplit(figure.url).path} | {figure.html:,} | {css:,} | {figure.total:,} | {over} |")
    return "\n".join(lines)


def first_paints(site_dir: Path) -> list[FirstPaint]:
    """Every page's first-paint bytes, served by nginx with deploy/nginx/site.conf and the build's headers."""
    prefix = Path(tempfile.mkdtemp(prefix="bench-first-paint-"))
    try:
        with serve_with_nginx(site_dir, prefix) as url:
            return [first_paint(url + page) for page in article_pages(site_dir)]
    finally:
        shutil.rmtree(prefix, ignore_errors=True)


# --- build cost at scale ---------------------------------------------------

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


# --- serving ----------------------------------------------------------------



def nginx_conf(prefix: Path, sites: dict[int, Path]) -> str:
    """nginx.conf serving each folder on its loopback port, gzip on, all under `prefix`."""
    user = f"user {getpass.getuser()} {grp.getgrgid(os.getgid()).gr_name};\n" if os.geteuid() == 0 else ""
    temps = "".join(f"  {kind}_temp_path {prefix / kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    servers = "".join(f"  server {{ listen 127.0.0.1:{port}; root {root}; index index.html; "
                      f"error_page 404 /404.html; }}\n" for port, root in sites.items())
    return (f"{user}daemon off;\nworker_processes 1;\npid {prefix / 'nginx.pid'};\nerror_log {prefix / 'error.log'} warn;\n"
            "events { worker_connections 64; }\nhttp {\n  include /etc/nginx/mime.types;\n  access_log off;\n"
            "  gzip on;\n  gzip_comp_level 9;\n  gzip_min_length 0;\n"
            "  gzip_types text/css application/javascript text/javascript application/json image/svg+xml text/xml;\n"
            f"{temps}{servers}}}\n")


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Fallback when nginx is missing: static files, gzip -9 when the client accepts it."""

    def log_message(self, *args):
        pass

    def send_head(self):  # noqa: D401 - same contract as the base class
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 9, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        import io
        return io.BytesIO(body)


@contextmanager
def serve_compressed(sites: dict[str, Path]):
    """Serve each named folder compressed on loopback; yields {name: base URL}."""
    ports = {name: free_port() for name in sites}
    if Path(NGINX).exists():
        prefix = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
        conf = prefix / "nginx.conf"
        conf.write_text(nginx_conf(prefix, {ports[n]: p for n, p in sites.items()}), encoding="utf-8")
        server = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            for port in ports.values():
                wait_for_port(port, server)
            yield {name: f"http://127.0.0.1:{port}/" for name, port in ports.items()}
        finally:
            server.terminate()
            server.wait(timeout=10)
            shutil.rmtree(prefix, ignore_errors=True)
        return
    servers = []
    for name, folder in sites.items():
        handler = functools.partial(_GzipHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", ports[name]), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    try:
        yield {name: f"http://127.0.0.1:{port}/" for name, port in ports.items()}
    finally:
        for server in servers:
            server.shutdown()




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
    args = parser.parse_args(argv)
    scales = tuple(int(n) for n in args.scales.split(",") if n.strip())
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        if not args.only_scaling:
            weigh(args.config_file, work, lighthouse=not args.no_lighthouse)
        if scales:
            print(("" if args.only_scaling else "\n") + scaling_run(args.config_file, scales, work, args.repeat))
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def weigh(config_file: str, work: Path, lighthouse: bool) -> None:
    """What a first visit costs, ours against the default; Lighthouse's scores if installed."""
    ours_config = {"INHERIT": config_file}
    raw = yaml.load((ROOT / config_file).read_text(encoding="utf-8"), Loader=_IgnoreTags)
    defaults = default_config(raw, material_page_templates(ROOT / raw.get("docs_dir", "docs"), work / "material-pages"))
    sites = {"ours": work / "ours", "default": work / "default"}
    seconds = {"ours": build(ours_config, sites["ours"]), "default": build(defaults, sites["default"])}
    precompress(sites["ours"])  # as `make build` publishes it (the default is compressed by nginx as it sends)
    weights = {name: measure(folder) for name, folder in sites.items()}
    rows = weight_rows(weights["ours"], weights["default"])
    rows.append(Row("build time s", seconds["ours"], seconds["default"], digits=2))
    print(table(rows, "first visit (gzip -9, what the markup asks for)"))
    if Path(NGINX).exists():
        print()
        print(first_paint_table(first_paints(sites["ours"])))
    if Path(CHROMIUM).exists():
        with serve_compressed(sites) as urls:
            times = search_times({name: urls[name] + SEARCH_PAGE for name in sites})
            pages = {name: [urls[name] + page for page in article_pages(sites[name])] for name in sites}
            transfers = visit_transfers(pages)
        print()
        print(table([Row("median KB", median_kb(transfers["ours"]), median_kb(transfers["default"])),
                     Row("largest KB", max(transfers["ours"].values()) / 1024,
                         max(transfers["default"].values()) / 1024)],
                    "first visit in Chromium, until idle (scripts' own requests too)"))
        print()
        print(table([Row(f'"/" to first result, /{SEARCH_PAGE} ms', times["ours"][0], times["default"][0], digits=0),
                     Row(f'"/" to full-text results, /{SEARCH_PAGE} ms', times["ours"][1], times["default"][1],
                         digits=0)],
                    "search on Lighthouse's phone profile (median of 3)"))
    binary = lighthouse_binary() if lighthouse else None
    if binary is None:
        print("\nLighthouse not run (install lighthouse@12.8.2 from npm to add the mobile scores).")
        return
    with serve_compressed(sites) as urls:
        scores = {name: {page: run_lighthouse(binary, urls[name] + page) for page in LIGHTHOUSE_PAGES}
                  for name in sites}
    print()
    print(table(lighthouse_rows(scores["ours"], scores["default"]), "Lighthouse mobile"))


if __name__ == "__main__":
    sys.exit(main())
