"""Import of the official labelling list (CSV), shared by `manage.py import_labels`
and the admin's upload → preview → confirm pages.

Every row is validated first; if any row fails, nothing is written. Otherwise the
rows create or update sites (and their centres) in one transaction. Re-importing the
same file changes nothing. The columns are documented in the README ("Importer la
liste officielle").
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils.text import slugify

from centres.enums import AgeGroup, SiteKind, SiteRole
from centres.models import ReferenceCentre, Site
from common.france import is_postcode
from common.text import normalize
from filieres.models import Filiere
from hospitals.models import Hospital

REQUIRED = ["filiere", "centre", "role", "etablissement", "ville", "source"]
OPTIONAL = [
    "centre_acronyme",
    "service",
    "responsable",
    "telephone",
    "email",
    "code_postal",
    "age",
    "periode",
]
ROLES = {
    "coordonnateur": (SiteKind.REFERENCE, SiteRole.COORDINATING),
    "constitutif": (SiteKind.REFERENCE, SiteRole.CONSTITUTIVE),
    "competence": (SiteKind.COMPETENCE, ""),
    "crc": (SiteKind.CRC, ""),
}
AGES = {
    "": "",
    "enfants": AgeGroup.CHILDREN,
    "adultes": AgeGroup.ADULTS,
    "enfants et adultes": AgeGroup.BOTH,
}
# French numbers: 10 digits starting with 0, or +33 / 0033 then 9 digits; spaces,
# dots and hyphens allowed between digits.
PHONE = re.compile(r"^(?:0|\+33 ?|0033 ?)[1-9](?:[ .-]?\d{2}){4}$")
IMPORTED_FIELDS = [
    "service",
    "head",
    "phone",
    "email",
    "postcode",
    "age_group",
    "label_period",
    "sources",
]
SYNCED_FIELDS = [*IMPORTED_FIELDS, "role"]
# CSV column -> the model field whose length limit applies.
LENGTH_CHECKS = [
    ("centre", ReferenceCentre, "name"),
    ("centre_acronyme", ReferenceCentre, "acronym"),
    ("service", Site, "service"),
    ("responsable", Site, "head"),
    ("telephone", Site, "phone"),
    ("email", Site, "email"),
    ("periode", Site, "label_period"),
]
CHANGE_REASON = "import de la liste officielle"


class ImportFileError(Exception):
    """The file itself cannot be read (encoding, header)."""


@dataclass
class RowPlan:
    line: int
    data: dict
    errors: list[str] = field(default_factory=list)
    action: str = ""  # "création", "modification", "inchangé"
    changes: dict = field(default_factory=dict)  # field -> (old, new)
    filiere: Filiere | None = None
    hospital: Hospital | None = None
    centre: ReferenceCentre | None = None
    centre_is_new: bool = False
    site: Site | None = None
    values: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.data.get('centre', '')} — {self.data.get('etablissement', '')}"


@dataclass
class ImportPlan:
    rows: list[RowPlan]

    @property
    def errors(self) -> list[RowPlan]:
        return [row for row in self.rows if row.errors]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.errors

    def count(self, action) -> int:
        return sum(row.action == action for row in self.rows)


def read_rows(text: str) -> list[dict]:
    text = text.lstrip("\ufeff")
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ImportFileError("Colonne(s) obligatoire(s) absente(s) : " + ", ".join(missing) + ".")
    unknown = [name for name in header if name not in REQUIRED + OPTIONAL]
    if unknown:
        raise ImportFileError("Colonne(s) inconnue(s) : " + ", ".join(unknown) + ".")
    reader.fieldnames = header
    rows = []
    for row in reader:
        if None in row:
            raise ImportFileError(f"Ligne {reader.line_num} : plus de valeurs que de colonnes.")
        rows.append({key: (value or "").strip() for key, value in row.items()})
    return rows


def plan_import(text: str) -> ImportPlan:
    """Validate every row and work out what it would change. Writes nothing."""
    rows = [RowPlan(line=i, data=data) for i, data in enumerate(read_rows(text), start=2)]
    filieres = {}
    for filiere in Filiere.objects.all():
        filieres[filiere.slug] = filiere
        filieres[normalize(filiere.acronym)] = filiere
    hospitals = {}
    for hospital in Hospital.objects.all():
        for key in (hospital.slug, normalize(hospital.name), normalize(hospital.short_name)):
            if key:
                hospitals.setdefault(key, hospital)
    seen = {}
    coordinators = {}
    for row in rows:
        _validate_row(row, filieres, hospitals)
        if row.errors:
            continue
        _match(row)
        key = (
            row.centre.pk if row.centre else row.values["centre_key"],
            row.hospital.pk,
            row.values["kind"],
        )
        if key in seen:
            row.errors.append(
                f"doublon de la ligne {seen[key]} (même centre, établissement et rôle)"
            )
            continue
        seen[key] = row.line
        if row.values["role"] == SiteRole.COORDINATING:
            centre_key = key[0]
            if centre_key in coordinators:
                row.errors.append(
                    f"deux sites coordonnateurs pour ce centre (ligne {coordinators[centre_key]})"
                )
                continue
            coordinators[centre_key] = row.line
            if row.centre:
                other = row.centre.sites.filter(role=SiteRole.COORDINATING).exclude(
                    hospital=row.hospital
                )
                if other.exists():
                    row.errors.append(f"le centre a déjà un site coordonnateur : {other.first()}")
    return ImportPlan(rows)


def _validate_row(row, filieres, hospitals):
    data = row.data
    for name in REQUIRED:
        if not data.get(name):
            row.errors.append(f"« {name} » est vide")
    if row.errors:
        return
    row.filiere = filieres.get(data["filiere"]) or filieres.get(normalize(data["filiere"]))
    if row.filiere is None:
        row.errors.append(f"filière inconnue : « {data['filiere']} »")
    row.hospital = hospitals.get(data["etablissement"]) or hospitals.get(
        normalize(data["etablissement"])
    )
    if row.hospital is None:
        row.errors.append(
            f"établissement inconnu : « {data['etablissement']} » (créez-le d'abord dans "
            "l'administration, ou utilisez son identifiant d'URL)"
        )
    elif row.hospital.city and normalize(row.hospital.city) != normalize(data["ville"]):
        row.errors.append(
            f"la ville « {data['ville']} » n'est pas celle de l'établissement ({row.hospital.city})"
        )
    role = data["role"].lower()
    if role not in ROLES:
        row.errors.append(f"rôle inconnu : « {data['role']} » (attendu : {', '.join(ROLES)})")
    age = data.get("age", "").lower()
    if age not in AGES:
        row.errors.append(
            f"âge inconnu : « {data['age']} » (attendu : enfants, adultes, enfants et adultes)"
        )
    phone = data.get("telephone", "")
    if phone and not PHONE.match(phone):
        row.errors.append(f"téléphone invalide : « {phone} »")
    email = data.get("email", "")
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            row.errors.append(f"courriel invalide : « {email} »")
    postcode = data.get("code_postal", "")
    if postcode and not is_postcode(postcode):
        row.errors.append(f"code postal invalide : « {postcode} »")
    urls = [url.strip() for url in data["source"].split("|") if url.strip()]
    for url in urls:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            row.errors.append(f"source invalide (une adresse web est attendue) : « {url} »")
    for column, model, field_name in LENGTH_CHECKS:
        value = data.get(column, "")
        limit = model._meta.get_field(field_name).max_length
        if len(value) > limit:
            row.errors.append(f"« {column} » trop long ({len(value)} caractères, {limit} au plus)")
    if row.errors:
        return
    kind, site_role = ROLES[role]
    row.values = {
        "kind": kind,
        "role": site_role,
        "centre_key": (row.filiere.pk, normalize(data.get("centre_acronyme") or data["centre"])),
        "service": data.get("service", ""),
        "head": data.get("responsable", ""),
        "phone": phone,
        "email": email,
        "postcode": postcode,
        "age_group": AGES[age],
        "label_period": data.get("periode", ""),
        "sources": "\n".join(urls),
    }


def _match(row):
    acronym = normalize(row.data.get("centre_acronyme", ""))
    name = normalize(row.data["centre"])
    centres = list(ReferenceCentre.objects.filter(filiere=row.filiere))
    # By acronym when the row gives one, else (or when no centre has it) by name.
    match = next((c for c in centres if acronym and normalize(c.acronym) == acronym), None)
    if match is None:
        match = next((c for c in centres if normalize(c.name) == name), None)
    row.centre = match
    row.centre_is_new = match is None
    site = None
    if match is not None:
        site = Site.objects.filter(
            centre=match, hospital=row.hospital, kind=row.values["kind"]
        ).first()
    row.site = site
    if site is None:
        row.action = "création"
        return
    for name in SYNCED_FIELDS:
        old, new = getattr(site, name), row.values[name]
        if name == "sources":
            new = "\n".join(dict.fromkeys(site.source_urls + new.splitlines()))
        if new and old != new:
            row.changes[name] = (old, new)
    row.action = "modification" if row.changes else "inchangé"


def apply_import(plan: ImportPlan) -> ImportPlan:
    """Write a valid plan in one transaction (all rows or none)."""
    if not plan.is_valid:
        raise ValueError("Cannot apply an import with errors.")
    with transaction.atomic():
        centres = {}
        for row in plan.rows:
            centre = row.centre or centres.get(row.values["centre_key"])
            if centre is None:
                centre = ReferenceCentre.objects.create(
                    name=row.data["centre"],
                    acronym=row.data.get("centre_acronyme", ""),
                    slug=_unique_slug(
                        ReferenceCentre, row.data.get("centre_acronyme") or row.data["centre"]
                    ),
                    filiere=row.filiere,
                    sources=row.values["sources"],
                )
                centres[row.values["centre_key"]] = centre
            if row.action == "inchangé":
                continue
            site = row.site
            if site is None:
                site = Site(
                    centre=centre,
                    hospital=row.hospital,
                    kind=row.values["kind"],
                    slug=_unique_slug(
                        Site,
                        f"{centre.acronym or centre.name[:60]} "
                        f"{row.hospital.short_name or row.hospital.name} {row.values['kind']}",
                    ),
                )
                for name in SYNCED_FIELDS:
                    setattr(site, name, row.values[name])
            else:
                for name, (_old, new) in row.changes.items():
                    setattr(site, name, new)
            site._change_reason = CHANGE_REASON
            site.save()
    return plan


def _unique_slug(model, text):
    base = slugify(text)[:120].strip("-") or "centre"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
