"""A clinic build made the clinic's own (issue 12): what it leaves out (feeling_safe/content/scope.py):
pages for clinics unless its file opts in, and with embeds off every trace of embedding
(page, file, link or word, in pages, search, handouts or API); its pictures (favicons, share
card, logo on handouts; feeling_safe/clinic/images.py); short_name in a phone's header; warnings
for a logo hard to see or a name cut short; and `make clinic-serve`."""
from __future__ import annotations

import io
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from feeling_safe.clinic import images as brand_images
from feeling_safe.clinic.file import PHONE_HEADER_CHARS, load, warnings
from feeling_safe.content import scope
from feeling_safe.measuring.localserver import free_port, wait_for_port
from handout_sheets import sheets_to_read
from prebuild import recipe
from sitebuild import (
    ROOT,
    built,
    clinic_build,
    fixture_config,
    html_pages,
    mkdocs_build,
    nav_sources,
    site_config,
    soup,
    stop_with_its_group,
    with_plugin,
    write_page,
)
from test_clinic_config import example_data, write_clinic
from test_clinic_site import CLINIC, header_name

EMBED_WORD = re.compile(r"embed", re.IGNORECASE)
NAV = site_config()["nav"]


def _top_level(page) -> list[str]:
    """The primary nav's top-level entries, as a reader sees them (drawer or sidebar)."""
    items = page.select("nav.md-nav--primary > ul.md-nav__list > li")
    return [item.find(["a", "label"], recursive=False).get_text(" ", strip=True) for item in items]


def _section(page, title: str) -> list[str] | None:
    """The page titles under a top-level nav section, or None if the nav has no such section."""
    for item in page.select("nav.md-nav--primary > ul.md-nav__list > li.md-nav__item--nested"):
        if item.find("label", recursive=False).get_text(" ", strip=True) == title:
            return [a.get_text(" ", strip=True) for a in item.select("nav a.md-nav__link")]
    return None


# A logo colour no other part of a handout uses, to find the logo in the PDF's drawing.
LOGO_COLOUR = (0x7B, 0x2D, 0x8E)
MARKED_LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48" width="48" height="48">'
               '<circle cx="24" cy="24" r="22" fill="#ffffff"/><path d="M10 24h28M24 10v28" stroke="#7b2d8e" '
               'stroke-width="6"/></svg>')


@recipe("private_clinic")
def _build_private_clinic(folder: Path) -> Path:
    data = example_data()
    data.update(embeds=False, for_clinics=True, paper="a4")  # test_print.py reads its A4 sheets
    clinic_file = write_clinic(folder, data)
    (folder / "example-logo.svg").write_text(MARKED_LOGO, encoding="utf-8")
    result = clinic_build(clinic_file, folder / "out", handouts=True)
    assert result.returncode == 0, result.stderr
    return folder / "out"


@recipe("clinic_for_clinics")
def _build_clinic_for_clinics(folder: Path) -> Path:
    data = example_data()
    data["for_clinics"] = True
    result = clinic_build(write_clinic(folder, data), folder / "out")
    assert result.returncode == 0, result.stderr
    return folder / "out"


@pytest.fixture(scope="session")
def clinic_for_clinics(prebuilds) -> Path:
    """A clinic that opts in to the pages for clinics (`for_clinics: true`), embeds on."""
    return prebuilds.result("clinic_for_clinics")


# --- the rules, on plain values ----------------------------------------------------------------

def test_a_passage_is_kept_without_its_markers_or_dropped_whole():
    text = ("Intro.\n\n<!-- for-clinics -->\nFor clinics.\n\n"
            "<!-- embeds -->\nEmbed it.\n<!-- /embeds -->\n<!-- /for-clinics -->\nEnd.\n")
    assert scope.keep_passages(text, {"for-clinics": True, "embeds": True}) == "Intro.\n\nFor clinics.\n\nEmbed it.\nEnd.\n"
    assert scope.keep_passages(text, {"for-clinics": True, "embeds": False}) == "Intro.\n\nFor clinics.\n\nEnd.\n"
    assert scope.keep_passages(text, {"for-clinics": False, "embeds": True}) == "Intro.\n\nEnd.\n"


