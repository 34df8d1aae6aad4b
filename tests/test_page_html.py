"""Built pages are read as a browser reads them (feeling_safe/pages/html.py and its users)."""
from __future__ import annotations

import re

import pytest

from feeling_safe.pages import html
from feeling_safe.pages.allowed_markup import Rules, scan
from feeling_safe.pages.css_purge import UsedNames
from feeling_safe.pages.lean_assets import trim_indentation

ALLOWED = [re.compile(r"s\(\)"), re.compile(r"1")]


def _names(page: str) -> UsedNames:
    used = UsedNames()
    used.add_pages([page])
    return used


def test_used_names_are_the_elements_a_browser_builds():
    used = _names('<!doctype html><html dir="ltr"><body CLASS="a  b"><p id=x class=bare>Hi</p>'
                  '<!-- <div class="in-comment"> --><script>var s = "<i class=\'in-script\'>"</script>'
                  '<a title="1 > 0" data-md-color-scheme="slate">x</a><noscript><b class="no-js"></b></noscript>')
    assert {"a", "b", "bare", "no-js"} <= used.classes and "in-comment" not in used.classes
    assert "in-script" not in used.classes and used.ids == {"x"}
    assert {"html", "head", "body", "p", "a", "script", "noscript", "b"} <= used.tags and "i" not in used.tags
    assert ("dir", "ltr") in used.attr_values and ("data-md-color-scheme", "slate") in used.attr_values


def test_used_names_read_text_and_bytes_alike(built_pages):
    pages = [path.read_text(encoding="utf-8") for path in built_pages]
    text, data = UsedNames(), UsedNames()
    text.add_pages(pages)
    data.add_pages(page.encode("utf-8") for page in pages)
    assert text == data and "md-header" in text.classes


@pytest.mark.parametrize("markup, words", [
    # What html.parser and regular expressions read another way than a browser does.
    ('<noscript><!--</noscript><img src=x onerror=alert(1)>--></noscript>', "onerror="),
    ("<p>a<!--></p><img src=x onerror=alert(1)>-->", "onerror="),
    ("<svg><style>a{}</style></svg>", "<style> element"),
    ('<a href="java&#x09;script:alert(1)">x</a>', "javascript: address"),
    ("<SCRIPT>alert(1)</SCRIPT>", "inline <script>"),
    ("<img src=x ONERROR=alert(1)>", "onerror="),
    ('<math><mi xlink:href="javascript:alert(1)">x</mi></math>', "<math> element"),
    ("<template><div><img src=x onerror=alert(1)></div></template>", "onerror="),
])
def test_inline_code_is_found_as_a_browser_reads_it(markup, words):
    found = scan(f"<!doctype html><title>t</title><p>text</p>{markup}", Rules(tuple(ALLOWED)))
    assert any(words in problem for _, problem in found.problems), found


@pytest.mark.parametrize("markup", [
    '<p title="<script>alert(1)</script>">x</p>',
    "<!-- <script>alert(1)</script> -->",
    "<textarea><img src=x onerror=alert(1)></textarea>",
    '<script type="application/ld+json">{"a": "<img onerror=x>"}</script>',
])
def test_what_a_browser_reads_as_text_is_not_code(markup):
    assert scan(f"<!doctype html><p>{markup}</p><script>s()</script>", Rules(tuple(ALLOWED))).problems == []


def test_inline_problems_name_the_line_of_the_page_as_written():
    page = html.serialize(html.parse('<!doctype html><title>t</title>\n<p>ok\n\n</p>\n<img src="x" onerror="a()">'))
    line = next(number for number, text in enumerate(page.splitlines(), start=1) if "onerror" in text)
    assert line == 5 and scan(page, Rules(tuple(ALLOWED))).problems == [(5, "an inline event handler (onerror=) on <img>")]


def test_allowed_scripts_are_read_with_browser_line_breaks():
    found = scan("<script>s()</script><script>1</script><script>\r\n1</script>", Rules(tuple(ALLOWED)))
    assert found.scripts == {"s()", "1"} and [p for _, p in found.problems] == [
        "an inline <script> that no template writes ('1')"]


