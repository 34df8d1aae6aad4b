"""The home page loads in the full Chromium, as a reader's browser, using only our own server."""
from urllib.parse import urlsplit


def test_home_page_loads_with_only_local_requests(full_browser_page, site_url):
    page = full_browser_page
    hosts = []
    page.on("request", lambda request: hosts.append(urlsplit(request.url).netloc))
    page.goto(site_url)
    assert page.locator("h1").first.is_visible()
    assert set(hosts) == {urlsplit(site_url).netloc}
