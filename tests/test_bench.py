"""The measuring code behind `make bench` (the bench itself is not part of make test)."""
from __future__ import annotations

import gzip
import urllib.request

from scripts import bench
from scripts.page_weight import Resource, Weight


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


def test_nginx_conf_serves_each_folder_compressed(tmp_path):
    conf = bench.nginx_conf(tmp_path, {8101: tmp_path / "ours", 8102: tmp_path / "default"})
    assert "gzip on;" in conf and "gzip_comp_level 9;" in conf and "text/css" in conf
    assert f"listen 127.0.0.1:8101; root {tmp_path / 'ours'};" in conf
    assert f"listen 127.0.0.1:8102; root {tmp_path / 'default'};" in conf
    assert f"pid {tmp_path / 'nginx.pid'};" in conf


def test_fallback_server_sends_gzip(tmp_path, monkeypatch):
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "index.html").write_text("<!doctype html><p>" + "hello " * 200)
    monkeypatch.setattr(bench, "NGINX", str(tmp_path / "no-nginx"))
    with bench.serve_compressed({"s": tmp_path / "s"}) as urls:
        request = urllib.request.Request(urls["s"], headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert gzip.decompress(response.read()).decode().endswith("hello ")