def test_unmatched_markers_are_named_with_their_line():
    text = "<!-- embeds -->\nA\n<!-- /for-clinics -->\n\n<!-- embeds -->\n"
    problems = scope.marker_problems("docs/x.md", text, first_line=10)
    assert "docs/x.md:12: <!-- /for-clinics --> closes nothing" in problems[0]
    assert "docs/x.md:14: <!-- embeds --> opens again" in problems[1]
    assert "docs/x.md:10: <!-- embeds --> is never closed" in problems[2]
    assert scope.marker_problems("docs/x.md", "<!-- embeds -->\nA\n<!-- /embeds -->\n") == []


def test_pages_are_dropped_by_audience_and_by_embeds():
    pages = {"a.md": ({"kind": "clinic"}, "text"), "b.md": ({"kind": "reference"}, "<!-- embed:picker -->"),
             "c.md": ({"kind": "explainer"}, "text")}
    uses = lambda body: "embed:" in body  # noqa: E731
    assert scope.dropped_pages(pages, for_clinics=False, embeds=True, uses_embeds=uses) == {"a.md"}
    assert scope.dropped_pages(pages, for_clinics=True, embeds=False, uses_embeds=uses) == {"b.md"}
    assert scope.dropped_pages(pages, for_clinics=True, embeds=True, uses_embeds=uses) == set()


def test_the_nav_loses_dropped_pages_and_one_page_sections():
    embed_page = "embed-this-guide.md"
    assert scope.prune_nav(NAV, set()) == NAV
    pruned = scope.prune_nav(NAV, {embed_page}, clients_first={embed_page})
    assert embed_page not in nav_sources(pruned)
    assert {"Our commitments": "our-approach.md"} in pruned, "the one page left stands alone"
    assert not [item for item in pruned if "For clinics" in item]
    assert nav_sources(pruned) == [s for s in nav_sources(NAV) if s != embed_page], "reading order kept"
    kept = scope.prune_nav(NAV, set(), clients_first={embed_page})
    for_clinics = {"For clinics": [{"Embed this guide": embed_page}]}
    assert kept.index({"Our commitments": "our-approach.md"}) + 1 == kept.index(for_clinics)


# --- the strict build still checks links ---------------------------------------------------------

def test_a_link_to_a_left_out_page_fails_the_strict_build(docs_tree, tmp_path):
    write_page(docs_tree, "index.md", "# Home\n\nSee [the clinic page](for-you.md).", title="Home")
    write_page(docs_tree, "for-you.md", "# For clinics\n\nHello.", title="For clinics", kind="clinic")
    result = mkdocs_build(tmp_path / "out", {**fixture_config(docs_tree), **with_plugin(for_clinics=False)})
    assert result.returncode != 0
    assert "for-you.md" in result.stderr and "not found" in result.stderr


def test_a_link_inside_its_marker_pair_goes_with_the_page(docs_tree, tmp_path):
    write_page(docs_tree, "index.md", "# Home\n\nHi.\n\n<!-- for-clinics -->\nSee [the clinic page](for-you.md).\n"
                                      "<!-- /for-clinics -->\n", title="Home")
    write_page(docs_tree, "for-you.md", "# For clinics\n\nHello.", title="For clinics", kind="clinic")
    out = tmp_path / "out"
    result = mkdocs_build(out, {**fixture_config(docs_tree), **with_plugin(for_clinics=False)})
    assert result.returncode == 0, result.stderr
    assert not (out / "for-you").exists()
    assert "clinic page" not in soup(out / "index.html").select_one("article").get_text()


def test_an_unclosed_marker_fails_the_build_naming_file_and_line(docs_tree, tmp_path):
    write_page(docs_tree, "index.md", "# Home\n\n<!-- embeds -->\nHi.\n", title="Home")
    result = mkdocs_build(tmp_path / "out", fixture_config(docs_tree))
    assert result.returncode != 0
    assert re.search(r"docs/index\.md:\d+: <!-- embeds --> is never closed", result.stderr), result.stderr


# --- clinic builds -----------------------------------------------------------------------------------

def test_a_clinic_that_opts_in_keeps_the_pages_for_clinics(clinic_for_clinics):
    page = soup(built(clinic_for_clinics, "index.md"))
    assert _section(page, "For clinics") == ["Embed this guide"]
    top = _top_level(page)
    assert top.index("Our commitments") + 1 == top.index("For clinics"), "commitments are for clients"
    assert built(clinic_for_clinics, "embed-this-guide.md").is_file()


