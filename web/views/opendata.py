"""The directory as open data: the /donnees/ page, each table as CSV with its Table
Schema, the data package, and the downloads of any /centres/ list (web/opendata.py
defines the tables)."""

import json

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from centres.models import CentreSiteTally, PublishedCount
from common.versions import PUBLIC_DATA, state
from web import opendata
from web.views.sites import listing

CSV_TYPE = "text/csv; charset=utf-8"
GEOJSON_TYPE = "application/geo+json"
# ?separateur=point-virgule: the CSV that a spreadsheet set for French opens in columns.
SEPARATORS = {"": ",", "virgule": ",", "point-virgule": ";"}
BOM = "\ufeff"


def base_url(request) -> str:
    """Scheme and host of this request, to write absolute page URLs in the files."""
    return request.build_absolute_uri("/").rstrip("/")


def _table(name: str) -> opendata.Table:
    try:
        return opendata.TABLES[name]
    except KeyError:
        raise Http404(f"Pas de table « {name} ».") from None


def csv_response(text: str, filename: str) -> HttpResponse:
    """UTF-8 with a BOM (so that spreadsheets read the accents), as an attachment."""
    response = HttpResponse(BOM + text, content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def open_data(request):
    _version, updated = state(PUBLIC_DATA)
    return render(
        request,
        "opendata/donnees.html",
        {
            "tables": opendata.TABLES.values(),
            "site_count": CentreSiteTally.objects.totals()[0],
            "national_counts": list(PublishedCount.objects.national().latest_first()),
            "updated": updated,
            "licence": opendata.LICENCE,
            "orphanet_licence": opendata.ORPHANET_LICENCE,
            "licence_exceptions": opendata.LICENCE_EXCEPTIONS,
            "package_name": opendata.PACKAGE_NAME,
        },
    )


@require_safe
def table_csv(request, name):
    table = _table(name)
    text = opendata.csv_text(table, opendata.table_objects(table), base_url(request))
    return csv_response(text, f"{table.name}.csv")


@require_safe
def table_schema(request, name):
    table = _table(name)
    schema = {"$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json"}
    schema |= {"title": table.title, "description": table.description, **table.schema()}
    return JsonResponse(schema, json_dumps_params={"ensure_ascii": False, "indent": 2})


@require_safe
def package_descriptor(request):
    """datapackage.json with the tables' absolute URLs, for tools that read it online."""
    _version, updated = state(PUBLIC_DATA)
    descriptor = opendata.descriptor(base_url(request), updated)
    for resource in descriptor["resources"]:
        resource["path"] = f"{base_url(request)}/donnees/{resource['name']}.csv"
    return HttpResponse(
        json.dumps(descriptor, ensure_ascii=False, indent=2),
        content_type="application/json",
    )


@require_safe
def package_zip(request):
    _version, updated = state(PUBLIC_DATA)
    response = HttpResponse(
        opendata.data_package(base_url(request), updated), content_type="application/zip"
    )
    response["Content-Disposition"] = f'attachment; filename="{opendata.PACKAGE_NAME}.zip"'
    return response


@require_safe
def site_list_download(request, extension):
    """Every site of a /centres/ list (all its pages), in the page's order, as CSV,
    JSON or GeoJSON. A filter the list would refuse is a 400 with its message."""
    result = listing(request.GET)
    separator = SEPARATORS.get(request.GET.get("separateur", ""))
    if not result.valid or separator is None:
        messages = result.errors()
        if separator is None:
            messages.append("separateur : virgule ou point-virgule.")
        return HttpResponse(
            "Filtres invalides : " + " ".join(messages) + "\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    sites = list(result.sites)
    base = base_url(request)
    if extension == "csv":
        text = opendata.csv_text(opendata.SITES, sites, base, delimiter=separator)
        return csv_response(text, "centres-maladies-rares.csv")
    if extension == "geojson":
        payload = opendata.geojson(sites, base) | _about(request)
        response = JsonResponse(payload, content_type=GEOJSON_TYPE, json_dumps_params=JSON_PARAMS)
    else:
        payload = {
            **_about(request),
            "nombre": len(sites),
            "sites": opendata.SITES.records(sites, base),
        }
        response = JsonResponse(payload, json_dumps_params=JSON_PARAMS)
    response["Content-Disposition"] = f'inline; filename="centres-maladies-rares.{extension}"'
    return response


JSON_PARAMS = {"ensure_ascii": False}


def _about(request) -> dict:
    """What a downloaded list is: its page, its licence, its schema."""
    return {
        "titre": "Annuaire des centres maladies rares : sites",
        "page": request.build_absolute_uri(
            reverse("centres:list") + ("?" + request.GET.urlencode() if request.GET else "")
        ),
        "licence": opendata.LICENCE["path"],
        "schema": request.build_absolute_uri(reverse("opendata:schema", args=["sites"])),
    }


@require_safe
def api_docs(request):
    """The read API for people: what it offers, with examples (the OpenAPI schema and
    its interactive reference are linked)."""
    return render(request, "opendata/api.html", {"rate_limit": settings.API_RATE_LIMIT})
