"""The sitemap (sitemaps.org protocol): /sitemap.xml is an index of one sitemap per
kind of page (/sitemap-<section>.xml), each split into files of 50,000 URLs at most
(Django's `Sitemap.limit`, the protocol's maximum; the index lists `?p=2`... when a
section grows past it).

Every public page a search engine should know, at its current URL only (old slugs and
obsolete ORPHA codes redirect, they are not listed): the entry pages, every published
site, every reference centre with a published site (its page is the list of its
sites), every hospital and filière, and the disease pages that list at least one
centre. Of the ~11,000 Orphanet codes, the others are pages that only say that no
centre of the directory is known for the disease (or redirect, for an obsolete code):
useful when searched by code, not worth sending crawlers to. On the real data that
is about 8,600 disease pages, so today each section fits in one file.

No `lastmod`: a page shows more than its own row (a site page shows its centre's
other sites, a hospital page its sites), so no single date would be accurate, and
search engines ignore dates they find unreliable. Neither `priority` nor
`changefreq`, which they ignore.

Each page is listed in both languages (French at its path, English under /en/), with
the other as its `xhtml:link rel="alternate" hreflang` and French as `x-default`
(Django's `i18n`, `alternates` and `x_default`): a file holds 25,000 pages at most.

The domain and scheme come from the request (Django's RequestSite, without
django.contrib.sites), so the URLs are those of the host that was asked, as the
canonical links are.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.urls import reverse

from centres.models import CentreCoverage, ReferenceCentre, Site
from diseases.coverage import MAX_DEPTH
from diseases.models import ClassificationEdge, Disease, FiliereCoverage
from filieres.models import Filiere
from hospitals.models import Hospital

# The pages without parameters that are listed, and those that are not, with why
# (tests/web/test_sitemap.py checks that every such URL of the site is in one or the
# other, so that a new page is not forgotten).
ENTRY_PAGES = (
    "home",
    "centres:list",
    "hospitals:list",
    "filieres:list",
    "diseases:search",
    "opendata:home",
    "api-docs",
    "legal-notice",
    "privacy",
    "accessibility",
)
NOT_LISTED = {
    "search": "the global search box's results: without a query, an empty form",
    "diseases:suggestions": "JSON for the autocomplete",
    "search-suggestions": "JSON for the single box's autocomplete",
    "robots": "robots.txt",
    "sitemap": "the sitemap itself",
    "centres-download": "a list's data files (linked from the list, which is listed)",
    "opendata:descriptor": "a data file (linked from /donnees/)",
    "opendata:package": "a data file (linked from /donnees/)",
    **{
        f"api-v1:{name}": "the read API, JSON (described on /api/)"
        for name in (
            "api-root",
            "openapi-json",
            "openapi-view",
            "site_list",
            "centre_list",
            "hospital_list",
            "filiere_list",
        )
    },
}


class BilingualSitemap(Sitemap):
    """Every item in French and in English, each with its alternates."""

    i18n = True
    alternates = True
    x_default = True


class EntryPageSitemap(BilingualSitemap):
    def items(self):
        return list(ENTRY_PAGES)

    def location(self, item):
        return reverse(item)


class SiteSitemap(BilingualSitemap):
    def items(self):
        return Site.objects.published().only("slug").order_by("slug")


class ReferenceCentreSitemap(BilingualSitemap):
    """A centre's page is /centres/?crmr=<slug>, its canonical URL too."""

    def items(self):
        published = Site.objects.published().filter(centre=OuterRef("pk"))
        return ReferenceCentre.objects.filter(Exists(published)).only("slug").order_by("slug")


class HospitalSitemap(BilingualSitemap):
    """Every hospital: the hospital list links them all."""

    def items(self):
        return Hospital.objects.only("slug").order_by("slug")


class FiliereSitemap(BilingualSitemap):
    def items(self):
        return Filiere.objects.only("slug").order_by("slug")


class DiseaseSitemap(BilingualSitemap):
    def items(self):
        return diseases_with_centres()

    def location(self, item):
        return reverse("diseases:detail", kwargs={"orpha_code": item})


SITEMAPS = {
    "pages": EntryPageSitemap,
    "centres": SiteSitemap,
    "centres-de-reference": ReferenceCentreSitemap,
    "hopitaux": HospitalSitemap,
    "filieres": FiliereSitemap,
    "maladies": DiseaseSitemap,
}


def diseases_with_centres() -> list[int]:
    """The active ORPHA codes whose page lists at least one centre, in order: those a
    reference centre's scope reaches (the centre is listed, with its sites or with "no
    site described yet") and those the domain of a filière with a published site
    reaches (centres.matching.disease_centres). A scope reaches the Orphanet group it
    is mapped to and everything below it, within one classification, as far as
    diseases.coverage looks up (MAX_DEPTH). Three queries, whatever the number of
    diseases (about 0.1 s on the real data)."""
    roots = set(CentreCoverage.objects.values_list("disease_id", flat=True))
    published = Site.objects.published().filter(centre__filiere=OuterRef("filiere"))
    roots.update(
        FiliereCoverage.objects.filter(Exists(published)).values_list("disease_id", flat=True)
    )
    if not roots:
        return []
    codes = sorted(roots)
    edges = ClassificationEdge._meta.db_table
    # Down the classifications from the mapped groups, one classification per path,
    # as diseases.coverage goes up them; UNION drops the rows already reached.
    below = RawSQL(
        f"""
        WITH RECURSIVE below(code, cls, depth) AS (
            SELECT child_id, classification_id, 1 FROM {edges}
            WHERE parent_id IN ({", ".join(["%s"] * len(codes))})
          UNION
            SELECT e.child_id, e.classification_id, b.depth + 1
            FROM {edges} e JOIN below b ON e.parent_id = b.code AND e.classification_id = b.cls
            WHERE b.depth < %s
        )
        SELECT code FROM below
        """,
        [*codes, MAX_DEPTH],
    )
    return list(
        Disease.objects.active()
        .filter(Q(pk__in=codes) | Q(pk__in=below))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