def test_without_embeds_there_is_no_trace_of_embedding(private_clinic):
    site = private_clinic
    assert not [p for p in site.rglob("*") if EMBED_WORD.search(p.relative_to(site).as_posix())]
    assert not (site / "api").exists()
    pages = html_pages(site)
    assert len(pages) > 20
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert not EMBED_WORD.search(text), f"{path}: {EMBED_WORD.search(text)}"
    for name in ("search/search_index.json", "sitemap.xml"):
        assert not EMBED_WORD.search((site / name).read_text(encoding="utf-8")), name
    page = soup(built(site, "index.md"))
    assert _section(page, "For clinics") is None and "Our commitments" in _top_level(page)


def test_without_embeds_no_handout_mentions_embedding(private_clinic):
    pdfs = sorted((private_clinic / "handouts").glob("*.pdf"))
    assert len(pdfs) > 10
    for pdf in pdfs:
        text = " ".join(sheet.text for sheet in sheets_to_read(pdf))
        assert text.strip() and not EMBED_WORD.search(text), pdf.name


# --- make clinic-serve -------------------------------------------------------------------------------

def soup_of(page: str) -> BeautifulSoup:
    return BeautifulSoup(page, "lxml")


def test_clinic_serve_shows_the_clinic_and_follows_edits_to_its_file(tmp_path):
    """`make clinic-serve` (feeling_safe/devtools/serve.py --clinic): the clinic's site with live reload; an edit
    to the clinic file shows on the next rebuild, and nothing is written into the repository."""
    data = example_data()
    clinic_file = write_clinic(tmp_path, data)
    before = subprocess.run(["git", "status", "--porcelain", "--ignored"], cwd=ROOT, capture_output=True, text=True).stdout
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "feeling_safe.devtools.serve", "--clinic", str(clinic_file),
                               "--dev-addr", f"127.0.0.1:{port}"], cwd=ROOT, stderr=subprocess.DEVNULL,
                              start_new_session=True)  # its own group: nothing it starts outlives the test
    try:
        wait_for_port(port, server, timeout=90)
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30).read().decode()
        assert "livereload" in page
        assert header_name(soup_of(page)) == data["name"]
        data["name"] = "Quayside Therapy Rooms"
        clinic_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        deadline, topic = time.monotonic() + 300, ""  # a rebuild on a loaded machine
        while topic != data["name"] and time.monotonic() < deadline:
            time.sleep(1)
            page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30).read().decode()
            topic = header_name(soup_of(page))
        assert topic == data["name"]
    finally:
        stop_with_its_group(server)
    after = subprocess.run(["git", "status", "--porcelain", "--ignored"], cwd=ROOT, capture_output=True, text=True).stdout
    assert after == before, "clinic-serve wrote into the repository"


def test_clinic_serve_shows_a_bad_clinic_file_in_the_browser_then_serves_at_its_folder(tmp_path):
    """A clinic file with a problem: every request gets a page naming the file and field at once
    (no request waits on a build that cannot run); saved without it, the site is served at the
    base_url's folder, as it will be published."""
    data = example_data()
    data["base_url"] = "https://harbourlane.example/guide/"
    broken = {key: value for key, value in data.items() if key != "short_name"}
    clinic_file = write_clinic(tmp_path, broken)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "feeling_safe.devtools.serve", "--clinic", str(clinic_file),
                               "--dev-addr", f"127.0.0.1:{port}"], cwd=ROOT, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, server, timeout=90)
        for path in ("/", "/guide/what-it-is/"):
            with pytest.raises(urllib.error.HTTPError) as answer:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10)
            assert answer.value.code == 500
            page = soup_of(answer.value.read().decode())
            assert [li.get_text() for li in page.select("li")] == [
                f"{clinic_file}: short_name: required field is missing; add it (a short form for tight spaces), "
                'like "Harbour Lane".'], "each problem, naming the file and the field"
        clinic_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        deadline, topic = time.monotonic() + 300, ""  # a build on a loaded machine
        while topic != data["name"] and time.monotonic() < deadline:
            time.sleep(1)
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/guide/", timeout=30).read().decode()
            except (urllib.error.URLError, ConnectionError):
                continue
            topic = header_name(soup_of(page))
        assert topic == data["name"]
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_site_over_plain_http_is_warned_of(tmp_path):
    (line,) = warnings(load(_clinic_with(tmp_path, LIGHT_LOGO, base_url="http://guide.harbourlane.example/")))
    assert line.startswith(f"{tmp_path / 'clinic.yml'}: base_url: http://guide.harbourlane.example/ is plain http")
    assert "https://" in line.split(";")[-1]
    assert warnings(load(_clinic_with(tmp_path, LIGHT_LOGO, base_url="https://guide.harbourlane.example/"))) == []


