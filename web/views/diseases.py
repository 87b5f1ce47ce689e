"""Disease search, its suggestions (JSON) and a disease's page."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import MAX_URL_LENGTH
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from centres.matching import OTHER_CENTRES_GROUP, disease_centres
from centres.models import Site
from diseases.models import Disease, orphanet_attribution
from diseases.search import parse_orpha_code, search_diseases
from web.forms import DiseaseSearchForm, NearForm

SUGGESTIONS = 8
# The disease page shows the first (nearest) sites of each centre, then links to all.
SITES_PER_CENTRE = 10


@require_safe
def disease_search(request):
    form = DiseaseSearchForm(request.GET)
    results = []
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"].replace("\x00", "")
        code = parse_orpha_code(query)
        if code is not None and Disease.objects.filter(orpha_code=code).exists():
            return redirect("diseases:detail", orpha_code=code)
        results = search_diseases(query, language=get_language()) if query.strip() else []
    return render(
        request,
        "diseases/disease_search.html",
        {
            "form": form,
            "query": query,
            "results": results,
            "attribution": orphanet_attribution(get_language()),
        },
    )


@require_safe
def disease_suggestions(request):
    """JSON for the search box's autocomplete: [{code, name, matched, url}]."""
    form = DiseaseSearchForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"error": form.errors.get_json_data()}, status=400)
    query = form.cleaned_data["q"]
    results = (
        search_diseases(query, limit=SUGGESTIONS, language=get_language())
        if len(query.strip()) >= 2
        else []
    )
    return JsonResponse(
        {
            "results": [
                {
                    "kind": "disease",
                    "label": r.disease.name_in(get_language()),
                    "detail": f"ORPHA:{r.disease.orpha_code}"
                    + (f" — « {r.matched_name} »" if r.via_synonym else ""),
                    "code": r.disease.orpha_code,
                    "name": r.disease.name_in(get_language()),
                    "matched": r.matched_name if r.via_synonym else "",
                    "active": r.disease.is_active,
                    "url": r.disease.get_absolute_url(),
                }
                for r in results
            ],
            "attribution": orphanet_attribution(get_language()),
        }
    )


@require_safe
def disease_detail(request, orpha_code):
    disease = get_object_or_404(Disease.objects.select_related("replaced_by"), pk=orpha_code)
    # One URL per disease: an obsolete code goes to its replacement, "/maladies/000586/"
    # to "/maladies/586/", in one permanent redirect that keeps the query string.
    canonical = disease
    if disease.replaced_by_id and not disease.is_active:
        canonical = disease.replaced_by
    target = canonical.get_absolute_url()
    if canonical != disease or request.path != target:
        query = request.GET.urlencode()
        # No link carries a query string this long: it is dropped, not refused.
        if query and len(target) + len(query) < MAX_URL_LENGTH:
            target += "?" + query
        return redirect(target, permanent=True)

    matches = disease_centres(disease)
    near = NearForm(request.GET)
    place = near.place if near.is_bound and near.is_valid() else None
    # Per centre, its first (nearest) sites and its number of sites, cut in SQL: the
    # page keeps its size whatever the number of sites. A filière's other centres
    # show one line each: their count and, near a place, their nearest site. The
    # centres are put in their groups here (not by `matches.sites`'s SQL order).
    sites = Site.objects.published().for_cards().filter(centre_id__in=matches.centre_ids)
    per_centre = sites.first_per_centre(
        1,
        place,
        near.cleaned_data.get("rayon") if place else None,
        limits={match.centre.pk: SITES_PER_CENTRE for match in matches.centre_matches},
    )
    centres = [
        (match, *per_centre.get(match.centre.pk, ([], 0))) for match in matches.centre_matches
    ]
    others: dict[int, list] = {}
    for centre_sites, total in per_centre.values():  # in order: nearest first
        first = centre_sites[0]
        group = matches.group_of_centre(first.centre)
        if group is not None and group >= OTHER_CENTRES_GROUP:
            others.setdefault(group, []).append((first.centre, first, total))
    return render(
        request,
        "diseases/disease_detail.html",
        {
            "disease": disease,
            "synonyms": disease.synonyms_in(get_language()),
            "definition": disease.definition_in(get_language()),
            "context": matches,
            "centres": centres,
            "other_centres": [
                (match, others[OTHER_CENTRES_GROUP + rank])
                for rank, match in enumerate(matches.filiere_matches)
                if OTHER_CENTRES_GROUP + rank in others
            ],
            "site_count": sum(total for _sites, total in per_centre.values()),
            "near": near,
            "place": place,
            "attribution": orphanet_attribution(get_language()),
        },
    )
