"""What a writer waits for under `make serve`: one live-reload rebuild, ours against plain Material.

Why: the generator's server rebuilds the whole site, in the same process,
each time a file is saved (`properdocs serve`: a fresh config, the same
plugin instances, then `build(config, serve_url=...)`). This module does the
same: a first build, then a one-page edit (a line appended to a copy of the
docs, never docs/ itself) and the rebuild, timed in wall and CPU seconds,
for our config and for plain Material given the same docs (the bench's
baseline, feeling_safe/measuring/bench.py). Each config runs in its
own child process, as each `serve` does; the least of `--repeat` rebuilds
counts (other processes only ever add time).

Usage: `python -m feeling_safe.measuring.serve_rebuild [--scale N] [--repeat R]`
"""
from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from feeling_safe.content.readingpath import nav_sources

SERVE_URL = "http://127.0.0.1:8000/"


def serve_rebuild(config_text: str, site_dir: Path, edited: Path, repeat: int = 3) -> dict[str, float]:
    """{"wall": s, "cpu": s} of the quickest of `repeat` rebuilds as `serve` runs them, each
    after a line is appended to the page file `edited`. Run from the repository root."""
    # In the child only (the parent never imports the generator); the package installed its alias.
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    def fresh_config():
        stream = io.BytesIO(config_text.encode("utf-8"))
        stream.name = "<stdin>"  # as `--config-file -` reads it: INHERIT and paths from the working folder
        config = load_config(config_file=stream, site_dir=str(site_dir))
        config.site_url = SERVE_URL
        return config

    config = fresh_config()
    config.plugins.on_startup(command="serve", dirty=False)
    build(config, serve_url=SERVE_URL)  # the server's first build
    best = {"wall": float("inf"), "cpu": float("inf")}
    for number in range(max(1, repeat)):
        with edited.open("a", encoding="utf-8") as page:
            page.write(f"\nAn edit, number {number + 1}.\n")
        wall, cpu = time.perf_counter(), time.process_time()
        build(fresh_config(), serve_url=SERVE_URL)
        best = {"wall": min(best["wall"], time.perf_counter() - wall), "cpu": min(best["cpu"], time.process_time() - cpu)}
    return best


def _child(argv: list[str]) -> int:
    config_file, site_dir, edited, repeat = argv
    text = Path(config_file).read_text(encoding="utf-8")
    print(json.dumps(serve_rebuild(text, Path(site_dir), Path(edited), int(repeat))))
    return 0


def compare(scale: int = 1, repeat: int = 3) -> dict[str, dict[str, float]]:
    """Ours and plain Material's serve rebuild of the guide (`scale` copies of its explainers)."""
    from feeling_safe.measuring import bench

    work = Path(tempfile.mkdtemp(prefix="serve-rebuild-"))
    try:
        raw = yaml.load((bench.ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=bench._IgnoreTags)
        source = bench.ROOT / raw.get("docs_dir", "docs")
        docs = work / "docs"
        nav = bench.scaled_docs(source, docs, raw["nav"], scale)
        pages = {"docs_dir": str(docs), "nav": nav}
        plain = bench.plain_config(raw, bench.material_page_templates(source, work / "material-pages"))
        edited = docs / nav_sources(raw["nav"])[1]  # the first page after home: an explainer
        found = {}
        for name, config in (("ours", {"INHERIT": "mkdocs.yml", **pages}), ("plain", {**plain, **pages})):
            config_file = work / f"{name}.yml"
            config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
            result = subprocess.run([sys.executable, "-m", "feeling_safe.measuring.serve_rebuild", "--child",
                                     str(config_file), str(work / f"{name}-site"), str(edited), str(repeat)],
                                    check=False, cwd=bench.ROOT, capture_output=True, text=True)
            if result.returncode != 0:
                raise RuntimeError(f"serve rebuild failed ({name}):\n{result.stderr[-3000:]}")
            found[name] = json.loads(result.stdout.strip().splitlines()[-1])
        return found
    finally:
        shutil.rmtree(work, ignore_errors=True)


def table(found: dict[str, dict[str, float]], scale: int) -> str:
    lines = [f"| one rebuild under serve, {scale}x | ours | plain Material | ours/plain |", "|---|---:|---:|---:|"]
    for key, label in (("wall", "wall s"), ("cpu", "CPU s")):
        ours, plain = found["ours"][key], found["plain"][key]
        lines.append(f"| {label} | {ours:.2f} | {plain:.2f} | {ours / plain:.2f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return _child(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1, help="copies of the explainer pages (1 = today's guide)")
    parser.add_argument("--repeat", type=int, default=3, help="rebuilds per config; the quickest counts")
    args = parser.parse_args(argv)
    print(table(compare(args.scale, args.repeat), args.scale))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