# --- pictures: favicons, share card, the logo on paper ------------------------------------------------

def _png(path: Path):
    from PIL import Image
    return Image.open(io.BytesIO(path.read_bytes()))


def test_the_favicon_is_the_clinic_logo_with_png_icons_beside_it(clinic_for_clinics):
    site = clinic_for_clinics
    for source in ("index.md", "what-it-is.md", "complaints.md"):
        path = built(site, source)
        page = soup(path)
        icons = {(tuple(link["rel"]), link.get("type")): (path.parent / link["href"]).resolve()
                 for link in page.find_all("link", rel=["icon", "apple-touch-icon"])}
        assert icons[(("icon",), None)].read_bytes() == CLINIC.logo_file.read_bytes()
        assert _png(icons[(("icon",), "image/png")]).size == (32, 32)
        touch = _png(icons[(("apple-touch-icon",), None)])
        assert touch.size == (180, 180) and touch.getpixel((2, 2))[:3] == (255, 255, 255), "a white ground"


def test_the_share_card_is_the_clinic_s_own(clinic_site, clinic_for_clinics, site_dir):
    page = soup(built(clinic_site, "what-it-is.md"))
    image = page.find("meta", property="og:image")["content"]
    assert image == CLINIC["base_url"] + "assets/clinic/share-card.png"
    card = _png(clinic_site / "assets/clinic/share-card.png")
    assert card.size == (1200, 630) and card.format == "PNG"
    primary = tuple(int(CLINIC["colours"]["primary"][i:i + 2], 16) for i in (1, 3, 5))
    accent = tuple(int(CLINIC["colours"]["accent"][i:i + 2], 16) for i in (1, 3, 5))
    assert card.getpixel((20, 20)) == primary and card.getpixel((20, 620)) == accent
    name_band = card.crop((96, 250, 1100, 340)).getcolors(1200 * 630)
    assert any(colour == (255, 255, 255) and count > 2000 for count, colour in name_band), "the name, in white"
    same = (clinic_for_clinics / "assets/clinic/share-card.png").read_bytes()
    assert same == (clinic_site / "assets/clinic/share-card.png").read_bytes(), "byte for byte from the same clinic"
    assert soup(built(site_dir, "what-it-is.md")).find("meta", property="og:image")["content"].endswith(
        "assets/share-card.png"), "the guide keeps its own card"


def test_a_different_name_draws_a_different_card():
    args = ("A plain guide.", "Adapted from X", "#1f5f8b", "#8a4b14", CLINIC.logo_file)
    assert brand_images.share_card("One Clinic", *args) == brand_images.share_card("One Clinic", *args)
    assert brand_images.share_card("One Clinic", *args) != brand_images.share_card("Another Clinic", *args)


def test_the_logo_heads_every_handout_sheet_and_the_booklet_cover(private_clinic):
    target = tuple(channel / 255 for channel in LOGO_COLOUR)
    pdfs = sorted((private_clinic / "handouts").glob("*.pdf"))
    assert len(pdfs) > 10
    for path in pdfs:
        for number, sheet in enumerate(sheets_to_read(path), start=1):
            assert any(all(abs(a - b) < 0.003 for a, b in zip(colour, target)) for colour in sheet.colours), \
                (path.name, number)
            if path.name != "booklet.pdf" or number > 1:
                assert CLINIC["name"] in sheet.header_text, (path.name, number, "header")


# --- the phone header --------------------------------------------------------------------------------

@pytest.mark.parametrize("width, shown, hidden", [(390, ".fst-name-short", ".fst-name-full"),
                                                  (360, ".fst-name-short", ".fst-name-full"),
                                                  (1280, ".fst-name-full", ".fst-name-short")])
def test_phones_show_short_name_in_the_header_uncut(clinic_site, browser, width, shown, hidden):
    from browser import serve

    assert len(CLINIC["name"]) > PHONE_HEADER_CHARS >= len(CLINIC["short_name"]), "the example needs the swap"
    with serve(clinic_site) as url:
        tab = browser.new_page(viewport={"width": width, "height": 800})
        tab.goto(url + "what-it-is/")
        state = tab.evaluate("""([shown, hidden]) => {
          const on = document.querySelector('.md-header__topic ' + shown);
          const off = document.querySelector('.md-header__topic ' + hidden);
          const box = on.closest('.md-ellipsis');
          return {text: on.innerText, visible: on.getClientRects().length > 0,
                  offVisible: off.getClientRects().length > 0, cut: box.scrollWidth > box.clientWidth};
        }""", [shown, hidden])
        tab.close()
    expected = CLINIC["short_name"] if shown == ".fst-name-short" else CLINIC["name"]
    assert state == {"text": expected, "visible": True, "offVisible": False, "cut": False}


