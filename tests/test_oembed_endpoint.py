"""Unit tests for feeling_safe/publishing/oembed_endpoint.py and the sub-path prefix of the header rules (no build)."""
from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from feeling_safe.publishing.oembed_endpoint import NOT_FOUND_FILE, Route, netlify_redirects, nginx_location, up_to, url_pattern
from feeling_safe.publishing.security_headers import HOST_FILES, NEVER_SERVED, nginx_headers, rules

PAGE = "https://example.org/guide/what-it-is/"


@pytest.mark.parametrize("limit", [1, 9, 10, 99, 100, 599, 639, 1000])
def test_up_to_matches_exactly_the_whole_numbers_from_one_to_the_limit(limit):
    pattern = re.compile(up_to(limit))
    assert all(pattern.match(str(n)) for n in range(1, limit + 1))
    assert not any(pattern.match(str(n)) for n in range(limit + 1, limit * 11 + 20))
    assert not any(pattern.match(text) for text in ("0", "01", "-1", "1.5", "", "1e3", " 1"))


@pytest.mark.parametrize("value", [PAGE, PAGE.rstrip("/"), quote(PAGE, safe=""), quote(PAGE, safe="").lower(),
                                   "http://example.org/guide/what-it-is/", quote(PAGE.rstrip("/"), safe="")])
def test_a_page_address_matches_as_given_or_percent_encoded(value):
    assert re.match(url_pattern(PAGE), value, re.I)


@pytest.mark.parametrize("value", ["https://example.org/guide/what-it-is-not/", "https://example.org/what-it-is/",
                                   "https://evil.example/guide/what-it-is/", "https://example.org/guide/what-it-is/x",
                                   "https://example.orgXguide/what-it-is/", "ftp://example.org/guide/what-it-is/", ""])
def test_no_other_address_matches(value):
    assert not re.match(url_pattern(PAGE), value, re.I)


def test_netlify_rules_send_each_page_to_its_file_and_everything_else_to_a_json_404():
    routes = [Route(PAGE, "api/v1/oembed/what-it-is.json"), Route("https://example.org/guide/b/", "api/v1/oembed/b.json")]
    lines = [line for line in netlify_redirects("/guide/", routes).splitlines() if not line.startswith("#")]
    assert lines[-1] == f"/guide/api/v1/oembed /guide/{NOT_FOUND_FILE} 404", "the catch-all comes last"
    assert f"/guide/api/v1/oembed url={PAGE} /guide/api/v1/oembed/what-it-is.json 200" in lines
    assert f"/guide/api/v1/oembed url={PAGE.rstrip('/')} /guide/api/v1/oembed/what-it-is.json 200" in lines
    # First, forced: the files in the folder meant for the server answer the 404 page.
    assert lines[:len(NEVER_SERVED)] == [f"/guide/{name} /guide/404.html 404!" for name in NEVER_SERVED]
    assert len(lines) == len(NEVER_SERVED) + 2 * len(routes) + 1


def test_the_nginx_location_matches_each_page_and_clamps_sizes_to_the_defaults():
    lines = nginx_location("/guide/", [Route(PAGE, "api/v1/oembed/what-it-is.json")], [("A", "b")], 640, 600)
    text = "\n".join(lines)
    assert lines[0] == "location = /guide/api/v1/oembed {" and lines[-1] == "}"
    assert 'add_header A "b" always;' in text and "return 404" in text and "return 501" in text
    assert text.count("if ($arg_url") == 1 and "rewrite ^ /guide/$feeling_safe_oembed break;" in text
    assert "try_files" not in text, "try_files does not work beside if blocks in nginx"


def test_header_rules_and_nginx_locations_carry_the_sub_path():
    headers = (("Cache-Control", "x"),)
    found = rules({"index.html": headers, "embed/a/index.html": (("X", "1"),), "embed.js": (("Y", "2"),)}, "/guide/")
    assert found and all(rule.path.startswith("/guide/") for rule in found)
    text = nginx_headers(found, headers, "/guide/", ["# endpoint"])
    for name in HOST_FILES:
        assert f"location = /guide/{name} {{ return 404; }}" in text
    assert "location /guide/ {" in text and "location / {" not in text and "# endpoint" in text
