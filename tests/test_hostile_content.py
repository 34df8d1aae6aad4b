"""Content cannot widen what runs: injected code fails the build, or is blocked by the policy.

A page's Markdown may carry raw HTML (pages need it for the reader tools);
any inline script, event handler, javascript: address or inline style in it
fails the build naming the page and line (feeling_safe/pages/allowed_markup.py). What
reaches a served page any other way (a file changed after the build) is
blocked by the Content-Security-Policy, tested in Chromium under nginx.
"""
from __future__ import annotations

import gzip
import shutil

import brotli
import pytest

from sitebuild import fixture_config, mkdocs_build, write_page

INJECTIONS = {
    "script element": ("<script>alert(1)</script>", "inline <script>"),
    "script in a div": ('<div markdown="1">\n<script>document.title="x"</script>\n</div>', "inline <script>"),
    "image onerror": ('<img src="x" alt="" onerror="alert(1)">', "onerror="),
    "details ontoggle": ('<details ontoggle="alert(1)" open><summary>More</summary>Text.</details>', "ontoggle="),
    "attribute list onclick": ('A paragraph a reader might tap.\n{ onclick="alert(1)" }', "onclick="),
    "heading attribute list": ('## A heading { onmouseover="alert(1)" }', "onmouseover="),
    "markdown javascript link": ("[Tap here](javascript:alert(1))", "javascript: address"),
    "html javascript link": ('<a href=" JAVASCRIPT:alert(1)">Tap</a>', "javascript: address"),
    "iframe javascript src": ('<iframe src="javascript:alert(1)" title="x"></iframe>', "javascript: address"),
    "form javascript action": ('<form action="javascript:alert(1)"><button>Go</button></form>', "action= attribute"),
    "style element": ("<style>body{display:none}</style>", "<style> element"),
    "style attribute": ('<p style="display:none">Hidden.</p>', "style= attribute"),
    "svg onload": ('<svg onload="alert(1)"><title>x</title></svg>', "onload="),
}


@pytest.mark.parametrize("case", list(INJECTIONS))
def test_injected_code_in_a_page_fails_the_build_naming_page_and_line(case, docs_tree, tmp_path):
    markup, words = INJECTIONS[case]
    write_page(docs_tree, "index.md", "# Home\n\nNothing odd here.")
    page = write_page(docs_tree, "other.md", f"# Other\n\nFirst paragraph.\n\n{markup}\n\nLast paragraph.")
    result = mkdocs_build(tmp_path / "site", fixture_config(docs_tree))
    assert result.returncode != 0, f"{case} was built"
    lines = [line.strip() for line in result.stderr.splitlines() if words in line]
    assert lines and all(line.startswith("docs/other.md:") for line in lines), result.stderr
    first = page.read_text(encoding="utf-8").splitlines().index(markup.splitlines()[0]) + 1
    marked = [int(line.split(":")[1]) for line in lines]
    assert all(first <= number < first + len(markup.splitlines()) for number in marked), (first, lines)
    assert "Content-Security-Policy" in result.stderr
    assert not (tmp_path / "site" / "_headers").exists()


TAMPERED = """
<script>window.pwned = "script";</script>
<img src="/no-such-image.png" alt="" onerror="window.pwned = 'handler'">
<a id="js-link" href="javascript:window.pwned='link'">tap</a>
<p id="styled" style="color: rgb(255, 0, 0)">styled</p>
"""


def test_the_served_policy_blocks_code_added_to_a_page_after_the_build(site_dir, browser, tmp_path_factory):
    """A built page changed on the server: its new inline script, handler, javascript: link and
    inline style are all refused by the policy nginx sends with it."""
    from feeling_safe.measuring.nginx_site import serve_with_nginx

    copy = tmp_path_factory.mktemp("tampered") / "site"
    shutil.copytree(site_dir, copy)
    page = copy / "what-it-is" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</article>", TAMPERED + "</article>", 1),
                    encoding="utf-8")
    # nginx sends the compressed copies in the page's place (feeling_safe/publishing/precompress.py): change what is served.
    page.with_name("index.html.gz").write_bytes(gzip.compress(page.read_bytes()))
    page.with_name("index.html.br").write_bytes(brotli.compress(page.read_bytes()))
    with serve_with_nginx(copy, tmp_path_factory.mktemp("nginx-tampered")) as base:
        context = browser.new_context()
        tab = context.new_page()
        violations = []
        tab.on("console", lambda message: violations.append(message.text)
               if "Content Security Policy" in message.text else None)
        tab.goto(base + "what-it-is/")
        tab.wait_for_load_state("load")
        tab.click("#js-link")
        tab.wait_for_timeout(300)
        assert tab.evaluate("window.pwned") is None
        assert tab.evaluate("getComputedStyle(document.getElementById('styled')).color") != "rgb(255, 0, 0)"
        assert len(violations) >= 3, violations
        context.close()
