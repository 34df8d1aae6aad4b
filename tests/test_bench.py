"""The measuring code behind `make bench` (the bench itself is not part of make test)."""
from __future__ import annotations

import re
from collections import defaultdict

from feeling_safe.content.frontmatter import check_pages
from feeling_safe.content.frontmatter import split_page as split_front_matter
from feeling_safe.measuring import bench, build_timing
from feeling_safe.measuring.page_weight import Resource, Weight
from sitebuild import ROOT, site_config


def _weight(page: str, html: int, css: int, js: int) -> Weight:
    return Weight(page, [Resource(page + "index.html", "html", True, html),
                         Resource("a.css", "css", True, css), Resource("b.js", "js", False, js)])


def test_default_config_is_plain_material_with_only_our_content_steps():
    ours = {"site_name": "X", "nav": ["index.md"], "markdown_extensions": ["admonition"],
            "extra_css": ["assets/stylesheets/site.css"], "extra_javascript": ["x.js"],
            "theme": {"name": "material", "custom_dir": "overrides", "font": False, "language": "en",
                      "palette": [{"scheme": "default"}, {"scheme": "slate"}], "features": ["navigation.footer"],
                      "favicon": "assets/favicon.svg"},
            "plugins": {"search": {}, "feeling-safe": {"crisis_region": "uk"}}}
    default = bench.default_config(ours)
    assert default["theme"] == {"name": "material", "language": "en", "font": False,
                                "palette": ours["theme"]["palette"], "features": ["navigation.footer"]}
    assert default["plugins"] == {"search": {}, "feeling-safe": {"crisis_region": "uk", "content_only": True}}
    assert "extra_css" not in default and "extra_javascript" not in default
    assert default["nav"] == ours["nav"] and default["markdown_extensions"] == ours["markdown_extensions"]


def test_weight_rows_compare_each_page_and_the_medians():
    ours = {"": _weight("", 5000, 7000, 1000), "a/": _weight("a/", 6000, 7000, 1000)}
    default = {"": _weight("", 6000, 24000, 35000), "a/": _weight("a/", 7000, 24000, 35000)}
    rows = {row.label: row for row in bench.weight_rows(ours, default)}
    assert rows["/ KB"].ours == 13.0 and rows["/ KB"].default == 65.0
    assert rows["/a/ blocking KB"].cells() == ["/a/ blocking KB", "13.0", "31.0", "0.42"]
    assert rows["/ requests"].cells()[1:] == ["3", "3", "1.00"]
    assert rows["median KB"].ours == 13.5 and rows["median blocking KB"].default == 30.5


def test_table_is_markdown_with_the_ratio():
    text = bench.table([bench.Row("build time s", 1.5, 3.0, digits=2)], "first visit")
    assert text.splitlines() == ["| first visit | ours | default | ours/default |", "|---|---:|---:|---:|",
                                 "| build time s | 1.50 | 3.00 | 0.50 |"]
    assert bench.ratio(1, 0) == "-"


def test_lighthouse_scores_read_the_four_categories_and_paint_times():
    report = {"categories": {name: {"score": score} for name, score in
                             zip(bench.LIGHTHOUSE_CATEGORIES, (0.99, 1, 0.96, 1))},
              "audits": {"first-contentful-paint": {"numericValue": 812.5},
                         "largest-contentful-paint": {"numericValue": 1210.0}}}
    assert bench.lighthouse_scores(report) == {"performance": 99, "accessibility": 100, "best-practices": 96,
                                               "seo": 100, "FCP ms": 812.5, "LCP ms": 1210.0}


