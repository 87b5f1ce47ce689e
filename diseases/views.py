from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from centres.forms import NearForm
from centres.models import Site
from communes.places import sort_by_distance
from diseases.coverage import disease_context
from diseases.forms import DiseaseSearchForm
from diseases.models import ORPHANET_ATTRIBUTION, Disease
from diseases.search import parse_orpha_code, search_diseases

SUGGESTIONS = 8
# The disease page shows the first (nearest) sites of each filière, then links to all.
SITES_PER_FILIERE = 8


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
        results = search_diseases(query) if query.strip() else []
    return render(
        request,
        "diseases/disease_search.html",
        {"form": form, "query": query, "results": results, "attribution": ORPHANET_ATTRIBUTION},
    )


@require_safe
def disease_suggestions(request):
    """JSON for the search box's autocomplete: [{code, name, matched, url}]."""
    form = DiseaseSearchForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"error": form.errors.get_json_data()}, status=400)
    query = form.cleaned_data["q"]
    results = search_diseases(query, limit=SUGGESTIONS) if len(query.strip()) >= 2 else []
    return JsonResponse(
        {
            "results": [
                {
                    "code": r.disease.orpha_code,
                    "name": r.disease.name,
                    "matched": r.matched_name if r.via_synonym else "",
                    "active": r.disease.is_active,
                    "url": r.disease.get_absolute_url(),
                }
                for r in results
            ],
            "attribution": ORPHANET_ATTRIBUTION,
        }
    )


@require_safe
def disease_detail(request, orpha_code):
    disease = get_object_or_404(Disease.objects.select_related("replaced_by"), pk=orpha_code)
    if disease.replaced_by_id and not disease.is_active:
        target = disease.replaced_by.get_absolute_url()
        if request.GET:
            target += "?" + request.GET.urlencode()
        return redirect(target, permanent=True)

    context = disease_context(disease)
    near = NearForm(request.GET)
    place = near.place if near.is_bound and near.is_valid() else None
    sites = list(
        Site.objects.published()
        .for_list()
        .covering(context.codes, [f.pk for f in context.filieres])
    )
    if place:
        sites = sort_by_distance(sites, place, near.cleaned_data.get("rayon"))
    by_filiere = {match.filiere.pk: [] for match in context.filiere_matches}
    others = []
    for site in sites:
        by_filiere.get(site.centre.filiere_id, others).append(site)
    return render(
        request,
        "diseases/disease_detail.html",
        {
            "disease": disease,
            "synonyms": [n for n in disease.names.all() if not n.is_preferred],
            "context": context,
            "sections": [
                (
                    match,
                    by_filiere[match.filiere.pk][:SITES_PER_FILIERE],
                    len(by_filiere[match.filiere.pk]),
                )
                for match in context.filiere_matches
            ],
            "other_sites": others,
            "site_count": len(sites),
            "near": near,
            "place": place,
            "attribution": ORPHANET_ATTRIBUTION,
        },
    )
