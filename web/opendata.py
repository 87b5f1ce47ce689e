"""The directory as open data: the tables re-users download (CSV, JSON, GeoJSON), their
Table Schemas (frictionless) and the data package that holds them all.

One definition per table (`Table`, its `Column`s) gives the CSV header, the JSON keys,
the GeoJSON properties and the Table Schema, so they cannot drift apart. Column names
are French, as re-users of French open data expect; every column has a title and a
description in its schema.
"""

import csv
import datetime
import decimal
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from centres.models import CentreCoverage, ReferenceCentre, Site
from common.france import Region
from diseases.models import ORPHANET_ATTRIBUTION, FiliereCoverage
from filieres.models import Filiere
from hospitals.models import Hospital

PACKAGE_NAME = "annuaire-centres-maladies-rares"
# The directory's own data. Some values keep the terms of their source: they are named
# in `LICENCE_EXCEPTIONS` and in the rows' own notes.
LICENCE = {
    "name": "etalab-2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    "title": "Licence Ouverte / Open Licence version 2.0",
}
ORPHANET_LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 (Orphanet / Orphadata)",
}
LICENCE_EXCEPTIONS = (
    "Les coordonnées et adresses d'établissements reprises de Wikipédia restent sous "
    "licence CC BY-SA 4.0 : la colonne « origine_coordonnees » de la table des "
    "établissements le dit ligne par ligne. Les noms et codes des maladies viennent "
    "d'Orphanet (Orphadata), sous licence CC BY 4.0 : citez « " + ORPHANET_ATTRIBUTION + " »."
)
# Spreadsheets run a cell that starts with one of these as a formula (CSV injection):
# such a cell is written with a leading apostrophe, which they show as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type: string, integer, number, boolean, date, datetime
    title: str
    description: str
    value: Callable
    format: str = "default"
    # A path of the site, written as an absolute URL (Table.records' `base_url`).
    is_url_path: bool = False
    required: bool = False
    unique: bool = False
    enum: tuple = ()

    def schema(self) -> dict:
        spec = {
            "name": self.name,
            "type": self.type,
            "title": self.title,
            "description": self.description,
        }
        if self.format != "default":
            spec["format"] = self.format
        constraints = {}
        if self.required:
            constraints["required"] = True
        if self.unique:
            constraints["unique"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if constraints:
            spec["constraints"] = constraints
        return spec


@dataclass(frozen=True)
class Table:
    name: str  # also the file name: sites.csv, schemas/sites.json
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[dict, ...] = field(default=())

    def schema(self) -> dict:
        schema = {
            "fields": [column.schema() for column in self.columns],
            "primaryKey": list(self.primary_key),
            "missingValues": [""],
        }
        if self.foreign_keys:
            schema["foreignKeys"] = list(self.foreign_keys)
        return schema

    def header(self) -> list[str]:
        return [column.name for column in self.columns]

    def records(self, objects: Iterable, base_url: str = "") -> list[dict]:
        """{column: JSON-ready value} per object, in order; `base_url` (scheme and host)
        makes the page paths absolute."""
        return [
            {
                c.name: (base_url + c.value(obj)) if c.is_url_path else _json_value(c.value(obj))
                for c in self.columns
            }
            for obj in objects
        ]


def _json_value(value):
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value == "":
        return None
    return value


def _sources(obj) -> str:
    """One URL per line in the database; separated by « | » in the files (as in the
    import's `source` column)."""
    return " | ".join(line.strip() for line in obj.sources.splitlines() if line.strip())


def _uid(obj):
    return str(obj.uid) if obj is not None else None


KIND_CODES = tuple(code for code, _label in Site._meta.get_field("kind").choices)
ROLE_CODES = tuple(code for code, _label in Site._meta.get_field("role").choices)
AGE_CODES = tuple(code for code, _label in Site._meta.get_field("age_group").choices)
REGION_CODES = tuple(Region.values)

SITES = Table(
    name="sites",
    title="Sites des centres maladies rares",
    description=(
        "Un site par ligne : site coordonnateur ou constitutif d'un centre de référence "
        "(CRMR), centre de compétences (CCMR) ou centre de ressources et de compétences "
        "(CRC), dans un établissement. Une case vide : aucune source ne le donne."
    ),
    columns=(
        Column(
            "id",
            "string",
            "Identifiant",
            "Identifiant stable du site : il ne change ni avec son nom ni avec son adresse web.",
            lambda s: str(s.uid),
            format="uuid",
            required=True,
            unique=True,
        ),
        Column(
            "url",
            "string",
            "Page",
            "Sa page dans l'annuaire.",
            lambda s: s.get_absolute_url(),
            format="uri",
            is_url_path=True,
        ),
        Column(
            "type",
            "string",
            "Type",
            "reference : site d'un centre de référence ; competence : centre de compétences ; "
            "crc : centre de ressources et de compétences ; inconnu : non précisé par la source.",
            lambda s: s.kind,
            required=True,
            enum=KIND_CODES,
        ),
        Column(
            "role",
            "string",
            "Rôle",
            "Pour un site de centre de référence : coordonnateur ou constitutif.",
            lambda s: s.role,
            enum=ROLE_CODES,
        ),
        Column(
            "nom",
            "string",
            "Nom affiché",
            "Le nom du site tel qu'affiché.",
            lambda s: s.display_name,
        ),
        Column(
            "centre_id",
            "string",
            "Identifiant du centre",
            "Le centre de référence (ou réseau CRC) du site : table « centres ».",
            lambda s: str(s.centre.uid),
            format="uuid",
            required=True,
        ),
        Column("centre_nom", "string", "Centre", "Nom du centre.", lambda s: s.centre.name),
        Column("centre_acronyme", "string", "Acronyme du centre", "", lambda s: s.centre.acronym),
        Column(
            "filiere",
            "string",
            "Filière",
            "Acronyme de la filière de santé maladies rares : table « filieres ».",
            lambda s: s.centre.filiere.acronym if s.centre.filiere else "",
        ),
        Column(
            "etablissement_id",
            "string",
            "Identifiant de l'établissement",
            "Table « etablissements » ; vide si la source ne donne que la ville.",
            lambda s: _uid(s.hospital),
            format="uuid",
        ),
        Column(
            "etablissement_nom",
            "string",
            "Établissement",
            "",
            lambda s: s.hospital.name if s.hospital else "",
        ),
        Column(
            "etablissement_finess",
            "string",
            "FINESS géographique",
            "",
            lambda s: s.hospital.finess if s.hospital else "",
        ),
        Column(
            "etablissement_finess_juridique",
            "string",
            "FINESS juridique",
            "",
            lambda s: s.hospital.finess_legal if s.hospital else "",
        ),
        Column("service", "string", "Service", "Tel que publié.", lambda s: s.service),
        Column(
            "responsable",
            "string",
            "Responsable",
            "Tel que publié par la source.",
            lambda s: s.head,
        ),
        Column("telephone", "string", "Téléphone", "Contact direct du site.", lambda s: s.phone),
        Column("courriel", "string", "Courriel", "", lambda s: s.email, format="email"),
        Column("site_web", "string", "Site web", "", lambda s: s.website, format="uri"),
        Column("adresse", "string", "Adresse", "Adresse propre du site.", lambda s: s.address),
        Column("code_postal", "string", "Code postal", "", lambda s: s.postcode),
        Column(
            "ville",
            "string",
            "Ville",
            "",
            lambda s: s.city or (s.hospital.city if s.hospital else ""),
        ),
        Column(
            "region",
            "string",
            "Région",
            "Code INSEE de la région.",
            lambda s: s.region_code,
            enum=REGION_CODES,
        ),
        Column(
            "latitude",
            "number",
            "Latitude",
            "WGS 84 : celle du site, sinon de son établissement, sinon de la mairie de sa ville.",
            lambda s: s.position_latitude,
        ),
        Column("longitude", "number", "Longitude", "WGS 84.", lambda s: s.position_longitude),
        Column(
            "position_approximative",
            "boolean",
            "Position approximative",
            "Vrai quand la position est celle de la mairie de la ville.",
            lambda s: s.position_is_approximate if s.position_latitude is not None else None,
        ),
        Column(
            "age",
            "string",
            "Âge des patients",
            "enfants, adultes, enfants-adultes ; vide : non précisé.",
            lambda s: s.age_group,
            enum=AGE_CODES,
        ),
        Column(
            "periode_labellisation",
            "string",
            "Période de labellisation",
            "",
            lambda s: s.label_period or s.centre.label_period,
        ),
        Column(
            "verifie_le",
            "date",
            "Vérifié le",
            "Date à laquelle l'établissement a confirmé la fiche.",
            lambda s: s.verified_on,
        ),
        Column(
            "sources",
            "string",
            "Sources",
            "Adresses des sources, séparées par « | ».",
            _sources,
        ),
        Column(
            "mis_a_jour_le",
            "datetime",
            "Mis à jour le",
            "Dernière modification de la fiche.",
            lambda s: s.updated_at,
        ),
    ),
    primary_key=("id",),
    foreign_keys=(
        {"fields": "centre_id", "reference": {"resource": "centres", "fields": "id"}},
        {"fields": "etablissement_id", "reference": {"resource": "etablissements", "fields": "id"}},
        {"fields": "filiere", "reference": {"resource": "filieres", "fields": "acronyme"}},
    ),
)

CENTRES = Table(
    name="centres",
    title="Centres de référence maladies rares",
    description=(
        "Un centre de référence (CRMR) ou un réseau de centres de ressources et de "
        "compétences (CRC) par ligne ; ses sites sont dans la table « sites »."
    ),
    columns=(
        Column(
            "id",
            "string",
            "Identifiant",
            "Identifiant stable du centre.",
            lambda c: str(c.uid),
            format="uuid",
            required=True,
            unique=True,
        ),
        Column(
            "url",
            "string",
            "Sites du centre",
            "La liste de ses sites dans l'annuaire.",
            lambda c: c.get_absolute_url(),
            format="uri",
            is_url_path=True,
        ),
        Column("nom", "string", "Nom", "Tel que publié.", lambda c: c.name, required=True),
        Column("acronyme", "string", "Acronyme", "", lambda c: c.acronym),
        Column(
            "filiere",
            "string",
            "Filière",
            "Acronyme de sa filière : table « filieres ».",
            lambda c: c.filiere.acronym if c.filiere else "",
        ),
        Column(
            "periode_labellisation",
            "string",
            "Période de labellisation",
            "",
            lambda c: c.label_period,
        ),
        Column("sources", "string", "Sources", "Séparées par « | ».", _sources),
    ),
    primary_key=("id",),
    foreign_keys=(
        {"fields": "filiere", "reference": {"resource": "filieres", "fields": "acronyme"}},
    ),
)

HOSPITALS = Table(
    name="etablissements",
    title="Établissements",
    description="Les hôpitaux qui accueillent au moins un site, avec leurs coordonnées publiées.",
    columns=(
        Column(
            "id",
            "string",
            "Identifiant",
            "Identifiant stable de l'établissement.",
            lambda h: str(h.uid),
            format="uuid",
            required=True,
            unique=True,
        ),
        Column(
            "url",
            "string",
            "Page",
            "",
            lambda h: h.get_absolute_url(),
            format="uri",
            is_url_path=True,
        ),
        Column("nom", "string", "Nom", "", lambda h: h.name, required=True),
        Column("nom_court", "string", "Nom court", "", lambda h: h.short_name),
        Column("finess", "string", "FINESS géographique", "", lambda h: h.finess),
        Column("finess_juridique", "string", "FINESS juridique", "", lambda h: h.finess_legal),
        Column("adresse", "string", "Adresse", "", lambda h: h.address),
        Column("code_postal", "string", "Code postal", "", lambda h: h.postcode),
        Column("ville", "string", "Ville", "", lambda h: h.city),
        Column(
            "departement", "string", "Département", "Code du département.", lambda h: h.department
        ),
        Column("region", "string", "Région", "Code INSEE.", lambda h: h.region, enum=REGION_CODES),
        Column(
            "standard", "string", "Standard", "Numéro du standard.", lambda h: h.switchboard_phone
        ),
        Column("site_web", "string", "Site web", "", lambda h: h.website, format="uri"),
        Column("latitude", "number", "Latitude", "WGS 84.", lambda h: h.latitude),
        Column("longitude", "number", "Longitude", "WGS 84.", lambda h: h.longitude),
        Column(
            "origine_coordonnees",
            "string",
            "Origine des coordonnées",
            "D'où viennent l'adresse et les coordonnées, et sous quelle licence.",
            lambda h: h.coordinates_note,
        ),
        Column("sources", "string", "Sources", "Séparées par « | ».", _sources),
    ),
    primary_key=("id",),
)

FILIERES = Table(
    name="filieres",
    title="Filières de santé maladies rares",
    description="Les 23 filières de santé maladies rares (FSMR).",
    columns=(
        Column(
            "acronyme",
            "string",
            "Acronyme",
            "Identifiant de la filière.",
            lambda f: f.acronym,
            required=True,
            unique=True,
        ),
        Column(
            "url",
            "string",
            "Page",
            "",
            lambda f: f.get_absolute_url(),
            format="uri",
            is_url_path=True,
        ),
        Column("nom", "string", "Nom", "", lambda f: f.name, required=True),
        Column(
            "domaine", "string", "Domaine de maladies", "Tel que publié.", lambda f: f.disease_area
        ),
        Column("site_web", "string", "Site web", "", lambda f: f.website, format="uri"),
        Column("sources", "string", "Sources", "Séparées par « | ».", _sources),
    ),
    primary_key=("acronyme",),
)

COVERAGE = Table(
    name="perimetres",
    title="Périmètres des centres et des filières (Orphanet)",
    description=(
        "Les maladies ou groupes Orphanet que couvre un centre (d'après son nom et son "
        "périmètre publiés) ou une filière (d'après son domaine publié), avec la raison. "
        "Un groupe couvre toutes les maladies au-dessous de lui dans la classification "
        "Orphanet. Noms : " + ORPHANET_ATTRIBUTION + "."
    ),
    columns=(
        Column(
            "id",
            "string",
            "Identifiant",
            "porteur-centre ou filière-code ORPHA.",
            lambda row: "-".join(
                (
                    row[0],
                    str(row[1].centre.uid) if row[0] == "centre" else row[1].filiere.acronym,
                    str(row[1].disease_id),
                )
            ),
            required=True,
            unique=True,
        ),
        Column(
            "porteur",
            "string",
            "Porteur",
            "centre ou filiere.",
            lambda row: row[0],
            required=True,
            enum=("centre", "filiere"),
        ),
        Column(
            "centre_id",
            "string",
            "Identifiant du centre",
            "Vide pour une filière.",
            lambda row: str(row[1].centre.uid) if row[0] == "centre" else "",
            format="uuid",
        ),
        Column(
            "filiere",
            "string",
            "Filière",
            "Vide pour un centre.",
            lambda row: row[1].filiere.acronym if row[0] == "filiere" else "",
        ),
        Column(
            "orpha_code",
            "integer",
            "Code ORPHA",
            "Code Orphanet de la maladie ou du groupe.",
            lambda row: row[1].disease_id,
            required=True,
        ),
        Column(
            "maladie",
            "string",
            "Maladie ou groupe",
            "Nom Orphanet.",
            lambda row: row[1].disease.name,
        ),
        Column("justification", "string", "Raison", "", lambda row: row[1].justification),
    ),
    primary_key=("id",),
    foreign_keys=(
        {"fields": "centre_id", "reference": {"resource": "centres", "fields": "id"}},
        {"fields": "filiere", "reference": {"resource": "filieres", "fields": "acronyme"}},
    ),
)

TABLES = {table.name: table for table in (SITES, CENTRES, HOSPITALS, FILIERES, COVERAGE)}


def site_objects():
    """Every published site, in the list's reading order."""
    return Site.objects.published().for_list()


def table_objects(table: Table):
    """What the data package holds for `table`: the public records, in a stable order."""
    if table is SITES:
        return site_objects()
    if table is CENTRES:
        return ReferenceCentre.objects.select_related("filiere").order_by(
            "filiere__acronym", "name", "pk"
        )
    if table is HOSPITALS:
        return Hospital.objects.order_by("name", "pk")
    if table is FILIERES:
        return Filiere.objects.order_by("acronym")
    centres = CentreCoverage.objects.select_related("centre", "disease").order_by(
        "centre__name", "disease_id"
    )
    filieres = FiliereCoverage.objects.select_related("filiere", "disease").order_by(
        "filiere__acronym", "disease_id"
    )
    return [("centre", row) for row in centres] + [("filiere", row) for row in filieres]


def _cell(column: Column, value) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    text = str(value)
    # Only text can be a formula: a negative longitude stays a number.
    if column.type == "string" and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def write_csv(table: Table, objects, out, base_url: str = "", delimiter: str = ",") -> None:
    """RFC 4180 CSV, UTF-8 (the caller adds a BOM for spreadsheets); a text cell that
    a spreadsheet would run as a formula starts with an apostrophe."""
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(table.header())
    for record in table.records(objects, base_url):
        writer.writerow(
            [
                _cell(column, value)
                for column, value in zip(table.columns, record.values(), strict=True)
            ]
        )


def csv_text(table: Table, objects, base_url: str = "", delimiter: str = ",") -> str:
    out = io.StringIO()
    write_csv(table, objects, out, base_url, delimiter)
    return out.getvalue()


def geojson(sites, base_url: str = "") -> dict:
    """A FeatureCollection: one Point per site that can be placed (WGS 84, [lon, lat]),
    the site's columns as properties. Sites that cannot be placed are left out."""
    features = []
    for site, record in zip(sites, SITES.records(sites, base_url), strict=True):
        if site.position_latitude is None:
            continue
        features.append(
            {
                "type": "Feature",
                "id": record["id"],
                "geometry": {
                    "type": "Point",
                    "coordinates": [site.position_longitude, site.position_latitude],
                },
                "properties": record,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def descriptor(base_url: str, updated: datetime.datetime | None) -> dict:
    """datapackage.json (Frictionless Data Package v1)."""
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": "Annuaire des centres maladies rares",
        "description": (
            "Les centres de référence et de compétences maladies rares labellisés en France, "
            "leurs sites, établissements et filières, avec leurs sources. " + LICENCE_EXCEPTIONS
        ),
        "homepage": base_url + "/donnees/",
        "licenses": [LICENCE, ORPHANET_LICENCE],
        "created": (updated or timezone.now()).isoformat(timespec="seconds"),
        "resources": [
            {
                "name": table.name,
                "title": table.title,
                "description": table.description,
                "path": f"{table.name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": table.schema(),
            }
            for table in TABLES.values()
        ],
    }


def data_package(base_url: str, updated: datetime.datetime | None) -> bytes:
    """A zip: datapackage.json and one CSV per table."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "datapackage.json",
            json.dumps(descriptor(base_url, updated), ensure_ascii=False, indent=2),
        )
        for table in TABLES.values():
            archive.writestr(f"{table.name}.csv", csv_text(table, table_objects(table), base_url))
    return buffer.getvalue()
