"""Where is "near me"? Resolve a postcode or a town name to coordinates, and place
sites on the map: their own sourced coordinates, else their hospital's, else their
town's town hall (approximate)."""

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import F, Q
from django.utils.translation import gettext as _

from common.france import is_postcode
from common.text import normalize
from communes.models import Commune

# "Saint-Denis (93)", "Saint-Denis (974)": a town with its department, as offered
# when a name is ambiguous.
NAME_WITH_DEPARTMENT = re.compile(r"^(?P<name>.+?)\s*\((?P<dep>\d[\dAB]\d?)\)\s*$")
EARTH_RADIUS_KM = 6371.0


@dataclass
class Place:
    label: str
    latitude: float
    longitude: float


@dataclass
class PlaceLookup:
    """What a query resolved to: a place, or an error that says why not (never
    neither, unless the query is empty), with `choices` to pick from."""

    query: str
    place: Place | None = None
    choices: list[Commune] = field(default_factory=list)
    error: str = ""
    ambiguous: bool = False  # several communes have this name: `choices` lists them
    # The place exists but has no coordinates: `choices` are located communes near it.
    unlocated: bool = False


# Most populous first (an unknown population last, on every database), then by code.
MOST_POPULOUS = (F("population").desc(nulls_last=True), "insee")
NEARBY_CHOICES = 8


def _with_coordinates(commune: Commune) -> tuple[float, float] | None:
    return (commune.latitude, commune.longitude) if commune.has_coordinates else None


def _expand(name: str) -> str:
    words = normalize(name).split()
    return " ".join("saint" if w == "st" else "sainte" if w == "ste" else w for w in words)


def _postcode_prefix(prefix: str) -> Q:
    # `postcodes` is a space-separated list of 5-character codes.
    return Q(postcodes__startswith=prefix) | Q(postcodes__contains=" " + prefix)


def nearby_communes(communes: list[Commune]) -> list[Commune]:
    """Communes with coordinates near `communes`, which have none: those sharing one of
    their postcodes, else the first four, then three digits of one, in the same
    département; the most populous first. (Only on the error path: 1 to 3 queries.)"""
    postcodes = {code for commune in communes for code in commune.postcodes.split()}
    located = Commune.objects.filter(
        latitude__isnull=False,
        longitude__isnull=False,
        department__in={commune.department for commune in communes},
    )
    for length in (5, 4, 3):
        condition = Q()
        for prefix in {code[:length] for code in postcodes}:
            condition |= _postcode_prefix(prefix)
        if not condition:
            return []
        found = list(located.filter(condition).order_by(*MOST_POPULOUS)[:NEARBY_CHOICES])
        if found:
            return found
    return []


def _unlocated(lookup: PlaceLookup, message: str, communes: list[Commune]) -> PlaceLookup:
    lookup.unlocated = True
    lookup.choices = nearby_communes(communes)
    lookup.error = message
    if lookup.choices:
        lookup.error += " " + _("Choisissez une commune proche :")
    return lookup


def resolve_place(query: str) -> PlaceLookup:
    """A postcode resolves to its most populous commune that has coordinates, a town
    name to its commune (an ambiguous one offers the choices); a place that exists
    but cannot be located says so, with located communes near it to choose from."""
    query = (query or "").replace("\x00", "").strip()[:100]
    lookup = PlaceLookup(query=query)
    if not query:
        return lookup
    if is_postcode(query):
        code = query
        communes = list(Commune.objects.with_postcode(code).order_by(*MOST_POPULOUS))
        if not communes:
            lookup.error = _("Aucune commune n'a le code postal %(code)s.") % {"code": code}
            return lookup
        located = [commune for commune in communes if commune.has_coordinates]
        if not located:
            message = _(
                "Impossible de situer le code postal %(code)s : les coordonnées de ses "
                "communes ne sont pas connues de l'annuaire."
            ) % {"code": code}
            return _unlocated(lookup, message, communes)
        main = located[0]
        lookup.place = Place(f"{code} ({main.name})", *_with_coordinates(main))
        return lookup

    department = None
    match = NAME_WITH_DEPARTMENT.match(query)
    name = query
    if match:
        name, department = match.group("name"), match.group("dep").upper()
    candidates = Commune.objects.filter(search_name=_expand(name))
    if department:
        candidates = candidates.filter(department=department)
    communes = list(candidates.order_by(*MOST_POPULOUS)[:20])
    if len(communes) > 1 and department:
        # Two communes of one département whose names differ only by their accents
        # ("Vergne (17)", "Vergné (17)"): the choice offered names one exactly.
        spelled = [c for c in communes if c.name.casefold() == name.strip().casefold()]
        communes = spelled if len(spelled) == 1 else communes
    if len(communes) == 1:
        commune = communes[0]
        coordinates = _with_coordinates(commune)
        if coordinates:
            lookup.place = Place(str(commune), *coordinates)
            return lookup
        message = _(
            "Impossible de situer « %(commune)s » : ses coordonnées ne sont pas connues "
            "de l'annuaire."
        ) % {"commune": commune}
        return _unlocated(lookup, message, communes)
    if len(communes) > 1:
        lookup.ambiguous = True
        lookup.choices = communes
        lookup.error = _("Plusieurs communes s'appellent « %(name)s » : laquelle ?") % {
            "name": name
        }
        return lookup
    lookup.choices = (
        list(
            Commune.objects.filter(search_name__startswith=_expand(name)).order_by(*MOST_POPULOUS)[
                :8
            ]
        )
        if len(_expand(name)) >= 3
        else []
    )
    lookup.error = _("Lieu inconnu : « %(name)s ». Indiquez une commune ou un code postal.") % {
        "name": query
    }
    return lookup


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


