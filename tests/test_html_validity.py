"""Every built page is valid HTML, by the Nu Html Checker (vnu.jar from npm).

One Java run checks the whole built site (plus a deliberately broken page,
so the checker is shown to catch errors), to keep the suite fast.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest

from sitebuild import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
BROKEN = "<!doctype html><html lang=en><title>x</title><p><div>nested wrongly</p><input type=checkbox autocomplete=off>"


@pytest.fixture(scope="module")
def vnu_errors(site_dir, tmp_path_factory) -> dict[str, list[str]]:
    """Errors per checked file (site-relative path, or 'canary' for the broken page)."""
    assert shutil.which("java"), "Java is missing: `make test` installs default-jre-headless"
    assert VNU.exists(), f"{VNU} is missing: run `npm ci` (make test does)"
    canary = tmp_path_factory.mktemp("vnu") / "canary.html"
    canary.write_text(BROKEN, encoding="utf-8")
    result = subprocess.run(["java", "-Xss4m", "-jar", str(VNU), "--format", "json", "--skip-non-html",
                             "--errors-only", str(site_dir), str(canary)],
                            capture_output=True, text=True, timeout=300)
    report = json.loads(result.stderr or result.stdout)
    errors = defaultdict(list)
    for message in report["messages"]:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        path = Path(message.get("url", "").removeprefix("file:"))
        name = "canary" if path == canary else (path.relative_to(site_dir).as_posix()
                                                 if path.is_relative_to(site_dir) else str(path))
        errors[name].append(f"line {message.get('lastLine', '?')}: {message['message']}")
    return errors


def test_the_checker_finds_errors_in_a_broken_page(vnu_errors):
    assert any("autocomplete" in error for error in vnu_errors["canary"]), vnu_errors["canary"]


def test_every_built_page_is_valid_html(vnu_errors, built_pages):
    assert built_pages
    found = {name: errors for name, errors in vnu_errors.items() if name != "canary"}
    assert not found, "\n".join(f"{name}:\n  " + "\n  ".join(errors) for name, errors in sorted(found.items()))
