"""What the single search box suggests while one types: diseases, and also centres,
hospitals, filières and places (« reims » suggests the CHU de Reims and the town, not
only a disease whose name holds those letters).

Each suggestion is {kind, group, label, detail, url}; the box (static/js/
autocomplete.js) shows them as one list of options. Exact matches come first: a town
or acronym named exactly, a disease named exactly, then hospitals and centres, then
the other diseases, places and filières."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from centres.models import ReferenceCentre
from common.db import with_every_term
from common.france import is_postcode
from common.text import normalize, search_terms
from communes.models import Commune
from communes.places import MOST_POPULOUS
from diseases.search import search_diseases
from filieres.models import Filiere
from hospitals.models import Hospital

MIN_LENGTH = 2
LIMITS = {"disease": 5, "hospital": 3, "centre": 2, "filiere": 2, "place": 3}
MAX_SUGGESTIONS = 10


def _disease(result):
    disease = result.disease
    detail = f"ORPHA:{disease.orpha_code}"
    if result.via_synonym:
        detail += " — « " + result.matched_name + " »"
    return {
        "kind": "disease",
        "group": _("Maladie"),
        "label": disease.name_in(get_language()),
        "detail": detail,
        "url": disease.get_absolute_url(),
    }


def _place(commune):
    label = f"{commune.name} ({commune.department})"
    return {
        "kind": "place",
        "group": _("Lieu"),
        "label": _("Centres près de %(place)s") % {"place": label},
        "detail": commune.postcodes.split()[0] if commune.postcodes else "",
        "url": reverse("centres:list") + "?" + urlencode({"pres_de": label}),
    }


def suggestions(query: str) -> list[dict]:
    query = (query or "").replace("\x00", " ").strip()
    if len(query) < MIN_LENGTH:
        return []
    terms = search_terms(query)
    normalized = normalize(query)
    first, middle, last = [], [], []

    if is_postcode(query):
        communes = Commune.objects.with_postcode(query).order_by(*MOST_POPULOUS)
    else:
        communes = Commune.objects.filter(search_name__startswith=normalized).order_by(
            *MOST_POPULOUS
        )
    for commune in communes[: LIMITS["place"]]:
        exact = is_postcode(query) or commune.search_name == normalized
        (first if exact else last).append(_place(commune))

    for result in search_diseases(query, limit=LIMITS["disease"], language=get_language()):
        (first if result.rank <= 1 else middle).append(_disease(result))

    if terms:
        hospitals = with_every_term(
            Hospital.objects.all(), ("name", "short_name", "city"), terms
        ).order_by("name")
        middle[:0] = [
            {
                "kind": "hospital",
                "group": _("Établissement"),
                "label": hospital.name,
                "detail": hospital.city,
                "url": hospital.get_absolute_url(),
            }
            for hospital in hospitals[: LIMITS["hospital"]]
        ]
        centres = with_every_term(
            ReferenceCentre.objects.all(), ("name", "acronym"), terms
        ).order_by("name")
        for centre in centres[: LIMITS["centre"]]:
            middle.append(
                {
                    "kind": "centre",
                    "group": _("Centre de référence"),
                    "label": centre.name,
                    "detail": centre.acronym,
                    "url": centre.get_absolute_url(),
                }
            )
        filieres = with_every_term(Filiere.objects.all(), ("acronym", "name"), terms).order_by(
            "acronym"
        )
        for filiere in filieres[: LIMITS["filiere"]]:
            item = {
                "kind": "filiere",
                "group": _("Filière"),
                "label": f"{filiere.acronym} — {filiere.full_name}",
                "detail": "",
                "url": filiere.get_absolute_url(),
            }
            (first if normalize(filiere.acronym) == normalized else last).append(item)
    return (first + middle + last)[:MAX_SUGGESTIONS]