@dataclass
class SiteLocation:
    latitude: float
    longitude: float
    approximate: bool  # True when placed at its town hall, not at a sourced address


@dataclass(frozen=True)
class Locatable:
    """What placing a site needs: its hospital's sourced coordinates if any, else its
    town (with the département/région that disambiguate a shared town name)."""

    pk: int
    latitude: float | None
    longitude: float | None
    city: str
    department: str
    region: str


# What placing a site reads, from the site and its hospital.
LOCATABLE_FIELDS = (
    "pk",
    "latitude",
    "longitude",
    "hospital_id",
    "hospital__latitude",
    "hospital__longitude",
    "city",
    "hospital__city",
    "hospital__department",
    "region",
    "hospital__region",
)


def _locatable(pk, lat, lon, hospital_id, h_lat, h_lon, city, h_city, h_dep, region, h_region):
    """The one rule: the site's own sourced position, else its hospital's; the site's
    town, else its hospital's; the hospital's département and région when it has a
    hospital, else the site's own région (as `Site.region_code` and `in_region`)."""
    if lat is None or lon is None:
        lat, lon = h_lat, h_lon
    placed = lat is not None and lon is not None
    return Locatable(
        pk,
        float(lat) if placed else None,
        float(lon) if placed else None,
        city or h_city or "",
        h_dep or "",
        (h_region if hospital_id is not None else region) or "",
    )


def locatable_from_row(row) -> Locatable:
    """From a row of LOCATABLE_FIELDS (`values_list`, no model instance)."""
    return _locatable(*row)


def locatable_from_site(site, key=None) -> Locatable:
    """From a Site object loaded with its hospital (no query); `key` stands for its pk
    (an unsaved site has none)."""
    hospital = site.hospital
    return _locatable(
        site.pk if key is None else key,
        site.latitude,
        site.longitude,
        site.hospital_id,
        hospital.latitude if hospital else None,
        hospital.longitude if hospital else None,
        site.city,
        hospital.city if hospital else "",
        hospital.department if hospital else "",
        site.region,
        hospital.region if hospital else "",
    )


def locatables_from_sites(sites) -> list[Locatable]:
    """From Site objects already loaded with their hospital (no query)."""
    return [locatable_from_site(site) for site in sites]


@lru_cache(maxsize=4096)
def _town_key(city: str) -> str:
    return _expand(city)


def town_rows(keys: set[str], communes=None) -> dict[str, list[tuple]]:
    """town key -> [(search_name, department, region, latitude, longitude)] of the
    communes with that name. One indexed query (measured at 1 to 2.5 ms for the 53
    town names of every unplaced site of the directory), so not cached: a cache per
    process would go stale in the other workers when the communes are reloaded."""
    found: dict[str, list[tuple]] = {key: [] for key in keys}
    communes = Commune.objects if communes is None else communes
    rows = communes.filter(search_name__in=keys, latitude__isnull=False).order_by()
    for row in rows.values_list("search_name", "department", "region", "latitude", "longitude"):
        found[row[0]].append(row)
    return found


def locate(locatables, communes=None) -> dict[int, SiteLocation]:
    """Coordinates for each site (by pk): its hospital's sourced coordinates, else the
    town hall of its town (approximate). A town name shared by several communes is
    only used when the site's département or région tells them apart. One query (none
    when every site has coordinates). `communes`: the Commune manager to read (a
    migration's historical model), Commune.objects by default."""
    locations: dict[int, SiteLocation] = {}
    pending = []
    for item in locatables:
        if item.latitude is not None:
            locations[item.pk] = SiteLocation(item.latitude, item.longitude, approximate=False)
        elif item.city:
            pending.append((item, _town_key(item.city)))
    if not pending:
        return locations
    candidates = town_rows({name for _item, name in pending}, communes)
    for item, name in pending:
        communes = candidates.get(name, [])
        if len(communes) > 1 and item.department:
            communes = [c for c in communes if c[1] == item.department]
        if len(communes) > 1 and item.region:
            communes = [c for c in communes if c[2] == item.region]
        if len(communes) == 1:
            locations[item.pk] = SiteLocation(communes[0][3], communes[0][4], approximate=True)
    return locations


@dataclass
class Ranked:
    pk: int
    distance_km: float | None
    approximate: bool


def rank_by_distance(locatables, place: Place, radius_km: float | None = None) -> list[Ranked]:
    """Nearest first; sites that cannot be placed come last (distance None), unless a
    radius is given, which leaves them out."""
    locations = locate(locatables)
    placed, unplaced = [], []
    for item in locatables:
        location = locations.get(item.pk)
        if location is None:
            unplaced.append(Ranked(item.pk, None, False))
            continue
        distance = distance_km(
            place.latitude, place.longitude, location.latitude, location.longitude
        )
        if radius_km is None or distance <= radius_km:
            placed.append(Ranked(item.pk, distance, location.approximate))
    placed.sort(key=lambda ranked: (ranked.distance_km, ranked.pk))
    return placed if radius_km is not None else placed + unplaced


def unit_vector(latitude: float, longitude: float) -> tuple[float, float, float]:
    """The point on the unit sphere: the squared distance between two such vectors (the
    chord) orders places exactly as the great-circle distance does, with nothing but
    arithmetic, so a database sorts by it without trigonometric functions (SQLite has
    them only as Python callbacks). PostgreSQL's earthdistance does the same."""
    phi, lam = math.radians(latitude), math.radians(longitude)
    return (math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi))


def chord_for_km(radius_km: float) -> float:
    """The chord (on the unit sphere) of a great-circle distance: d <= r exactly when
    chord <= chord_for_km(r). Beyond half the circumference every point is within."""
    angle = min(radius_km / EARTH_RADIUS_KM, math.pi)
    return 2 * math.sin(angle / 2)
