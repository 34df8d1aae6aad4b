"""Check that requirements.txt is a complete lock for what is installed.

Why: the lock is installed with `pip install --no-deps` (Material declares a
dependency on the `mkdocs` package, which ProperDocs provides under its own
name), so pip no longer checks that every package's needs are met. This does:
each locked package is installed at its pinned version, and every need it
declares (for our platform, without extras) is met by another locked package.
The generator's API name `mkdocs` counts as met by whichever generator is
locked (ProperDocs, or MkDocs itself after going back).
"""
from __future__ import annotations

import argparse
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

# A package that provides another's import API: {provider: the name it stands for}.
PROVIDES = {"properdocs": "mkdocs"}
# Installed but never locked: the installer itself and this project (pyproject.toml).
UNLOCKED = {"pip", "feeling-safe-in-therapy"}


def read_lock(path: Path) -> dict[str, str]:
    """{canonical name: pinned version} from `name==version` lines (comments ignored)."""
    pins: dict[str, str] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        name, sep, version = line.partition("==")
        if not sep or not name.strip() or not version.strip():
            raise ValueError(f"{path}:{number}: '{line}' is not pinned as name==version")
        pins[canonicalize_name(name.strip())] = version.strip()
    return pins


def problems(pins: dict[str, str], installed_version=metadata.version,
             requires=metadata.requires) -> list[str]:
    """One line per locked package that is missing, at another version, or whose needs the lock lacks."""
    provided = {stands_for: provider for provider, stands_for in PROVIDES.items() if provider in pins}
    found: list[str] = []
    for name, pinned in sorted(pins.items()):
        try:
            version = installed_version(name)
        except metadata.PackageNotFoundError:
            found.append(f"{name}=={pinned} is locked but not installed; run make venv")
            continue
        if version != pinned:
            found.append(f"{name} is {version}, the lock says {pinned}; run make venv")
            continue
        for text in requires(name) or []:
            need = Requirement(text)
            if need.marker and not need.marker.evaluate({"extra": ""}):
                continue
            needed = canonicalize_name(need.name)
            if needed in provided:
                continue
            if needed not in pins:
                found.append(f"{name} needs {need}, which requirements.txt does not lock; "
                             f"add it pinned with ==")
            elif not need.specifier.contains(pins[needed], prereleases=True):
                found.append(f"{name} needs {need}, but requirements.txt locks {needed}=={pins[needed]}")
    return found


def extras(pins: dict[str, str]) -> list[str]:
    """Installed packages the lock does not list (left over from an older lock, such as mkdocs)."""
    installed = {canonicalize_name(dist.metadata["Name"]) for dist in metadata.distributions()}
    return sorted(installed - set(pins) - UNLOCKED)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lock", nargs="?", default="requirements.txt", type=Path)
    parser.add_argument("--extras", action="store_true",
                        help="only list installed packages the lock does not list, one a line (to uninstall)")
    args = parser.parse_args(argv)
    try:
        pins = read_lock(args.lock)
        if args.extras:
            print("\n".join(extras(pins)))
            return 0
        found = problems(pins) + [f"{name} is installed but not locked; make venv removes it"
                                  for name in extras(pins)]
    except ValueError as error:
        found = [str(error)]
    for line in found:
        print(f"{args.lock}: {line}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
