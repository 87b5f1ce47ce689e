"""The read API, /api/v1/ (django-ninja: the OpenAPI 3 schema is generated from the
code below; see the README for why ninja).

Anonymous, read-only, rate-limited per client address in the shared cache (the same
django-ratelimit counters as the site's forms), open to other origins for GET (CORS,
settings.CORS_URLS_REGEX). The records are those of the open data files: one
definition per table in web/opendata.py gives the files' columns and the API's fields.
A bad parameter is a 400 with its message, an unknown identifier a 404.
"""

import datetime
import math
import uuid
from typing import Literal

from django.conf import settings
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django_ratelimit.core import is_ratelimited
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.errors import HttpError, ValidationError
from ninja.throttling import BaseThrottle
from pydantic import create_model

from centres.matching import disease_centres
from centres.models import ReferenceCentre, Site
from common.france import Region
from diseases.models import ORPHANET_ATTRIBUTION, Disease
from filieres.models import Filiere
from hospitals.models import Hospital
from web import opendata
from web.forms import MAX_RADIUS_KM
from web.views.sites import listing

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


class SharedRateThrottle(BaseThrottle):
    """settings.API_RATE_LIMIT requests per client address (common.http.client_ip,
    which knows the trusted proxies), counted in the shared cache by django-ratelimit;
    fails open when the cache is down, as the forms' limits do."""

    def allow_request(self, request) -> bool:
        return not is_ratelimited(
            request, group="api", key="ip", rate=settings.API_RATE_LIMIT, increment=True
        )


api = NinjaAPI(
    title="Annuaire des centres maladies rares — API",
    version="1",
    description=(
        "Lecture seule, sans compte. Les champs sont ceux des fichiers de données ouvertes "
        "(/donnees/) ; licence Etalab 2.0, noms des maladies © Orphanet (CC BY 4.0). "
        f"Limite : {settings.API_RATE_LIMIT} requêtes par adresse."
    ),
    urls_namespace="api-v1",
    throttle=[SharedRateThrottle()],
)


class Error(Schema):
    erreurs: list[str] = Field(description="Ce qui ne va pas, en français.")


ERRORS = {400: Error, 404: Error, 429: Error}


@api.exception_handler(ValidationError)
def bad_parameters(request, exc):
    messages = [
        f"{'.'.join(str(part) for part in error.get('loc', ())[1:]) or 'requête'} : "
        f"{error.get('msg', 'valeur invalide')}"
        for error in exc.errors
    ]
    return api.create_response(request, {"erreurs": messages}, status=400)


@api.exception_handler(HttpError)
def http_error(request, exc):
    return api.create_response(request, {"erreurs": [str(exc)]}, status=exc.status_code)


def _not_found(request, exc):
    return api.create_response(request, {"erreurs": ["Introuvable."]}, status=404)


api.add_exception_handler(Http404, _not_found)


# --- Records: the open data tables' columns, as Pydantic models --------------------

TYPES = {
    "string": str,
    "integer": int,
    "number": float,
    "boolean": bool,
    "date": datetime.date,
    "datetime": datetime.datetime,
}


def _record_model(table: opendata.Table, model_name: str):
    fields = {}
    for column in table.columns:
        kind = uuid.UUID if column.format == "uuid" else TYPES[column.type]
        annotation = kind if column.required else kind | None
        fields[column.name] = (
            annotation,
            Field(
                ... if column.required else None, title=column.title, description=column.description
            ),
        )
    return create_model(model_name, __doc__=table.description, **fields)


SiteOut = _record_model(opendata.SITES, "Site")
CentreOut = _record_model(opendata.CENTRES, "Centre")
HospitalOut = _record_model(opendata.HOSPITALS, "Etablissement")
FiliereOut = _record_model(opendata.FILIERES, "Filiere")


def _page_model(item, name: str):
    return create_model(
        name,
        nombre=(int, Field(description="Nombre total de résultats, toutes pages comprises.")),
        page=(int, ...),
        pages=(int, Field(description="Nombre de pages.")),
        precedent=(str | None, Field(None, description="URL de la page précédente.")),
        suivant=(str | None, Field(None, description="URL de la page suivante.")),
        resultats=(list[item], ...),
    )


SitePage = _page_model(SiteOut, "PageDeSites")
CentrePage = _page_model(CentreOut, "PageDeCentres")
HospitalPage = _page_model(HospitalOut, "PageDEtablissements")


class Pagination(Schema):
    page: int = Field(1, ge=1, le=1_000_000, description="Numéro de page, à partir de 1.")
    par_page: int = Field(
        DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Résultats par page."
    )


