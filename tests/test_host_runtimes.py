"""`_headers`, `_redirects` and the oEmbed worker on the hosts' own runtimes (issue 22).

The other tests read the host files by their shape (test_security_headers.py,
test_oembed_endpoint.py) and run the worker in plain Node (test_embed_hosts.py); here the
built site is served, once per module and host, by Cloudflare's `wrangler pages dev`
(workerd, with Cloudflare's Pages asset server) and by `netlify dev --offline`
(tests/hostruntimes.py), on loopback and with no network, and every kind of response is
asked for: a page, the home, an embed view, assets, the API, the 404 page, unknown
addresses (under /embed/ too), the host files themselves, and the oEmbed endpoint with and
without sizes, under every Accept-Encoding, with a bad `url` or format. Each must carry the
headers and status our rules intend, the same as nginx sends (tests/test_deploy_nginx.py,
whose checks are shared through tests/served.py).

Two things the local runtimes do their own way, and production does not, are left out where
they would be: `netlify dev`'s static server sends its own Cache-Control on every file
(Netlify applies `_headers`' in production), so cache rules are checked on Cloudflare's
runtime only; and `wrangler pages dev` serves `_routes.json`, which `wrangler pages deploy`
never uploads.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest

from feeling_safe.publishing.security_headers import (
    CACHE_FOREVER,
    CACHE_SHORT,
    COMMON,
    FINGERPRINT,
    HEADERS_FILE,
    NEVER_SERVED,
    READ_BY_OTHER_SITES,
    SUBRESOURCE_POLICY,
    as_browsers_read,
    parse_headers_file,
    site_files,
)
from hostruntimes import LAUNCHERS
from served import FRAMED_BY_ANY, FRAMED_BY_US, Reply, get, promised_header_problems

HOSTS = sorted(LAUNCHERS)
EMBED_SLUG = "what-it-is"
# Headers each runtime's dev server is known to set its own way, and production does not (see above).
DEV_SERVER_OWN = {"netlify": {"Cache-Control"}, "cloudflare": set()}
# Attempts a runtime is known to make on every start, with no switch against them, and that it
# lives without (refused here): netlify-cli's edge-function bundler asks edge.netlify.com for the
# newest version of its TypeScript types (@netlify/edge-bundler's ensureLatestTypes).
KNOWN_ATTEMPTS = {"netlify": ("connect to edge.netlify.com:443",), "cloudflare": ()}
ENCODINGS = {"identity": None, "gzip": "gzip", "br": "br", "all": "gzip, deflate, br"}


@pytest.fixture(scope="module")
def runtimes(site_dir, tmp_path_factory):
    """Both runtimes, started together (their startups overlap), stopped at the module's end."""
    started = {name: launch(site_dir, tmp_path_factory.mktemp(f"host-{name}")) for name, launch in LAUNCHERS.items()}
    yield started
    for runtime in started.values():
        runtime.stop()


@pytest.fixture(scope="module", params=HOSTS)
def host(request, runtimes):
    runtime = runtimes[request.param]
    runtime.wait_ready()
    if runtime.problem:
        pytest.fail(runtime.problem, pytrace=False)
    print(f"\n{runtime.name} served its first page {runtime.startup:.1f} s after it was started")
    return runtime


@pytest.fixture(scope="module")
def feed(site_dir) -> dict:
    return json.loads((site_dir / "api/v1/pages.json").read_text(encoding="utf-8"))


def _page_url(feed: dict, slug: str) -> str:
    return next(page["url"] for page in feed["pages"] if page["slug"] == slug)


def _oembed(host, page_url: str, **params) -> str:
    extra = "".join(f"&{name}={value}" for name, value in params.items())
    return f"{host.url}api/v1/oembed?url={quote(page_url, safe='')}{extra}"


def _sent(reply: Reply) -> str:
    return "\n  ".join(f"{name}: {value}" for name, value in reply.headers.items())


def _common_problems(reply: Reply) -> list[str]:
    return [f"{name} is {reply.headers.get(name)!r}, want {value!r}"
            for name, value in COMMON.items() if reply.headers.get(name) != value]


