"""What search engines and link previews read: each page's canonical URL and the
schema.org data (JSON-LD) of the site and hospital pages.

The JSON-LD holds only what the database holds: a field without a value is left out,
never filled with a guess (a site's telephone is its own, never its hospital's
switchboard, which goes with the hospital). It is written in a
`<script type="application/ld+json">` data block: browsers do not execute it, so the
Content-Security-Policy (`script-src 'self'`, no inline script) allows it, and it is
escaped as `django.utils.html.json_script` escapes, so that `</script>` in a name
cannot end the block.
"""

import json
from urllib.parse import urlencode

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from centres.enums import AgeGroup, SiteKind
from common.france import Region

SCHEMA_ORG = "https://schema.org"

# --- Canonical URLs --------------------------------------------------------------

# The /centres/ filters that make a list worth its own address (a centre's sites, a
# filière's, a region's...), in the order they are written in the canonical URL.
# Their cleaned values are used, so "?maladie=ORPHA:000586" is written "?maladie=586".
CANONICAL_LIST_FILTERS = ("crmr", "maladie", "filiere", "hopital", "region", "type", "age")
# Refinements of a list (free text, "near me"): the canonical URL is the list without
# them, and without the page number, which only means something with them. Any other
# parameter (utm_*, fbclid, a mistyped name) is dropped and changes nothing else.
LIST_REFINEMENTS = ("q", "pres_de", "rayon")


def canonical_url(request, context, language: str | None = None) -> str | None:
    """The absolute URL of the page being rendered, without tracking or unknown
    parameters; None when the page has none (an error page). Only /centres/ keeps
    parameters (see CANONICAL_LIST_FILTERS); every other page is its path alone: a
    site, hospital, filière or disease page has no parameter that makes it another
    page (`pres_de` only sorts), and a search page's canonical URL is its empty form.
    Old slugs and obsolete ORPHA codes never get here: they redirect first.
    `language`: the same page's URL in that language (its alternate), None when the
    page has no version in it."""
    match = getattr(request, "resolver_match", None)
    # The 404 handler renders with the request of a URL that may not exist.
    if match is None or "exception" in context:
        return None
    path = request.path if language is None else path_in_language(request, language)
    if path is None:
        return None
    query = _list_query(request, context) if match.view_name == "centres:list" else []
    return request.build_absolute_uri(path + (f"?{urlencode(query)}" if query else ""))


def alternate_urls(request, context) -> list[tuple[str, str]]:
    """The page's canonical URL in each language, as (hreflang, URL), then French
    again as `x-default` (what a visitor of another language is offered); empty
    when the page exists in one language only (staff pages) or has no canonical
    URL (an error page)."""
    urls = []
    for language, _name in settings.LANGUAGES:
        url = canonical_url(request, context, language)
        if url is None:
            return []
        urls.append((language, url))
    default = dict(urls)[settings.LANGUAGE_CODE]
    return [*urls, ("x-default", default)]


def path_in_language(request, language: str) -> str | None:
    """The path of the page being shown, in `language` (without its query string):
    the page's URL name reversed in that language. None when the page has no version
    in that language (a URL outside i18n_patterns: the API, staff pages). A URL that
    does not exist (a 404) gets the same path with the other language's prefix, whose
    404 page is in that language."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return _swap_language_prefix(request.path_info, language)
    paths = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            try:
                paths[code] = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                return None
    # The same URL in every language: not a translated page.
    if len(set(paths.values())) == 1:
        return None
    return paths.get(language)


def _swap_language_prefix(path: str, language: str) -> str:
    """`path` with its language prefix (none for the default language) replaced by
    `language`'s."""
    # One leading slash: "/en//evil.example/x" must not become "//evil.example/x", a
    # link to another site.
    path = "/" + path.lstrip("/")
    current = translation.get_language_from_path(path)
    if current:
        path = "/" + path.removeprefix(f"/{current}").lstrip("/")
    if language == settings.LANGUAGE_CODE:
        return path
    return f"/{language}{path}"


