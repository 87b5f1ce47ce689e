"""The home page and the global search box."""

import re
from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from centres.models import PublishedCount, RegionSiteTally, Site
from common.france import Region, is_postcode
from common.text import normalize
from communes.models import Commune
from communes.places import resolve_place
from diseases.models import Disease
from diseases.search import STOP_WORDS, parse_orpha_code, search_diseases
from filieres.models import Filiere
from hospitals.models import Hospital
from web.forms import DiseaseSearchForm
from web.regions import region_sort_key
from web.suggestions import suggestions


@require_safe
def home(request):
    # Every published site, those of no known region included: what /centres/ lists.
    site_count, region_counts = RegionSiteTally.objects.count_and_regions()
    national_counts = list(PublishedCount.objects.national().latest_first())
    regions = sorted(
        ((Region(code), count) for code, count in region_counts.items()),
        key=lambda item: region_sort_key(item[0].label),
    )
    return render(
        request,
        "home.html",
        {
            "search_form": DiseaseSearchForm(),
            "filieres": Filiere.objects.order_by("acronym"),
            "regions": regions,
            "featured_hospitals": Hospital.objects.exclude(
                published_reference_sites=None, published_competence_centres=None
            ).order_by("name"),
            "site_count": site_count,
            # Said under the region tiles, so that they add up to the total.
            "sites_without_region": site_count - sum(region_counts.values()),
            "national_counts": national_counts,
            "national_count": next(
                (count for count in national_counts if count.total_sites is not None), None
            ),
        },
    )


MAX_PLACE_WORDS = 3
WORD = re.compile(r"[a-z0-9]+")
# Words that name no disease by themselves: « syndrome Lyon » is not a disease near Lyon.
GENERIC_WORDS = {
    "maladie", "maladies", "syndrome", "syndromes", "cancer", "cancers", "tumeur",
    "tumeurs", "anomalie", "anomalies", "deficit", "deficits", "trouble", "troubles",
    "rare", "rares", "genetique", "genetiques", "disease", "diseases", "disorder",
    "disorders", "tumour", "tumours", "tumor", "tumors", "anomaly", "deficiency",
    "genetic", "of", "the", "with",
}  # fmt: skip


def _words(text) -> list[str]:
    return WORD.findall(normalize(text))


def _is_one_disease_name(query: str, language: str) -> bool:
    """Whether the whole query, place words included, is (part of) a disease's name:
    « Charcot Marie », « Pierre Robin » are diseases, not « Charcot » near Marie (06)."""
    found = search_diseases(query, limit=1, language=language)
    if not found:
        return False
    phrase = " ".join(_words(query))
    return f" {phrase} " in f" {' '.join(_words(found[0].matched_name))} "


def _names_every_word(result, words) -> bool:
    """The disease part is taken as the disease asked for only when the matched name
    or synonym holds each of its words whole (« chu » is not « parachute »), articles
    aside."""
    name_words = set(_words(result.matched_name))
    wanted = {w for w in _words(" ".join(words)) if w not in STOP_WORDS}
    return bool(wanted - GENERIC_WORDS) and wanted <= name_words


def disease_near_place(query: str) -> tuple[Disease, str] | None:
    """« Charcot-Marie-Tooth 34000 », « mucoviscidose Reims », « Lyon drépanocytose »:
    a disease and a place in one query. The place is a postcode or a town name of up
    to three words at either end that resolves to one located commune; the rest must
    find a disease. Returns the best disease and the place's words, or None."""
    words = query.split()
    language = get_language()
    if len(words) < 2 or _is_one_disease_name(query, language):
        return None
    for size in range(min(MAX_PLACE_WORDS, len(words) - 1), 0, -1):
        for place_words, rest in (
            (words[-size:], words[:-size]),  # the place last: the usual way
            (words[:size], words[size:]),
        ):
            place_query = " ".join(place_words)
            lookup = resolve_place(place_query)
            if lookup.place is None:
                continue
            found = search_diseases(" ".join(rest), limit=1, language=language)
            if found and _names_every_word(found[0], rest):
                return found[0].disease, place_query
    return None


@require_safe
def global_search(request):
    """The home page's single box: a disease, a centre or a place.

    Unambiguous queries go straight to their page (an ORPHA code or an exact disease
    name to the disease, a postcode to the sites near it, a disease and a place to the
    disease's centres nearest the place); otherwise the page lists what matched in each
    kind."""
    form = DiseaseSearchForm(request.GET)
    if not form.is_valid():
        return render(request, "search.html", {"form": form}, status=200)
    query = form.cleaned_data["q"].replace("\x00", "").strip()
    if not query:
        return redirect("centres:list")
    # Five digits are a postcode when one exists (113 postcodes are also ORPHA codes:
    # "ORPHA:33110" reaches the disease).
    if is_postcode(query) and Commune.objects.with_postcode(query).exists():
        return redirect(reverse("centres:list") + "?" + urlencode({"pres_de": query}))
    code = parse_orpha_code(query)
    if code is not None and Disease.objects.filter(pk=code).exists():
        return redirect("diseases:detail", orpha_code=code)
    diseases = search_diseases(query, limit=8, language=get_language())
    if diseases and diseases[0].rank <= 1 and (len(diseases) == 1 or diseases[1].rank > 1):
        return redirect(diseases[0].disease)
    near = disease_near_place(query) if not diseases or diseases[0].rank > 1 else None
    if near is not None:
        disease, place_query = near
        return redirect(disease.get_absolute_url() + "?" + urlencode({"pres_de": place_query}))
    found = Site.objects.published().search(query)
    sites = list(found.for_cards()[:8])
    place = resolve_place(query)
    return render(
        request,
        "search.html",
        {
            "form": form,
            "query": query,
            "diseases": diseases,
            "sites": sites,
            "site_total": found.count() if sites else 0,
            "place": place.place,
            "place_choices": place.choices if place.ambiguous or place.unlocated else [],
            # A place that exists but cannot be located: say so, with the choices.
            "place_error": place.error if place.unlocated else "",
        },
    )


@require_safe
def global_suggestions(request):
    """JSON for the single box's autocomplete: diseases, centres, hospitals, filières
    and places ({kind, group, label, detail, url}, web/suggestions.py)."""
    form = DiseaseSearchForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"error": form.errors.get_json_data()}, status=400)
    return JsonResponse({"results": suggestions(form.cleaned_data["q"])})