def test_a_name_that_fits_a_phone_stays_whole(tmp_path):
    data = example_data()
    data["name"] = "Harbour Lane"[:PHONE_HEADER_CHARS]
    result = clinic_build(write_clinic(tmp_path, data), tmp_path / "out")
    assert result.returncode == 0, result.stderr
    topic = soup(built(tmp_path / "out", "index.md")).select_one(".md-header__topic")
    assert topic.get_text(strip=True) == data["name"] and not topic.select(".fst-name-short")


# --- warnings: printed, the build goes on ---------------------------------------------------------------

DARK_LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48"><circle cx="24" cy="24" r="22" '
             'fill="#1a5a86"/></svg>')
LIGHT_LOGO = DARK_LOGO.replace("#1a5a86", "#f4f4f4")


def _clinic_with(folder: Path, logo: str, **changes) -> Path:
    data = example_data()
    for field, value in changes.items():
        target = data["logo"] if field in ("on_primary", "background") else data
        target[field] = value
    clinic_file = write_clinic(folder, data)
    (folder / "example-logo.svg").write_text(logo, encoding="utf-8")
    (folder / "light.svg").write_text(LIGHT_LOGO, encoding="utf-8")
    return clinic_file


def test_a_logo_hard_to_see_on_the_primary_colour_is_named_with_its_fixes(tmp_path):
    (line,) = warnings(load(_clinic_with(tmp_path, DARK_LOGO)))
    assert line.startswith(f"{tmp_path / 'clinic.yml'}: logo: ")
    assert re.search(r"mostly #[0-9a-f]{6}, contrast 1\.\d\d:1", line), line
    assert "3:1" in line and "logo.on_primary" in line and "logo.background" in line
    assert warnings(load(_clinic_with(tmp_path, DARK_LOGO, background="#ffffff"))) == []
    assert warnings(load(_clinic_with(tmp_path, DARK_LOGO, on_primary="light.svg"))) == []
    assert warnings(load(_clinic_with(tmp_path, LIGHT_LOGO))) == []


def test_a_logo_measured_by_painted_area_not_by_its_colour_list():
    measured = brand_images.logo_contrast(CLINIC.logo_file, CLINIC["colours"]["primary"])
    assert not measured.hard_to_see and measured.share > 0.5, "a white disc carries the blue mark"


def test_a_short_name_too_long_for_a_phone_is_named(tmp_path):
    long_short = "Harbour Lane Psych Centre"[:24]
    (line,) = warnings(load(_clinic_with(tmp_path, LIGHT_LOGO.replace("#f4f4f4", "#ffffff"), short_name=long_short)))
    assert f"{tmp_path / 'clinic.yml'}: short_name: " in line and str(PHONE_HEADER_CHARS) in line
    fits = warnings(load(_clinic_with(tmp_path, LIGHT_LOGO, name="Harbour Lane"[:PHONE_HEADER_CHARS], short_name=long_short)))
    assert fits == [], "a name that fits needs no short form"


def test_the_build_prints_the_warnings_and_goes_on(tmp_path):
    clinic_file = _clinic_with(tmp_path, DARK_LOGO, short_name="Harbour Lane Psychology")
    result = clinic_build(clinic_file, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    warned = [line for line in result.stderr.splitlines() if line.startswith("WARNING")]
    assert len([line for line in warned if f"{clinic_file}: logo: " in line]) == 1
    assert len([line for line in warned if f"{clinic_file}: short_name: " in line]) == 1
    assert (tmp_path / "out" / "index.html").is_file()
    with_light = _clinic_with(tmp_path, DARK_LOGO, on_primary="light.svg")
    result = clinic_build(with_light, tmp_path / "out2")
    assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr
    header = soup(built(tmp_path / "out2", "index.md")).select_one(".md-header .md-logo img")
    assert (tmp_path / "out2" / header["src"]).read_text(encoding="utf-8") == LIGHT_LOGO
