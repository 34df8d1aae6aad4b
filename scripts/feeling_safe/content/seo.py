"""What search engines and link previews read: titles, summaries, share card, JSON-LD, robots.txt.

Why: a reader who finds a page through a search or a shared link should see
its real title and summary, and search engines should know that each page is
health information, for whom, and when it was last checked. Everything comes
from the page's front matter and mkdocs.yml; nothing is fetched.
"""
from __future__ import annotations

import json
from urllib.parse import urljoin

# Our own share card (1200 x 630, made once by feeling_safe/clinic/share_card.py); a clinic build draws its own.
SHARE_IMAGE = "assets/share-card.png"
SHARE_IMAGE_SIZE = (1200, 630)
SHARE_IMAGE_ALT = "{site}: a plain-language guide to feeling safe in therapy"
# Who each kind of page is written for (CONTRIBUTING.md, `kind`).
AUDIENCE = {"clinic": "Clinician"}
DEFAULT_AUDIENCE = "Patient"
ABOUT = [{"@type": "MedicalTherapy", "name": "Psychotherapy"},
         {"@type": "Thing", "name": "Psychological safety in therapy"}]
NOT_FOUND_TITLE = "Page not found"


def page_title(title: str, site_name: str) -> str:
    """"What psychological safety is - Feeling Safe in Therapy"; the home page is just the name."""
    return site_name if not title or title == site_name else f"{title} - {site_name}"


def script_json(data: dict) -> str:
    """JSON that cannot end its <script> element early (no raw <, > or &)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def medical_web_page(*, title: str, description: str, url: str, last_reviewed: str | None,
                     kind: str, site_name: str, site_url: str, language: str,
                     reviewer: dict | None = None) -> dict:
    """schema.org MedicalWebPage for one page; `reviewer` (a clinic build's clinical
    reviewer: name, credential) becomes `reviewedBy`. The unbranded guide claims none."""
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": title,
        "description": description,
        "url": url,
        "inLanguage": language,
        "audience": {"@type": "MedicalAudience", "audienceType": AUDIENCE.get(kind, DEFAULT_AUDIENCE)},
        "about": ABOUT,
        "isPartOf": {"@type": "WebSite", "name": site_name, "url": site_url},
    }
    if last_reviewed:
        data["lastReviewed"] = last_reviewed
    if reviewer:
        data["reviewedBy"] = {"@type": "Person", "name": reviewer["name"], "jobTitle": reviewer["credential"]}
    return data


def page_seo(*, title: str, description: str, url: str, last_reviewed: str | None, kind: str,
             site_name: str, site_url: str, language: str, image: str, is_home: bool,
             reviewer: dict | None = None) -> dict:
    """Everything overrides/partials/seo.html prints for one page."""
    return {
        "title": page_title(title, site_name),
        "name": title or site_name,
        "description": description,
        "url": url,
        "type": "website" if is_home else "article",
        "site_name": site_name,
        "image": urljoin(site_url, image),
        "image_width": SHARE_IMAGE_SIZE[0],
        "image_height": SHARE_IMAGE_SIZE[1],
        "image_alt": SHARE_IMAGE_ALT.format(site=site_name),
        "noindex": False,
        "json_ld": script_json(medical_web_page(
            title=title or site_name, description=description, url=url, last_reviewed=last_reviewed,
            kind=kind, site_name=site_name, site_url=site_url, language=language, reviewer=reviewer)),
    }


def not_found_seo(*, site_name: str, description: str) -> dict:
    """The 404 page: a real title, kept out of search results, no share card or JSON-LD."""
    return {"title": page_title(NOT_FOUND_TITLE, site_name), "name": NOT_FOUND_TITLE, "description": description,
            "url": None, "noindex": True, "json_ld": None, "site_name": site_name}


def robots_txt(site_url: str) -> str:
    """Everything may be crawled (embed views too, so engines see their noindex); names the sitemap."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {urljoin(site_url, 'sitemap.xml')}\n"
