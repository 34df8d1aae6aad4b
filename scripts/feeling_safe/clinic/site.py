"""A clinic's branded site: check its file, or build the site from it (`make clinic`)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from feeling_safe.checks.yaml_file import load_yaml
from feeling_safe.clinic.file import ClinicError, clinic_log, load, warnings

# The clinic file's fields that name a file beside it (the build reads them: an output must not hold them).
FILE_FIELDS = (("logo", "path"), ("logo", "on_primary"))


def child_config(clinic_file: str | Path, handouts: bool = False) -> dict:
    """The one-screen config that INHERITs mkdocs.yml and hands the clinic file to our plugin,
    which checks it (once) before anything is built and brands the site from it."""
    return {"INHERIT": "mkdocs.yml",
            "plugins": {"feeling-safe": {"clinic_file": str(Path(clinic_file).resolve()), "handouts": handouts}}}


def read_files(clinic_file: str | Path) -> list[Path]:
    """The clinic file and the files it names (its logo and the logo's light version), for the
    output check before anything is written; a field that is not a path is left to the clinic
    check, which the build runs first and which names it."""
    clinic_file = Path(clinic_file)
    found = [clinic_file]
    try:
        data = load_yaml(clinic_file)
    except (ValueError, OSError, RecursionError):
        return found
    for section, field in FILE_FIELDS:
        value = data.get(section) if isinstance(data, dict) else None
        path = value.get(field) if isinstance(value, dict) else None
        if isinstance(path, str) and path.strip():
            found.append(clinic_file.parent / path)
    return found


def build(clinic_file: str | Path, out: str | Path, handouts: bool = False, compress: bool = True) -> int:
    """Build the clinic's site into `out` atomically.

    A bad clinic file stops the build in its first step, listing every
    problem; a failed build leaves an earlier `out` as it was. Run from the
    repo root (the child config INHERITs ./mkdocs.yml).
    """
    from feeling_safe.publishing import safe_build

    if not Path(clinic_file).is_file():
        print(f"{clinic_file}: no such clinic file; copy clinics/example.yml and edit it.", file=sys.stderr)
        return 2
    config_text = yaml.safe_dump(child_config(clinic_file, handouts), sort_keys=False, allow_unicode=True)
    keep = read_files(clinic_file)  # a rebuild must not delete them with the old site
    if handouts:
        from feeling_safe.publishing.handouts import build_with_handouts
        return build_with_handouts(config_text, out, keep=keep, compress=compress)
    return safe_build.build("-", out, config_text=config_text, keep=keep, compress=compress)


def main(argv: list[str] | None = None) -> int:
    from feeling_safe.publishing.safe_build import NO_COMPRESS_HELP

    parser = argparse.ArgumentParser(description="Check a clinic file, or build its branded site.")
    parser.add_argument("config", help="the clinic file, e.g. clinics/example.yml")
    parser.add_argument("--out", help="build the site into this folder (atomic)")
    parser.add_argument("--handouts", action="store_true", help="also render the PDF handouts")
    parser.add_argument("--no-compress", dest="compress", action="store_false", help=NO_COMPRESS_HELP)
    args = parser.parse_args(argv)
    if args.out:
        return build(args.config, args.out, handouts=args.handouts, compress=args.compress)
    try:
        clinic = load(args.config)
    except ClinicError as error:
        print(error, file=sys.stderr)
        return 2
    for line in warnings(clinic):
        clinic_log.warning(line)
    print(f"{args.config}: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())