def test_the_default_site_is_published_like_ours_without_our_headers(tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><p>" + "hello " * 200, encoding="utf-8")
    bench.publish_like_ours(tmp_path)
    assert (tmp_path / "index.html.br").is_file() and (tmp_path / "index.html.gz").is_file()
    assert (tmp_path / "_headers.nginx").read_text(encoding="utf-8") == ""


def _paint(url, html, css=0):
    from feeling_safe.measuring.first_paint import FirstPaint
    return FirstPaint(url, html, {"c.css": css} if css else {})


def test_first_paint_table_gives_each_site_and_encoding_and_counts_pages_over_one_round_trip():
    figures = {"ours": {"a/": {"br": _paint("a", 9000), "gzip": _paint("a", 15000)},
                        "b/": {"br": _paint("b", 14700), "gzip": _paint("b", 16000)}},
               "default": {"a/": {"br": _paint("a", 8000, 20000), "gzip": _paint("a", 9000, 22000)},
                           "b/": {"br": _paint("b", 8000, 20000), "gzip": _paint("b", 9000, 22000)}}}
    text = bench.first_paint_table(figures)
    assert "| /a/ | 9,000 | 15,000 | 28,000 | 31,000 |" in text
    assert "| largest | 14,700 | 16,000 | 28,000 | 31,000 |" in text
    assert "| pages over 14,600 (of 2) | 1 | 2 | 2 | 2 |" in text


def test_first_visit_table_gives_every_page_the_median_and_the_largest_ratio():
    visits = {"ours": {"": 30 * 1024, "self-check/": 40 * 1024, "a/": 31 * 1024},
              "default": {"": 100 * 1024, "self-check/": 100 * 1024, "a/": 100 * 1024}}
    text = bench.first_visit_table(visits)
    assert "| /self-check/ | 40.0 | 100.0 | 0.40 |" in text
    assert "| median | 31.0 | 100.0 | 0.31 |" in text
    assert text.endswith("Largest ratio: /self-check/ at 0.40.")


def test_search_table_names_the_words_and_gives_min_median_max():
    from feeling_safe.measuring.search_timing import Spread
    index = {"docs": [{"location": "a/", "title": "The alliance", "text": ""},
                      {"location": "a/#x", "title": "Why", "text": "<p>Confidentiality matters.</p>"}]}
    spread = {"from last key": Spread(10, 20, 30), "from /": Spread(100, 200, 300)}
    slower = {"from last key": Spread(20, 40, 60), "from /": Spread(200, 400, 600)}
    times = {"ours": {"title": spread, "body": spread}, "default": {"title": slower, "body": slower}}
    text = bench.search_table(times, index, runs=5)
    assert '| a word only in body text ("confidentiality"), from last key | 10 / 20 / 30 | 20 / 40 / 60 | 0.50 |' in text
    assert '| a title word ("alliance"), from / | 100 / 200 / 300 | 200 / 400 / 600 | 0.50 |' in text


# --- the build-cost run (scaling) --------------------------------------------------


def test_pages_naming_our_templates_get_material_s_own_page(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("---\ntitle: Home\ntemplate: home.html\n---\n\n# Home\n", encoding="utf-8")
    (docs / "a.md").write_text("---\ntitle: A\n---\n\n# A\n", encoding="utf-8")
    folder = bench.material_page_templates(docs, tmp_path / "pages")
    assert sorted(p.name for p in folder.iterdir()) == ["home.html"]
    assert "extends \"main.html\"" in (folder / "home.html").read_text()
    assert bench.default_config({"theme": {"custom_dir": "overrides"}}, folder)["theme"]["custom_dir"] == str(folder)


def test_plain_config_is_material_without_our_plugin():
    ours = {"site_name": "X", "nav": ["index.md"], "theme": {"name": "material", "custom_dir": "overrides"},
            "plugins": {"search": {}, "feeling-safe": {"embeds": True}},
            "extra_css": ["a.css"], "markdown_extensions": ["admonition"]}
    plain = bench.plain_config(ours)
    assert plain["plugins"] == {"search": {}} and plain["theme"] == {"name": "material"}
    assert "extra_css" not in plain and plain["markdown_extensions"] == ["admonition"]
    # Anchors our plugin writes (the complaint finder's) are missing without it: noted, not fatal.
    assert plain["validation"]["links"]["anchors"] == "info"
    strict = {**ours, "validation": {"nav": {"omitted_files": "warn"}, "links": {"not_found": "warn", "anchors": "warn"}}}
    checked = bench.plain_config(strict)["validation"]
    assert checked == {"nav": {"omitted_files": "warn"}, "links": {"not_found": "warn", "anchors": "info"}}


def test_a_copied_page_has_its_own_title_and_keeps_links_inside_its_copy():
    page = ("---\ntitle: \"When: it happens\"\ndescription: A page.\nkind: explainer\nideas: [C1, C2]\n---\n\n"
            "# When: it happens\n\nSee [signs](signs.md#top), [help](get-help.md) and [web](https://x.org/a.md).\n")
    copied = bench.copied_page(page, 7, {"signs.md", "when.md"})
    meta, body = split_front_matter(copied)
    assert meta["title"] == "When: it happens (copy 7)" and meta["ideas"] == ["C1", "C2"]
    assert body.lstrip().startswith("# When: it happens (copy 7)\n")
    assert "](signs.md#top)" in body and "](../../get-help.md)" in body and "](https://x.org/a.md)" in body


def test_scaled_docs_copy_the_explainers_into_a_valid_tree(tmp_path):
    before = sorted(p.relative_to(ROOT / "docs") for p in (ROOT / "docs").rglob("*"))
    nav = bench.scaled_docs(ROOT / "docs", tmp_path / "docs", site_config()["nav"], 3)
    docs = tmp_path / "docs"
    sources = bench.nav_sources(nav)
    explainers = [s for s in bench.nav_sources(site_config()["nav"])
                  if split_front_matter((ROOT / "docs" / s).read_text(encoding="utf-8"))[0].get("kind") == "explainer"]
    copies = [s for s in sources if s.startswith("scaled/")]
    assert len(copies) == 2 * len(explainers) and len(sources) == len(set(sources))
    assert all((docs / s).is_file() for s in sources)
    assert check_pages([(s, docs / s) for s in copies]) == []
    titles = [split_front_matter((docs / s).read_text(encoding="utf-8"))[0]["title"] for s in sources]
    assert len(titles) == len(set(titles))
    for src in copies:
        for target in re.findall(r"\]\(([^)#\s]+\.md)", (docs / src).read_text(encoding="utf-8")):
            assert (docs / src).parent.joinpath(target).resolve().is_file(), (src, target)
    assert sorted(p.relative_to(ROOT / "docs") for p in (ROOT / "docs").rglob("*")) == before


def test_scale_one_is_the_guide_itself(tmp_path):
    nav = site_config()["nav"]
    assert bench.scaled_docs(ROOT / "docs", tmp_path / "docs", nav, 1) == nav
    assert not (tmp_path / "docs" / bench.SCALED_FOLDER).exists()


def test_breakdown_ranks_hook_events_and_keeps_the_rest():
    rows = bench.breakdown_rows(10.0, {"a post_build": 2.0, "b page_content": 3.0, "c files": 0.5}, top=2)
    assert rows == [("b page_content", 3.0), ("a post_build", 2.0), ("other hook events", 0.5),
                    ("MkDocs, Material, startup (no hook)", 4.5)]


def test_timed_run_event_runs_each_method_in_order_and_adds_up_its_time():
    class Collection:
        _current_plugin = None

        def __init__(self):
            self.events = {"page_content": [lambda html, **kw: html + "a", lambda html, **kw: None,
                                            lambda html, **kw: html + "b"]}
            self._event_origins = {m: f"overrides/hooks/h{i}.py" for i, m in enumerate(self.events["page_content"])}

    totals = defaultdict(float)
    run = build_timing.timed_run_event(totals)
    assert run(Collection(), "page_content", "x", page=None) == "xab"
    assert set(totals) == {"h0 page_content", "h1 page_content", "h2 page_content"}
    assert build_timing.origin_name("material/search") == "material/search"


