"""The home page and the global search box."""

from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from centres.models import PublishedCount, Site
from common.france import Region, is_postcode
from communes.models import Commune
from communes.places import resolve_place
from diseases.models import Disease
from diseases.search import parse_orpha_code, search_diseases
from filieres.models import Filiere
from hospitals.models import Hospital
from web.forms import DiseaseSearchForm
from web.regions import region_sort_key


@require_safe
def home(request):
    region_counts = Site.objects.published().count_by_region()
    # Every published site, those of no known region included: what /centres/ lists.
    site_count = Site.objects.published().count()
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


@require_safe
def global_search(request):
    """The home page's single box: a disease, a centre or a place.

    Unambiguous queries go straight to their page (an ORPHA code or an exact disease
    name to the disease, a postcode to the sites near it); otherwise the page lists
    what matched in each kind."""
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
    diseases = search_diseases(query, limit=8)
    if diseases and diseases[0].rank <= 1 and (len(diseases) == 1 or diseases[1].rank > 1):
        return redirect(diseases[0].disease)
    sites = list(Site.objects.published().for_list().search(query)[:8])
    place = resolve_place(query)
    return render(
        request,
        "search.html",
        {
            "form": form,
            "query": query,
            "diseases": diseases,
            "sites": sites,
            "site_total": Site.objects.published().search(query).count() if sites else 0,
            "place": place.place,
            "place_choices": place.choices if place.ambiguous or place.unlocated else [],
            # A place that exists but cannot be located: say so, with the choices.
            "place_error": place.error if place.unlocated else "",
        },
    )
