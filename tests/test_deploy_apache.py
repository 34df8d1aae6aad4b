"""The Apache recipe, for real: deploy/apache/site.conf and the build's `.htaccess` serve the
built site with Debian's apache2 (feeling_safe/measuring/apache_site.py), and every answer
carries the headers the other hosts send, from the same rules (the checks are shared with
the nginx recipe's: tests/served.py).

What Apache cannot do is checked as documented: the oEmbed endpoint answers with the
default sizes whatever maxwidth and maxheight ask (a static file's body cannot take a
query value), which deploy/apache/site.conf and README say.
"""
from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from feeling_safe.publishing.security_headers import APACHE_FILE, APACHE_SERVER_FILE
from served import (
    EMBED_SLUG,
    answer_problems,
    assert_folders_unknown_addresses_and_host_files,
    fetch,
    oembed_sizes,
    promised_header_problems,
)


@pytest.fixture(scope="module")
def apache_url(site_dir, tmp_path_factory) -> str:
    from feeling_safe.measuring.apache_site import serve_with_apache

    with serve_with_apache(site_dir, tmp_path_factory.mktemp("apache")) as url:
        yield url


@pytest.fixture(scope="module")
def page_url(site_dir) -> str:
    feed = json.loads((site_dir / "api/v1/pages.json").read_text(encoding="utf-8"))
    return next(p["url"] for p in feed["pages"] if p["slug"] == EMBED_SLUG)


def test_the_build_writes_the_apache_rules(site_dir):
    text = (site_dir / APACHE_FILE).read_text(encoding="utf-8")
    assert text.count("<ElseIf ") > 50 and "<Else>" in text and "Header always set" in text
    assert "Header always set Content-Security-Policy" in (site_dir / APACHE_SERVER_FILE).read_text(encoding="utf-8")


def test_apache_sends_what_headers_file_promises_for_every_file(site_dir, apache_url):
    problems, checked = promised_header_problems(site_dir, apache_url)
    assert checked > 5 * 50, "too few files or headers checked"
    assert not problems, "\n".join(problems)


def test_folder_addresses_unknown_paths_and_host_files(apache_url):
    assert_folders_unknown_addresses_and_host_files(apache_url)


def test_every_answer_apache_gives_carries_the_headers_errors_too(apache_url, page_url):
    problems, seen = answer_problems(apache_url, page_url)
    assert {200, 206, 301, 304, 400, 404, 414, 416, 501} <= seen, seen
    assert not problems, "\n".join(problems)


def test_the_oembed_endpoint_answers_with_the_page_s_file(site_dir, apache_url, page_url):
    built = json.loads((site_dir / f"api/v1/oembed/{EMBED_SLUG}.json").read_text(encoding="utf-8"))
    for asked in (page_url, page_url.rstrip("/"), quote(page_url, safe=""), page_url.replace("https:", "http:")):
        status, headers, body = fetch(f"{apache_url}api/v1/oembed?url={asked}&format=json")
        assert status == 200 and json.loads(body) == built, asked
        assert headers["Content-Type"] == "application/json" and headers["Access-Control-Allow-Origin"] == "*"
    for encoding in ("identity", "gzip", "br"):   # documented: the default sizes, whatever is asked
        status, data = oembed_sizes(apache_url, page_url, encoding, maxwidth=500, maxheight=300)
        assert status == 200 and (data["width"], data["height"]) == (built["width"], built["height"])
    for unknown in ("https://elsewhere.example/what-it-is/", page_url + "x/", ""):
        status, headers, body = fetch(f"{apache_url}api/v1/oembed?url={quote(unknown, safe='')}&format=json")
        assert status == 404 and headers["Content-Type"] == "application/json" and "error" in json.loads(body), unknown
    status, headers, body = fetch(f"{apache_url}api/v1/oembed?url={quote(page_url, safe='')}&format=xml")
    assert status == 501 and headers["Content-Type"] == "application/json" and "error" in json.loads(body)