def _document_problems(reply: Reply, embed: bool) -> list[str]:
    """A document's policy: embed views framed by any site, every other document by ours alone."""
    policy = reply.headers.get("Content-Security-Policy") or ""
    problems = [] if (FRAMED_BY_ANY if embed else FRAMED_BY_US) in policy else [f"policy {policy!r}"]
    if reply.headers.get_all("Content-Security-Policy") and len(reply.headers.get_all("Content-Security-Policy")) > 1:
        problems.append("more than one Content-Security-Policy")
    if any(word in policy for word in ("'unsafe-inline'", "'unsafe-eval'", ",")):
        problems.append(f"policy {policy!r}")
    # An embed view's X-Frame-Options (`_headers`' `/*`, which Netlify cannot take off) is ignored beside its
    # frame-ancestors, as browsers read it; every other document says SAMEORIGIN.
    frame_options = reply.headers.get("X-Frame-Options")
    if embed:
        frame_options = as_browsers_read({"Content-Security-Policy": policy, "X-Frame-Options": frame_options}).get(
            "X-Frame-Options")
    if frame_options != (None if embed else "SAMEORIGIN"):
        problems.append(f"X-Frame-Options {frame_options!r}")
    if "camera=()" not in (reply.headers.get("Permissions-Policy") or ""):
        problems.append(f"Permissions-Policy {reply.headers.get('Permissions-Policy')!r}")
    return problems


# --- every built file, as `_headers` promises -------------------------------------------------

def test_every_file_gets_what_headers_file_promises(host, site_dir):
    problems, checked = promised_header_problems(site_dir, host.url, ignore=DEV_SERVER_OWN[host.name], host=host.name)
    files = site_files(site_dir)
    assert len(files) > 50 and checked > 4 * len(files), "too few files or headers checked"
    assert not problems, "\n".join(problems[:30])


# --- each kind of response --------------------------------------------------------------------

def _kinds(site_dir: Path) -> dict[str, str]:
    """One built file of each kind the rules treat apart (chosen by kind, never by a theme's file name)."""
    files = site_files(site_dir)

    def first(test) -> str:
        return next(rel for rel in files if test(rel))

    return {
        "home": "",
        "page": f"{EMBED_SLUG}/",
        "embed view": f"embed/{EMBED_SLUG}/",
        "stylesheet, fingerprinted": first(lambda r: r.endswith(".css") and FINGERPRINT.search(r.rsplit("/", 1)[-1])),
        "stylesheet": first(lambda r: r.endswith(".css") and not FINGERPRINT.search(r.rsplit("/", 1)[-1])),
        "script, fingerprinted": first(lambda r: r.endswith(".js") and FINGERPRINT.search(r.rsplit("/", 1)[-1])),
        "image": first(lambda r: r.endswith(".png")),
        "embed script": "embed.js",
        "API feed": "api/v1/pages.json",
        "oEmbed file": f"api/v1/oembed/{EMBED_SLUG}.json",
        "sitemap": "sitemap.xml",
    }


KINDS = ("home", "page", "embed view", "stylesheet, fingerprinted", "stylesheet", "script, fingerprinted", "image",
         "embed script", "API feed", "oEmbed file", "sitemap")
# What may be opened as a document, or run as a worker (a script's own policy governs the worker):
# these carry the document's policy; styles, images and JSON only the short one that replaces
# `/*`'s (the 404 page's) on these hosts (security_headers.SUBRESOURCE, SUBRESOURCE_POLICY).
WITH_POLICY = {"home", "page", "embed view", "script, fingerprinted", "embed script", "sitemap"}


