"""Is a source's address the body's own page, not a copy?

Why: a reader who follows a source link should land on what the body itself
publishes. A mirror, a staging or test copy, a document-sharing site or a law
firm's write-up can be stale, changed or gone, and it is not the body speaking.
So every `url` in data/references.yml is refused when its host is on the
reviewed lists below, when a host name or a path segment marks a staging or
test copy, or when the entry names a body whose own domain we know and the
address is elsewhere (unless the entry cites someone quoting that body, such as
"as quoted in"). Where only a copy was seen, the entry keeps it in
`address_seen` (never linked) and says so in its status.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

# Hosts that copy other people's documents: document-sharing, flash-card and scraped-paper
# sites, legal-text aggregators, code mirrors, CDNs and personal blogs that reproduce codes.
_MIRRORS_WORDS = """
paperzz.com studylib.net docslib.org knowt.com brainscape.com quizlet.com scribd.com pdfcoffee.com
vdocuments.site vdocuments.net vdocuments.mx dokumen.pub doczz.net cupdf.com documents.pub fdocuments.in
yumpu.com pdfslide.net kipdf.com silo.tips docplayer.net coursehero.com studocu.com mysuperiorpaper.com
5y1.org codecond.com omb.report kildarestreet.com justia.com findlaw.com casetext.com cloudfront.net
blogspot.com researchgate.net gradpsych.apags.org mrs.hcpc-uk.org
"""
MIRRORS = frozenset(_MIRRORS_WORDS.split())
# Law firms and legal-news sites: their write-ups of a code or a law are not the body's page.
_LAW_FIRMS_WORDS = """
shouselaw.com melmedlaw.com aclsolicitors.ie aclsolicitors.co.uk hja.net switalskis.com lexology.com
minnesotalawyer.com
"""
LAW_FIRMS = frozenset(_LAW_FIRMS_WORDS.split())
# A host label that marks a copy of a site: staging.example.org, prod.example.org, test.example.org.
_COPY_LABEL = re.compile(r"(?:staging|stage|test|testing|dev|uat|preview|prod|sandbox|qa|demo)\d*")
# A path segment that marks a test page: /complaint-standards-test/, /test-nhs-.../.
_TEST_SEGMENT = re.compile(r"(?:^|[-_.])tests?(?:[-_.]|$)")
# Bodies whose own domain we know: how an entry's citation starts -> the domains of its own pages.
OWN_DOMAINS = {
    "American Psychological Association": ("apa.org",),
    "American Counseling Association": ("counseling.org",),
    "National Association of Social Workers": ("socialworkers.org",),
    "Association of State and Provincial Psychology Boards": ("asppb.net",),
    "Association of Social Work Boards": ("aswb.org",),
    "California Board of Psychology": ("psychology.ca.gov",),
    "California Board of Behavioral Sciences": ("bbs.ca.gov",),
    "California Department of Consumer Affairs": ("ca.gov", "thedcapage.blog"),
    "Health and Care Professions Council": ("hcpc-uk.org",),
    "Gledhill, R. (2023, January 16). *Understanding the regulation of psychologists*": ("hcpc-uk.org",),
    "British Association for Counselling and Psychotherapy": ("bacp.co.uk",),
    "UK Council for Psychotherapy": ("psychotherapy.org.uk",),
    "Professional Standards Authority": ("professionalstandards.org.uk",),
    "Parliamentary and Health Service Ombudsman": ("ombudsman.org.uk",),
    "Scottish Public Services Ombudsman": ("spso.org.uk",),
    "Northern Ireland Public Services Ombudsman": ("nipso.org.uk",),
    "CORU": ("coru.ie",),
    "Irish Association for Counselling and Psychotherapy": ("iacp.ie",),
    "Psychological Society of Ireland": ("psychologicalsociety.ie",),
    "Health Service Executive": ("hse.ie",),
    "Australian Health Practitioner Regulation Agency": ("ahpra.gov.au",),
    "Mind.": ("mind.org.uk",),
    "Samaritans": ("samaritans.org",),
}
# An entry that cites another publisher's copy of a body's words names that publisher.
_QUOTED_BY = re.compile(r"\b(?:as quoted|quoted (?:in|by)|as reproduced|as described|as adopted|via)\b", re.I)
HOW_TO_FIX = ("link the body's own page on its own domain (the REFERENCES files give it where it was seen); "
              "if only a copy was seen, move the address to address_seen (kept, never linked) and say in the "
              "citation that a copy was read (status as the REFERENCES files give it: a copy on another "
              "publisher's site is secondary)")


def _in(host: str, domains) -> str | None:
    return next((d for d in domains if host == d or host.endswith("." + d)), None)


def address_problem(url: str, citation: str = "") -> str | None:
    """What is wrong with a source address ("" when it is a body's own page), or None."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    if found := _in(host, MIRRORS):
        return f"{host} is a mirror or document-copy site ({found})"
    if found := _in(host, LAW_FIRMS):
        return f"{host} is a law firm's or legal-news site ({found}), not the body's page"
    labels = host.split(".")
    if any(_COPY_LABEL.fullmatch(label) for label in labels[:-2]):
        return f"{host} is a staging, test or deployment copy of a site"
    segment = next((s for s in parts.path.lower().split("/") if _TEST_SEGMENT.search(s)), None)
    if segment:
        return f"the path segment '{segment}' marks a test page"
    if not _QUOTED_BY.search(citation):
        for body, domains in OWN_DOMAINS.items():
            if citation.startswith(body) and not _in(host, domains):
                return f"{host} is not {body}'s own domain ({', '.join(domains)})"
    return None