def _list_query(request, context) -> list[tuple[str, str]]:
    site_filter = context.get("filter")
    # Invalid filters show an empty list: its canonical page is the whole list.
    if site_filter is None or not site_filter.is_valid():
        return []
    cleaned = site_filter.form.cleaned_data
    query = [
        (name, _parameter(cleaned[name]))
        for name in CANONICAL_LIST_FILTERS
        if cleaned.get(name) not in (None, "")
    ]
    page = context.get("page_obj")
    refined = any(request.GET.get(name, "").strip() for name in LIST_REFINEMENTS)
    if page is not None and page.number > 1 and not refined:
        query.append(("page", str(page.number)))
    return query


def _parameter(value) -> str:
    """A cleaned filter value as written in the URL: a slug, an ORPHA code, a choice."""
    for attribute in ("slug", "orpha_code"):
        if hasattr(value, attribute):
            return str(getattr(value, attribute))
    return str(value)


# --- schema.org JSON-LD ----------------------------------------------------------

# A filière's MedicalSpecialty (https://schema.org/MedicalSpecialty), keyed by its slug,
# only where its whole domain is plainly one specialty. The filières that span several
# organs or disciplines (DéfiScience, FIMATHO, G2M, Muco-CFTR, NeuroSphinx, SENSGENE,
# TETECOU) get none: no specialty is better than a misleading one.
FILIERE_SPECIALTIES = {
    "anddi-rares": "Genetic",  # developmental anomalies: the clinical genetics services
    "brain-team": "Neurologic",
    "cardiogen": "Cardiovascular",
    "fai2r": "Rheumatologic",  # schema.org: "rheumatic, autoimmune or joint diseases"
    "fava-multi": "Cardiovascular",  # rare vascular diseases
    "filfoie": "Gastroenterologic",  # the liver, part of gastroenterology (hepatology)
    "filnemus": "Neurologic",  # neuromuscular diseases
    "filslan": "Neurologic",  # ALS and other motor neurone diseases
    "fimarad": "Dermatology",
    "firendo": "Endocrine",
    "marih": "Hematologic",
    "mcgre": "Hematologic",  # red blood cells and erythropoiesis
    "mhemo": "Hematologic",  # bleeding disorders
    "orkid": "Renal",
    "oscar": "Musculoskeletal",  # bone, calcium and cartilage
    "respifil": "Pulmonary",
}
# A site that sees children only (its sources say so) is a paediatric one.
AGE_SPECIALTIES = {AgeGroup.CHILDREN: "Pediatric"}
COUNTRY = "FR"  # every labelled centre of the directory is in France

# What json_script escapes (django.utils.html._json_script_escapes, private).
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def jsonld_script(data: dict) -> SafeString:
    """`data` as a JSON-LD data block, escaped as json_script escapes."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(JSON_SCRIPT_ESCAPES)),
    )


def _compact(data: dict) -> dict:
    """`data` without its empty values (None, "", [], {})."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def _address(street: str, postcode: str, city: str, region: str) -> dict | None:
    if not (street or postcode or city):
        return None
    return _compact(
        {
            "@type": "PostalAddress",
            "streetAddress": street,
            "postalCode": postcode,
            "addressLocality": city,
            "addressRegion": str(Region(region).label) if region else "",
            "addressCountry": COUNTRY,
        }
    )


def _geo(latitude, longitude) -> dict | None:
    if latitude is None or longitude is None:
        return None
    return {"@type": "GeoCoordinates", "latitude": float(latitude), "longitude": float(longitude)}


def _hospital_address(hospital) -> dict | None:
    return _address(hospital.address, hospital.postcode, hospital.city, hospital.region)


def _site_address(site) -> dict | None:
    """The site's own address; else its hospital's, which is the site's (a site has an
    address of its own only when it differs, see Site.address); else its town alone."""
    hospital = site.hospital
    if site.address:
        return _address(site.address, site.postcode, site.city, site.region_code)
    if hospital and (hospital.address or hospital.postcode):
        return _hospital_address(hospital)
    return _address("", site.postcode, site.place, site.region_code)


def _specialties(site) -> list[str]:
    names = []
    filiere = site.centre.filiere
    if filiere and filiere.slug in FILIERE_SPECIALTIES:
        names.append(FILIERE_SPECIALTIES[filiere.slug])
    if site.age_group in AGE_SPECIALTIES:
        names.append(AGE_SPECIALTIES[site.age_group])
    return [f"{SCHEMA_ORG}/{name}" for name in names]