def _not_found_policy(site_dir: Path) -> str:
    """`/*`'s policy in `_headers`: the 404 page's, which a folder rule keeps for unknown addresses under it."""
    return parse_headers_file((site_dir / HEADERS_FILE).read_text(encoding="utf-8"))[0][1]["Content-Security-Policy"]


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_response_carries_its_headers_and_its_file(host, site_dir, kind):
    rel = _kinds(site_dir)[kind]
    reply = get(host.url + rel, {"Accept-Encoding": "gzip, deflate, br"})
    file = site_dir / (rel + "index.html" if rel.endswith("/") or not rel else rel)
    problems = [] if reply.status == 200 else [f"status {reply.status}"]
    problems += [] if reply.body == file.read_bytes() else ["the body is not the built file"]
    problems += _common_problems(reply)
    if kind in WITH_POLICY:
        problems += _document_problems(reply, embed=kind == "embed view")
    elif reply.headers.get("Content-Security-Policy") not in (SUBRESOURCE_POLICY, _not_found_policy(site_dir)):
        problems.append(f"policy {reply.headers.get('Content-Security-Policy')!r} on a file that is never a document,"
                        f" want {SUBRESOURCE_POLICY!r} (its own rule) or the 404 page's (a folder rule's)")
    read_by_others = rel.startswith(READ_BY_OTHER_SITES)
    if reply.headers.get("Access-Control-Allow-Origin") != ("*" if read_by_others else None):
        problems.append(f"Access-Control-Allow-Origin {reply.headers.get('Access-Control-Allow-Origin')!r}"
                        f" ({'read' if read_by_others else 'never read'} by other sites' scripts)")
    if "Cache-Control" not in DEV_SERVER_OWN[host.name]:
        wanted = CACHE_FOREVER if FINGERPRINT.search(Path(rel).name) else CACHE_SHORT
        if reply.headers.get("Cache-Control") != wanted:
            problems.append(f"Cache-Control {reply.headers.get('Cache-Control')!r}, want {wanted!r}")
    assert not problems, f"{host.name} /{rel} ({kind}):\n" + "\n".join(problems) + f"\nsent:\n  {_sent(reply)}"


# --- addresses with no file -------------------------------------------------------------------

@pytest.mark.parametrize("path", ["no-such-page/", f"embed/no-such-{EMBED_SLUG}/", "embed/", "api/v1/no-such.json",
                                  "assets/no-such.css"])
def test_an_unknown_address_gets_our_404_page_framed_by_no_other_site(host, path):
    reply = get(host.url + path)
    problems = [] if reply.status == 404 else [f"status {reply.status}"]
    problems += [] if "Page not found" in reply.body.decode("utf-8", "replace") else ["not our 404 page"]
    problems += _common_problems(reply) + _document_problems(reply, embed=False)
    assert not problems, f"{host.name} /{path}:\n" + "\n".join(problems) + f"\nsent:\n  {_sent(reply)}"


@pytest.mark.parametrize("name", NEVER_SERVED)
def test_host_files_answer_the_404_page_with_its_headers(host, site_dir, name):
    """Netlify publishes every file in the folder and Cloudflare Pages all but its own four
    (`pages dev` serves even those): the build refuses them (forced `_redirects` lines; the worker,
    which `_routes.json` sends them to) with the 404 page, as an unknown address."""
    assert (site_dir / name).is_file(), f"the build no longer writes {name}"
    reply = get(host.url + name)
    problems = [] if reply.status == 404 else [f"status {reply.status}"]
    problems += [] if "Page not found" in reply.body.decode("utf-8", "replace") else ["not our 404 page"]
    problems += ["the file itself"] if reply.body == (site_dir / name).read_bytes() else []
    problems += _common_problems(reply) + _document_problems(reply, embed=False)
    assert not problems, f"{host.name} /{name}:\n" + "\n".join(problems) + f"\nsent:\n  {_sent(reply)}"


# --- the oEmbed endpoint ----------------------------------------------------------------------

def _oembed_problems(reply: Reply, status: int) -> list[str]:
    problems = [] if reply.status == status else [f"status {reply.status}, want {status}"]
    if (reply.headers.get("Content-Type") or "").split(";")[0] != "application/json":
        problems.append(f"Content-Type {reply.headers.get('Content-Type')!r}")
    if reply.headers.get("Access-Control-Allow-Origin") != "*":
        problems.append(f"Access-Control-Allow-Origin {reply.headers.get('Access-Control-Allow-Origin')!r}")
    if reply.headers.get("Cross-Origin-Resource-Policy") != "cross-origin":
        problems.append(f"Cross-Origin-Resource-Policy {reply.headers.get('Cross-Origin-Resource-Policy')!r}")
    return problems + _common_problems(reply)