def _base(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _paginate(request, items, table: opendata.Table, pagination: Pagination) -> dict:
    """One page of `items` (a queryset or NearestSites: sliced in the database) as
    records, with the links to the pages around it."""
    total = len(items) if not hasattr(items, "count") or isinstance(items, list) else None
    if total is None:
        total = items.count()
    pages = max(1, math.ceil(total / pagination.par_page))
    if pagination.page > pages:
        raise HttpError(404, f"Page {pagination.page} : il y a {pages} page(s).")
    start = (pagination.page - 1) * pagination.par_page
    rows = list(items[start : start + pagination.par_page])

    def link(number):
        query = request.GET.copy()
        query["page"] = str(number)
        return request.build_absolute_uri(request.path + "?" + query.urlencode())

    return {
        "nombre": total,
        "page": pagination.page,
        "pages": pages,
        "precedent": link(pagination.page - 1) if pagination.page > 1 else None,
        "suivant": link(pagination.page + 1) if pagination.page < pages else None,
        "resultats": table.records(rows, _base(request)),
    }


# --- Sites -----------------------------------------------------------------------------


class SiteFilters(Schema):
    """The filters of /centres/, same names, same meaning."""

    q: str | None = Field(None, max_length=200, description="Texte : centre, ville, filière…")
    type: Literal["reference", "competence", "crc"] | None = Field(
        None, description="Type de site."
    )
    filiere: str | None = Field(None, max_length=40, description="Filière (son slug).")
    hopital: str | None = Field(None, max_length=140, description="Établissement (son slug).")
    region: Literal[tuple(Region.values)] | None = Field(None, description="Code INSEE.")
    age: Literal["enfants", "adultes"] | None = Field(None, description="Âge des patients.")
    crmr: str | None = Field(None, max_length=160, description="Centre (son slug).")
    maladie: str | None = Field(None, max_length=30, description="Code ORPHA.")
    pres_de: str | None = Field(
        None, max_length=100, description="Code postal ou commune : du plus proche au plus loin."
    )
    rayon: int | None = Field(
        None, ge=1, le=MAX_RADIUS_KM, description="Rayon en km autour de `pres_de` (requis)."
    )


@api.get(
    "/sites",
    response={200: SitePage, **ERRORS},
    summary="Sites, avec les filtres de la liste /centres/",
    tags=["sites"],
)
def site_list(request, filters: Query[SiteFilters], pagination: Query[Pagination]):
    """Dans l'ordre de la page /centres/ pour les mêmes filtres : avec `maladie`, les
    centres qui la prennent en charge d'abord, le plus spécifique en tête ; avec
    `pres_de`, du plus proche au plus éloigné."""
    params = QueryDict(mutable=True)
    for name, value in filters.model_dump(exclude_none=True).items():
        params[name] = str(value)
    result = listing(params)
    if not result.valid:
        # A name that designates nothing is a 404 (as an unknown identifier is); a
        # contradiction between parameters, a 400.
        raise HttpError(404 if result.names_unknown() else 400, " ".join(result.errors()))
    return _paginate(request, result.sites, opendata.SITES, pagination)


@api.get("/sites/{uid}", response={200: SiteOut, **ERRORS}, summary="Un site", tags=["sites"])
def site_detail(request, uid: uuid.UUID):
    site = get_object_or_404(Site.objects.published().for_list(), uid=uid)
    return opendata.SITES.records([site], _base(request))[0]


# --- Centres, établissements, filières ---------------------------------------------------


@api.get(
    "/centres",
    response={200: CentrePage, **ERRORS},
    summary="Centres de référence (et réseaux CRC)",
    tags=["centres"],
)
def centre_list(request, pagination: Query[Pagination]):
    return _paginate(
        request, opendata.table_objects(opendata.CENTRES), opendata.CENTRES, pagination
    )


@api.get(
    "/centres/{uid}", response={200: CentreOut, **ERRORS}, summary="Un centre", tags=["centres"]
)
def centre_detail(request, uid: uuid.UUID):
    centre = get_object_or_404(ReferenceCentre.objects.select_related("filiere"), uid=uid)
    return opendata.CENTRES.records([centre], _base(request))[0]


@api.get(
    "/etablissements",
    response={200: HospitalPage, **ERRORS},
    summary="Établissements",
    tags=["établissements"],
)
def hospital_list(request, pagination: Query[Pagination]):
    return _paginate(
        request, opendata.table_objects(opendata.HOSPITALS), opendata.HOSPITALS, pagination
    )


@api.get(
    "/etablissements/{uid}",
    response={200: HospitalOut, **ERRORS},
    summary="Un établissement",
    tags=["établissements"],
)
def hospital_detail(request, uid: uuid.UUID):
    hospital = get_object_or_404(Hospital, uid=uid)
    return opendata.HOSPITALS.records([hospital], _base(request))[0]


@api.get(
    "/filieres",
    response={200: list[FiliereOut], **ERRORS},
    summary="Les filières de santé maladies rares",
    tags=["filières"],
)
def filiere_list(request):
    return opendata.FILIERES.records(opendata.table_objects(opendata.FILIERES), _base(request))


@api.get(
    "/filieres/{acronyme}",
    response={200: FiliereOut, **ERRORS},
    summary="Une filière, par son acronyme",
    tags=["filières"],
)
def filiere_detail(request, acronyme: str = Path(..., max_length=30)):
    filiere = get_object_or_404(Filiere, acronym__iexact=acronyme)
    return opendata.FILIERES.records([filiere], _base(request))[0]


# --- A disease's centres -------------------------------------------------------------


class Step(Schema):
    orpha_code: int
    nom: str


class DiseaseOut(Schema):
    orpha_code: int
    nom: str
    url: str
    remplace: int | None = Field(
        None, description="Le code demandé, quand il est obsolète et remplacé par celui-ci."
    )


class CentreMatchOut(Schema):
    rang: int = Field(description="1 : le plus spécifique.")
    centre: CentreOut
    chemin: list[Step] = Field(
        description="De la maladie au périmètre du centre dans la classification Orphanet."
    )
    justification: str
    sites: int = Field(description="Nombre de sites publiés du centre.")
    sites_url: str = Field(description="Ses sites, dans l'API.")


class FiliereMatchOut(Schema):
    filiere: FiliereOut
    chemin: list[Step]
    justification: str
    sites_url: str = Field(description="Les sites pour cette maladie, dans l'API.")


class DiseaseCentresOut(Schema):
    maladie: DiseaseOut
    centres: list[CentreMatchOut] = Field(
        description="Les centres dont le périmètre couvre la maladie, le plus spécifique d'abord."
    )
    autres_filieres: list[FiliereMatchOut] = Field(
        description="Les filières dont le domaine couvre la maladie : leurs autres centres."
    )
    attribution: str


@api.get(
    "/maladies/{orpha_code}/centres",
    response={200: DiseaseCentresOut, **ERRORS},
    summary="Les centres qui prennent en charge une maladie",
    tags=["maladies"],
)
def disease_centre_list(request, orpha_code: int = Path(..., ge=1, le=10_000_000)):
    """Le plus spécifique d'abord (un centre dont le périmètre est la maladie même, puis
    le groupe le plus étroit qui la contient), avec le chemin qui l'explique."""
    asked = get_object_or_404(Disease.objects.select_related("replaced_by"), pk=orpha_code)
    disease = asked.replaced_by if asked.replaced_by_id and not asked.is_active else asked
    matches = disease_centres(disease)
    base = _base(request)
    centres = [match.centre for match in matches.centre_matches]
    counts = Site.objects.published().count_by_centre([c.pk for c in centres])
    centre_records = opendata.CENTRES.records(centres, base)
    sites_url = base + reverse("api-v1:site_list")

    def steps(path):
        return [{"orpha_code": d.orpha_code, "nom": d.name} for d in path]

    return {
        "maladie": {
            "orpha_code": disease.orpha_code,
            "nom": disease.name,
            "url": base + disease.get_absolute_url(),
            "remplace": asked.orpha_code if asked != disease else None,
        },
        "centres": [
            {
                "rang": rank,
                "centre": record,
                "chemin": steps(match.path),
                "justification": match.coverage.justification,
                "sites": counts.get(match.centre.pk, 0),
                "sites_url": f"{sites_url}?crmr={match.centre.slug}",
            }
            for rank, (match, record) in enumerate(
                zip(matches.centre_matches, centre_records, strict=True), start=1
            )
        ],
        "autres_filieres": [
            {
                "filiere": opendata.FILIERES.records([match.filiere], base)[0],
                "chemin": steps(match.path),
                "justification": match.coverage.justification,
                "sites_url": f"{sites_url}?maladie={disease.orpha_code}",
            }
            for match in matches.filiere_matches
        ],
        "attribution": ORPHANET_ATTRIBUTION,
    }