def _id(url: str, fragment: str) -> str:
    return f"{url}#{fragment}"


def _hospital_reference(hospital, absolute) -> dict:
    """A hospital as named from another page: who it is, where, its switchboard."""
    url = absolute(hospital.get_absolute_url())
    return _compact(
        {
            "@type": "Hospital",
            "@id": _id(url, "etablissement"),
            "name": hospital.name,
            "url": url,
            "address": _hospital_address(hospital),
            "telephone": hospital.switchboard_phone,
        }
    )


def site_jsonld(site, absolute) -> dict:
    """A site as a schema.org MedicalClinic: part of its hospital, member of its
    reference centre, itself member of its filière. `absolute` makes a path absolute
    (request.build_absolute_uri). Reads the site, its centre, filière and hospital
    (select_related by the view): no query."""
    url = absolute(site.get_absolute_url())
    centre = site.centre
    filiere = centre.filiere
    filiere_data = None
    if filiere:
        filiere_data = _compact(
            {
                "@type": "MedicalOrganization",
                "name": f"{filiere.acronym} — {filiere.full_name}",
                "url": absolute(filiere.get_absolute_url()),
                "sameAs": filiere.website,
            }
        )
    return _compact(
        {
            "@context": SCHEMA_ORG,
            "@type": "MedicalClinic",
            "@id": _id(url, "site"),
            "name": site.display_name,
            "description": capfirst(site.kind_label) if site.kind != SiteKind.UNKNOWN else "",
            "url": url,
            "sameAs": site.website,
            "telephone": site.phone,
            "email": site.email,
            "address": _site_address(site),
            "geo": _geo(site.latitude, site.longitude),
            "medicalSpecialty": _specialties(site),
            "parentOrganization": (
                _hospital_reference(site.hospital, absolute) if site.hospital else None
            ),
            "memberOf": _compact(
                {
                    "@type": "MedicalOrganization",
                    "name": centre.name,
                    "alternateName": centre.acronym,
                    "url": absolute(centre.get_absolute_url()),
                    "memberOf": filiere_data,
                }
            ),
        }
    )


def site_description(site) -> str:
    """The site page's description: « Site coordonnateur — centre de référence (CRMR) :
    Centre X (ACR), CHU de Reims. Filière FILNEMUS. » (the kind when a source gives it,
    the town when the hospital's name does not say it)."""
    where = str(site.centre)
    if site.hospital:
        where += f", {site.hospital}"
    if site.place and site.place not in where:
        where += f" ({site.place})"
    text = f"{where}."
    if site.kind != SiteKind.UNKNOWN:
        text = f"{capfirst(site.kind_label)} : {text}"
    if site.centre.filiere:
        text += " " + _("Filière %(filiere)s.") % {"filiere": site.centre.filiere.acronym}
    return text


def hospital_jsonld(hospital, sites, absolute) -> dict:
    """A hospital as a schema.org Hospital, with its published sites (those its page
    lists) as departments. No query."""
    url = absolute(hospital.get_absolute_url())
    identifiers = [
        {"@type": "PropertyValue", "propertyID": label, "value": value}
        for label, value in (
            ("FINESS", hospital.finess),
            ("FINESS juridique", hospital.finess_legal),
        )
        if value
    ]
    return _compact(
        {
            "@context": SCHEMA_ORG,
            "@type": "Hospital",
            "@id": _id(url, "etablissement"),
            "name": hospital.name,
            "alternateName": hospital.short_name if hospital.short_name != hospital.name else "",
            "url": url,
            "sameAs": hospital.website,
            "telephone": hospital.switchboard_phone,
            "address": _hospital_address(hospital),
            "geo": _geo(hospital.latitude, hospital.longitude),
            "identifier": identifiers,
            "department": [
                {
                    "@type": "MedicalClinic",
                    "@id": _id(absolute(site.get_absolute_url()), "site"),
                    "name": site.display_name,
                    "url": absolute(site.get_absolute_url()),
                }
                for site in sites
            ],
        }
    )