def test_trim_indentation_collapses_indentation_but_not_verbatim_text_or_attributes():
    page = html.parse('<div>\n      <p>One\n        two&nbsp;\n\xa0three</p>\n    </div>'
                      '<pre>\n  keep\n    this</pre><script>var a = 1;\n    var b;</script><a title="x\n   y">z</a>'
                      '<pre><code>  deep\n    kept</code></pre>')
    trim_indentation(page)
    assert html.serialize(page).endswith(
        '<body><div>\n<p>One\ntwo&nbsp;\n&nbsp;three</p>\n</div><pre>  keep\n    this</pre>'
        '<script>var a = 1;\n    var b;</script><a title="x\n   y">z</a><pre><code>  deep\n    kept</code></pre></body></html>')


def test_a_line_goes_after_the_first_h1_of_an_article():
    assert html.insert_after_first_h1('<p>a</p><h1 id="t">T<br /></h1><p>b</p><h1>U</h1>', "<p>m</p>") == \
        '<p>a</p><h1 id="t">T<br></h1>\n<p>m</p>\n<p>b</p><h1>U</h1>'
    assert html.insert_after_first_h1("<h2>no h1</h2>", "<p>m</p>") is None


def test_start_lines_follow_elements_in_document_order():
    page = html.parse("<!doctype html><p>\n<!-- <b> -->\n<script>'<i>'\n</script>\n<em>x</em>")
    lines = html.start_lines(html.serialize(page))
    assert [element.tag for element in html.elements(page)] == ["html", "head", "body", "p", "script", "em"]
    assert lines == [1, 1, 1, 1, 3, 5]
    with_template = html.parse("<p>x</p><template>\n<b>in</b></template>\n<i>after</i>")
    assert [element.tag for element in html.elements(with_template)][-3:] == ["template", "b", "i"]
    assert html.start_lines(html.serialize(with_template))[-3:] == [1, 2, 3]


def _nav_page(active: str) -> str:
    items = "".join(f'<li class="{"active" if name == active else "item"}">\n    <a href="/{name}/">{name}</a>\n  </li>'
                    for name in ("one", "two", "three"))
    return f'<!doctype html><html><body><nav class="md-nav md-nav--primary"><ul>{items}</ul></nav><p>{active}</p></body></html>'


def _process(page_text: str, repeated: html.RepeatedParts, seen: list[str]) -> tuple[str, str]:
    page = html.parse(page_text)
    aside, new = repeated.set_aside(page)
    for node in page.css("a"):  # stands for the trim and the icons: what a part comes out as
        node.attrs["data-done"] = "1"
        seen.append(node.text())
    repeated.remember(new)
    checked = html.serialize(page)
    return repeated.put_back(checked, aside), checked


def test_a_part_repeated_on_every_page_is_processed_once_and_written_the_same():
    repeated, seen = html.RepeatedParts(), []
    first, _ = _process(_nav_page("one"), repeated, seen)
    second, checked = _process(_nav_page("two"), repeated, seen)
    # Page two's "one" and "two" items differ from page one's (active moved); "three" is the same.
    assert seen == ["one", "two", "three", "one", "two"]
    assert "three" not in checked and "fst-set-aside-" in checked  # its check leaves it out
    assert second.count('data-done="1"') == 3 and "fst-set-aside" not in second
    # A page's own text or comment that looks like a marker (without this build's token) stays.
    for own in ("fst-set-aside:0:", "<!--fst-set-aside:0-->", "fst-set-aside-0123456789abcdef:0:"):
        assert repeated.put_back(own, ["x"]) == own
    assert second == _process(_nav_page("two"), html.RepeatedParts(), [])[0]  # as if done from scratch
    assert first == _process(_nav_page("one"), html.RepeatedParts(), [])[0]


def test_parts_are_remembered_apart_by_kind():
    repeated, seen = html.RepeatedParts(), []
    _process(_nav_page("one"), repeated, seen)
    page = html.parse(_nav_page("one"))
    aside, new = repeated.set_aside(page, kind="late")
    assert aside == [] and len(new) == 3


def test_a_fragment_s_text_is_its_words_with_entities_read_and_spaces_collapsed():
    assert html.fragment_text("<p>Safe &amp; <em>heard</em>,\n   at\tyour pace</p>") == "Safe & heard, at your pace"
    assert html.fragment_text("") == "" and html.fragment_text("<b></b>") == ""
