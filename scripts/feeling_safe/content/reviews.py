"""List pages whose review date has passed (`make check-reviews`).

Why: a page's facts age; editors need one command that says which pages are
due, and exits non-zero so a scheduled job can flag them. Set FST_TODAY to
check as of another date.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from feeling_safe.content.frontmatter import as_date, overdue, read_front_matter, today
from feeling_safe.plugin.build_log import own_logger

# The build's "review due" warnings go to their own logger, outside the generator's:
# strict mode counts only its own warnings, and an overdue review must not fail a build.
review_log = own_logger("reviews", "REVIEW DUE")


def overdue_pages(docs_dir: Path, on: dt.date) -> list[tuple[str, dt.date]]:
    """(docs-relative path, next_review) for every page due before `on`, sorted by path."""
    due = []
    for path in sorted(docs_dir.rglob("*.md")):
        meta = read_front_matter(path)
        if overdue(meta, on):
            due.append((path.relative_to(docs_dir).as_posix(), as_date(meta["next_review"])))
    return due


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs-dir", default="docs", type=Path)
    args = parser.parse_args(argv)
    try:
        on = today()
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    due = overdue_pages(args.docs_dir, on)
    for name, when in due:
        print(f"{args.docs_dir.as_posix()}/{name}: review was due on {when}")
    if due:
        print(f"{len(due)} page(s) overdue for review as of {on}.", file=sys.stderr)
        return 1
    print(f"No page is overdue for review as of {on}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