@pytest.mark.parametrize("form", ["percent-encoded", "as written", "without the last slash"])
def test_oembed_answers_a_page_address(host, feed, form):
    page_url = _page_url(feed, EMBED_SLUG)
    address = {"percent-encoded": _oembed(host, page_url, format="json"),
               "as written": f"{host.url}api/v1/oembed?url={page_url}",
               "without the last slash": _oembed(host, page_url.rstrip("/"), format="json")}[form]
    reply = get(address)
    problems = _oembed_problems(reply, 200)
    data = json.loads(reply.body) if reply.status == 200 else {}
    if data.get("type") != "rich" or f"{feed['site_url']}embed/{EMBED_SLUG}/" not in data.get("html", ""):
        problems.append(f"not the page's oEmbed: {reply.text()[:200]}")
    if (data.get("width"), data.get("height")) != (640, 600):
        problems.append(f"size {data.get('width')}x{data.get('height')}, want the defaults 640x600")
    if "Cache-Control" not in DEV_SERVER_OWN[host.name] and reply.headers.get("Cache-Control") != CACHE_SHORT:
        problems.append(f"Cache-Control {reply.headers.get('Cache-Control')!r}")
    assert not problems, f"{host.name} {address}:\n" + "\n".join(problems) + f"\nsent:\n  {_sent(reply)}"


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_oembed_honours_maxwidth_and_maxheight_for_every_accept_encoding(host, feed, encoding):
    page_url = _page_url(feed, EMBED_SLUG)
    wanted = {(480, 333): (480, 333), (9999, 9999): (640, 600), ("0500", "abc"): (640, 600)}
    problems = []
    for (maxwidth, maxheight), (width, height) in wanted.items():
        accept = {"Accept-Encoding": ENCODINGS[encoding]} if ENCODINGS[encoding] else {}
        reply = get(_oembed(host, page_url, format="json", maxwidth=maxwidth, maxheight=maxheight), accept)
        problems += [f"maxwidth={maxwidth} maxheight={maxheight}: {p}" for p in _oembed_problems(reply, 200)]
        data = json.loads(reply.body) if reply.status == 200 else {}
        if (data.get("width"), data.get("height")) != (width, height):
            problems.append(f"maxwidth={maxwidth} maxheight={maxheight}: size {data.get('width')}x{data.get('height')},"
                            f" want {width}x{height}")
        frame = re.search(r'<iframe[^>]*(?<![-\w])height="(\d+)"', data.get("html", ""))
        if not frame or int(frame.group(1)) != height:
            problems.append(f"maxheight={maxheight}: the frame starts {frame and frame.group(1)} px tall, want {height}")
    assert not problems, f"{host.name}, Accept-Encoding {encoding}:\n" + "\n".join(problems)


@pytest.mark.parametrize("address", ["https://elsewhere.example/what-it-is/", "{site}no-such-page/", "{site}", ""])
def test_oembed_answers_an_address_it_cannot_embed_with_a_json_404(host, feed, address):
    reply = get(_oembed(host, address.format(site=feed["site_url"]), format="json"))
    problems = _oembed_problems(reply, 404)
    if reply.status == 404 and "error" not in json.loads(reply.body):
        problems.append(f"body {reply.text()[:200]!r}")
    assert not problems, f"{host.name} url={address!r}:\n" + "\n".join(problems) + f"\nsent:\n  {_sent(reply)}"


def test_oembed_answers_another_format_with_a_json_501(host, feed):
    reply = get(_oembed(host, _page_url(feed, EMBED_SLUG), format="xml"))
    problems = _oembed_problems(reply, 501)
    if reply.status == 501 and "error" not in json.loads(reply.body):
        problems.append(f"body {reply.text()[:200]!r}")
    assert not problems, f"{host.name} format=xml:\n" + "\n".join(problems) + f"\nsent:\n  {_sent(reply)}"


# --- offline ----------------------------------------------------------------------------------

def test_the_runtime_reached_for_nothing_off_this_machine(host):
    """Last in the module: every request above has been made."""
    assert host.process.poll() is None, f"{host.name} stopped while serving:\n{host.tail()}"
    attempts = [line for line in host.attempts() if not line.endswith(KNOWN_ATTEMPTS[host.name])]
    assert not attempts, f"{host.name} tried to reach the network (refused):\n" + "\n".join(attempts[:20])
