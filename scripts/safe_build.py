"""Build the site into a temporary folder and swap it in only on success.

Why: a failed build must never destroy the last good output, so `site/`
(or a clinic's output folder) is replaced in one rename after the generator exits 0.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable

from scripts.generator import command


def build(config_file: str, site_dir: str | os.PathLike, env: dict[str, str] | None = None,
          config_text: str | None = None, finish: Callable[[Path], None] | None = None) -> int:
    """Run a strict build; replace `site_dir` only if it succeeds.

    `config_file` may be "-" with the config in `config_text` (a child config
    that INHERITs mkdocs.yml, resolved from the current folder). Returns
    the generator's exit code; its warnings and errors, which name the file, go
    straight to the terminal. `finish(staging)` adds to a good build before
    the swap (the PDF handouts); if it raises, `site_dir` is left as it was.
    """
    target = Path(site_dir).resolve()
    made = [folder for folder in (target.parent, *target.parent.parents) if not folder.exists()]
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    # mkdtemp makes the folder private (0700); the published folder must be readable by
    # the web server's user (nginx's www-data after `rsync -a site/ ...`), like any other.
    staging.chmod(0o777 & ~_umask())
    run_env = {**os.environ, **(env or {})}
    # Never `-q`: the generator would then drop the warnings that --strict counts.
    cmd = command("build", "--strict", "--config-file", config_file, "--site-dir", str(staging))
    try:
        code = subprocess.run(cmd, env=run_env, input=config_text, text=True).returncode
        if code != 0:
            print(f"Build failed: {target} was left as it was.", file=sys.stderr)
            return code
        if finish is not None:
            finish(staging)
        _swap_in(staging, target)
        return 0
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if not target.exists():
            _remove_empty(made)  # the folders made for the staging copy: a failure leaves nothing


def _remove_empty(folders: list[Path]) -> None:
    """Remove the folders this build made (innermost first), if they are still empty."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            return


def _umask() -> int:
    """The process umask (reading it means setting it, so it is set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _swap_in(staging: Path, target: Path) -> None:
    """Move the fresh build into place with renames, then drop the old one."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        target.rename(old)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config-file", default="mkdocs.yml")
    parser.add_argument("--site-dir", default="site")
    args = parser.parse_args(argv)
    config_text = sys.stdin.read() if args.config_file == "-" else None
    return build(args.config_file, args.site_dir, config_text=config_text)


if __name__ == "__main__":
    sys.exit(main())
