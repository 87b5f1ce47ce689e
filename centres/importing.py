"""Import of the official labelling list (CSV), shared by `manage.py import_labels`
and the admin's upload → preview → confirm pages. The columns and rules are in the
README ("Importer la liste officielle").

- The limits are the same everywhere: `MAX_FILE_BYTES`, `MAX_ROWS`, `MAX_CELL_CHARS`
  (and each column's own field length). A file beyond them is refused with a message.
- Every row is checked first, against the state the whole file produces (a file may
  move the coordinating role from one hospital to another); if any row fails,
  nothing is written. Checking costs a fixed number of queries, whatever the number
  of rows: filières, hospitals, centres and their sites are loaded once.
- An empty cell never clears a stored value, and sites absent from the file are left
  alone, unless the file is declared the complete list of some filières
  (`complete_filieres`): their published sites absent from the file are then
  unpublished (never deleted; the history records it) and their listed sites
  published again.
- Writing happens in one transaction, under a lock that serialises imports, after
  checking the file again against the database as it is then: if the result differs
  from what was previewed (another import, an edit in the admin), nothing is
  written (`ImportConflict`). Sites are updated field by field on their locked,
  freshly read rows, so an edit made since the preview is never overwritten.
"""

import csv
import hashlib
import io
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, OperationalError, connections, router, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from centres.enums import AgeGroup, SiteKind, SiteRole
from centres.models import (
    SITE_SEARCH_FIELDS,
    OldSiteSlug,
    ReferenceCentre,
    Site,
    place_new_sites,
    search_text_of,
)
from common.france import is_postcode
from common.text import normalize
from common.versions import PUBLIC_DATA, bump
from filieres.models import Filiere
from hospitals.models import Hospital

# The limits of a file, for the command and the admin alike. The national list is a
# few thousand rows of a few hundred bytes; the admin carries the previewed file in
# its confirmation form, which must stay under Django's DATA_UPLOAD_MAX_MEMORY_SIZE
# (2.5 MiB): 1.5 MiB of text is at most 2.0 MiB once compressed, signed and in
# base64, whatever its content (tests/staff/test_import_limits.py checks it).
MAX_FILE_BYTES = 1536 * 1024
MAX_ROWS = 5000
# Any cell of a column without a field length of its own (sources, city...).
MAX_CELL_CHARS = 2000
# The csv module's own cap on a value (its default), set while a file is read: the
# cap is process-wide, and frictionless (the open data's validation) raises it when
# imported. Past it, a value is refused (an unclosed quote, usually).
CSV_FIELD_LIMIT = 131_072

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
# Keys are normalised (common.text.normalize): « Compétence », « COORDONNATEUR ».
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
    "adultes et enfants": AgeGroup.BOTH,
    "enfants adultes": AgeGroup.BOTH,  # « enfants-adultes », « enfants/adultes »
    "tous ages": AgeGroup.BOTH,
    "tout age": AgeGroup.BOTH,
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
# Sites written per query.
BATCH_SIZE = 500
# Any fixed 64-bit number: the key of PostgreSQL's advisory lock for imports.
IMPORT_LOCK_KEY = 0x6C6162656C73  # "labels"


def thousands(n: int) -> str:
    """5000 -> "5 000" (French grouping, no-break space)."""
    return f"{n:,}".replace(",", "\u00a0")


class ImportFileError(Exception):
    """The file itself cannot be read (encoding, size, header, CSV syntax)."""


class ImportBusy(Exception):
    """Another import holds the lock."""

    def __str__(self):
        return (
            "Un autre import de la liste officielle est en cours : réessayez quand il "
            "sera terminé. Rien n'a été enregistré."
        )


class ImportConflict(Exception):
    """Checked again at write time, the file no longer gives what was previewed."""

    def __init__(self, plan):
        super().__init__()
        self.plan = plan

    def __str__(self):
        return (
            "Les données ont changé depuis la vérification du fichier (un autre import, "
            "ou une fiche modifiée entre-temps) : rien n'a été enregistré. Vérifiez le "
            "nouvel aperçu, puis confirmez à nouveau."
        )


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


@dataclass(frozen=True)
class Preview:
    """What a person saw before confirming: the file, its options and the digest of
    the plan it gave. `apply_import` writes only if the file still gives that plan."""

    text: str
    complete_filieres: tuple[str, ...]
    digest: str


@dataclass
class ImportPlan:
    rows: list[RowPlan]
    text: str = ""
    complete_filieres: list[Filiere] = field(default_factory=list)
    # Sites of a complete filière that the file does not list: to unpublish.
    unpublish: list[Site] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[RowPlan]:
        return [row for row in self.rows if row.errors]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.errors and not self.file_errors

    def count(self, action) -> int:
        return sum(row.action == action for row in self.rows)

    @property
    def digest(self) -> str:
        """A fingerprint of everything the plan would do."""
        content = {
            "rows": [
                [
                    row.line,
                    row.action,
                    row.centre.pk if row.centre else None,
                    row.site.pk if row.site else None,
                    sorted([name, str(old), str(new)] for name, (old, new) in row.changes.items()),
                    row.errors,
                ]
                for row in self.rows
            ],
            "unpublish": sorted(site.pk for site in self.unpublish),
            "complete": sorted(filiere.pk for filiere in self.complete_filieres),
            "errors": self.file_errors,
        }
        encoded = json.dumps(content, ensure_ascii=False, sort_keys=True).encode()
        return hashlib.sha256(self.text.encode() + b"\0" + encoded).hexdigest()

    @property
    def preview(self) -> Preview:
        return Preview(
            self.text, tuple(filiere.slug for filiere in self.complete_filieres), self.digest
        )


def megabytes(size: int) -> str:
    """1572864 -> "1,5 Mo"."""
    return f"{size / 1024 / 1024:.1f} Mo".replace(".", ",")


def check_file_size(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise ImportFileError(
            f"Le fichier fait {megabytes(size)} : {megabytes(MAX_FILE_BYTES)} au plus. "
            "Découpez-le, par exemple par filière. Rien n'a été enregistré."
        )


def _column(name: str) -> str:
    """ "Établissement", "Code postal", "âge" -> "etablissement", "code_postal", "age"."""
    return normalize(name).replace(" ", "_")


def _csv_error(line: int, exc: csv.Error) -> ImportFileError:
    if "field larger than field limit" in str(exc):
        return ImportFileError(
            f"Ligne {line} : une valeur dépasse {thousands(CSV_FIELD_LIMIT)} "
            f'caractères (un guillemet « " » non refermé ?) ; {thousands(MAX_CELL_CHARS)} '
            "caractères au plus par case. Rien n'a été enregistré."
        )
    return ImportFileError(f"Ligne {line} : le fichier n'est pas un CSV valide ({exc}).")


def read_rows(text: str, *, max_rows: int = MAX_ROWS) -> list[tuple[int, dict]]:
    """[(line, {column: value})] of a CSV text, comma or semicolon separated, with the
    usual quoting (a quoted value may hold the separator, `""` is one quote)."""
    previous = csv.field_size_limit(CSV_FIELD_LIMIT)
    try:
        return _read_rows(text, max_rows)
    finally:
        csv.field_size_limit(previous)


def _read_rows(text: str, max_rows: int) -> list[tuple[int, dict]]:
    text = text.removeprefix("\ufeff")
    nul = text.find("\x00")
    if nul != -1:
        raise ImportFileError(
            f"Ligne {text.count(chr(10), 0, nul) + 1} : caractère nul (octet 0). Ce n'est "
            "pas un fichier texte CSV en UTF-8 : enregistrez-le depuis le tableur au "
            "format « CSV UTF-8 »."
        )
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header_row = next(reader, [])
    except csv.Error as exc:
        raise _csv_error(1, exc) from None
    while header_row and not header_row[-1].strip():
        header_row.pop()  # a spreadsheet's empty trailing columns
    header = [_column(name) for name in header_row]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ImportFileError("Colonne(s) obligatoire(s) absente(s) : " + ", ".join(missing) + ".")
    unknown = [name or "(sans nom)" for name in header if name not in REQUIRED + OPTIONAL]
    if unknown:
        raise ImportFileError("Colonne(s) inconnue(s) : " + ", ".join(unknown) + ".")
    doubled = sorted({name for name in header if header.count(name) > 1})
    if doubled:
        raise ImportFileError("Colonne(s) en double : " + ", ".join(doubled) + ".")
    rows = []
    line = 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise _csv_error(line + 1, exc) from None
        line += 1
        if not any(value.strip() for value in values):
            continue  # an empty line
        if any(value.strip() for value in values[len(header) :]):
            raise ImportFileError(f"Ligne {line} : plus de valeurs que de colonnes.")
        if len(rows) == max_rows:
            raise ImportFileError(
                f"Le fichier compte plus de {thousands(max_rows)} lignes de sites : "
                f"{thousands(max_rows)} au plus. Découpez-le, par exemple par filière."
            )
        values = values[: len(header)] + [""] * (len(header) - len(values))
        data = {name: value.strip() for name, value in zip(header, values, strict=True)}
        rows.append((line, data))
    return rows


def plan_import(
    text: str, complete_filieres=(), *, for_update: bool = False, max_rows: int = MAX_ROWS
) -> ImportPlan:
    """Check every row and work out what it would change. Writes nothing.

    `complete_filieres`: acronyms or slugs of the filières this file is the complete
    list of. `for_update` locks the sites read (apply_import, in its transaction).
    Four queries whatever the number of rows."""
    rows = [RowPlan(line=line, data=data) for line, data in read_rows(text, max_rows=max_rows)]
    filieres = {}
    for filiere in Filiere.objects.all():
        filieres[filiere.slug] = filiere
        filieres[normalize(filiere.acronym)] = filiere
    complete = []
    for key in complete_filieres:
        filiere = filieres.get(key) or filieres.get(normalize(key))
        if filiere is None:
            raise ImportFileError(f"Filière inconnue pour la liste complète : « {key} ».")
        if filiere not in complete:
            complete.append(filiere)
    hospitals, hospitals_by_pk = {}, {}
    for hospital in Hospital.objects.all():
        hospitals_by_pk[hospital.pk] = hospital
        for key in (hospital.slug, normalize(hospital.name), normalize(hospital.short_name)):
            if key:
                hospitals.setdefault(key, hospital)
    for row in rows:
        _validate_row(row, filieres, hospitals)

    filiere_ids = {row.filiere.pk for row in rows if row.filiere} | {f.pk for f in complete}
    centres = list(ReferenceCentre.objects.filter(filiere__in=filiere_ids))
    sites = Site.objects.filter(centre__in=[centre.pk for centre in centres])
    if for_update:
        sites = sites.select_for_update(of=("self",))
    directory = _Directory(centres, list(sites), hospitals_by_pk)

    seen = {}
    for row in rows:
        if row.errors:
            continue
        _match(row, directory, complete)
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
    plan = ImportPlan(rows, text=text, complete_filieres=complete)
    _check_coordinating_sites(plan, directory)
    _plan_complete_lists(plan, directory)
    return plan


class _Directory:
    """The stored centres and sites of the file's filières, indexed for matching."""

    def __init__(self, centres, sites, hospitals):
        self.hospitals = hospitals  # pk -> Hospital
        self.centres = {centre.pk: centre for centre in centres}
        self.by_acronym, self.by_name = {}, {}
        for centre in centres:  # in name order: the first match wins, as before
            if centre.acronym:
                self.by_acronym.setdefault((centre.filiere_id, normalize(centre.acronym)), centre)
            self.by_name.setdefault((centre.filiere_id, normalize(centre.name)), centre)
        self.sites = sites  # in slug order: the first match wins, as before
        self.by_key = {}
        for site in sites:
            self.by_key.setdefault((site.centre_id, site.hospital_id, site.kind), site)

    def describe(self, site) -> str:
        """str(site), from what is loaded already."""
        site.centre = self.centres[site.centre_id]
        site.hospital = self.hospitals.get(site.hospital_id)
        return str(site)


def _validate_row(row, filieres, hospitals):
    data = row.data
    for name in REQUIRED:
        if not data.get(name):
            row.errors.append(f"« {name} » est vide")
    for column, model, field_name in LENGTH_CHECKS:
        value = data.get(column, "")
        limit = model._meta.get_field(field_name).max_length
        if len(value) > limit:
            row.errors.append(f"« {column} » trop long ({len(value)} caractères, {limit} au plus)")
    limited = {column for column, _model, _field in LENGTH_CHECKS}
    for column, value in data.items():
        if column not in limited and len(value) > MAX_CELL_CHARS:
            row.errors.append(
                f"« {column} » trop long ({thousands(len(value))} caractères, "
                f"{thousands(MAX_CELL_CHARS)} au plus)"
            )
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
    role = normalize(data["role"])
    if role not in ROLES:
        row.errors.append(f"rôle inconnu : « {data['role']} » (attendu : {', '.join(ROLES)})")
    age = normalize(data.get("age", ""))
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


def _match(row, directory, complete):
    acronym = normalize(row.data.get("centre_acronyme", ""))
    name = normalize(row.data["centre"])
    filiere_id = row.filiere.pk
    # By acronym when the row gives one, else (or when no centre has it) by name.
    match = directory.by_acronym.get((filiere_id, acronym)) if acronym else None
    if match is None:
        match = directory.by_name.get((filiere_id, name))
    row.centre = match
    row.centre_is_new = match is None
    site = None
    if match is not None:
        site = directory.by_key.get((match.pk, row.hospital.pk, row.values["kind"]))
    row.site = site
    if site is None:
        row.action = "création"
        return
    for name in SYNCED_FIELDS:
        old, new = getattr(site, name), row.values[name]
        if name == "sources":
            new = "\n".join(dict.fromkeys(site.source_urls + new.splitlines()))
        # An empty cell leaves the stored value.
        if new and old != new:
            row.changes[name] = (old, new)
    if not site.is_published and row.filiere in complete:
        row.changes["is_published"] = (False, True)
    row.action = "modification" if row.changes else "inchangé"


def _check_coordinating_sites(plan, directory):
    """At most one coordinating site per centre in the state the file produces: the
    rows that make a site coordinating, and the stored coordinating sites that the
    file leaves so (those it does not list)."""
    rows = [row for row in plan.rows if not row.errors]
    listed = {row.site.pk for row in rows if row.site}
    coordinating_rows = defaultdict(list)
    for row in rows:
        if row.values["role"] == SiteRole.COORDINATING:
            centre_key = row.centre.pk if row.centre else row.values["centre_key"]
            coordinating_rows[centre_key].append(row)
    staying = defaultdict(list)  # centre pk -> its coordinating sites absent from the file
    for site in directory.sites:
        if site.role == SiteRole.COORDINATING and site.pk not in listed:
            staying[site.centre_id].append(site)
    for centre_key, (first, *others) in coordinating_rows.items():
        for row in others:
            row.errors.append(f"deux sites coordonnateurs pour ce centre (ligne {first.line})")
        for site in staying.get(centre_key, []):
            first.errors.append(
                f"le centre a déjà un site coordonnateur : {directory.describe(site)}, "
                "absent du fichier ; pour transférer le rôle, ajoutez aussi sa ligne avec "
                "le rôle « constitutif »"
            )


def _plan_complete_lists(plan, directory):
    listed = {row.filiere.pk for row in plan.rows if row.filiere}
    for filiere in plan.complete_filieres:
        if filiere.pk not in listed:
            plan.file_errors.append(
                f"La filière {filiere.acronym} est déclarée complète mais aucune ligne du "
                "fichier ne la concerne : tous ses sites seraient dépubliés."
            )
    complete = {filiere.pk for filiere in plan.complete_filieres}
    if not complete or plan.file_errors:
        return
    matched = {row.site.pk for row in plan.rows if row.site}
    for site in directory.sites:
        centre = directory.centres[site.centre_id]
        if centre.filiere_id in complete and site.is_published and site.pk not in matched:
            directory.describe(site)  # loads its centre and hospital for the preview
            plan.unpublish.append(site)
    plan.unpublish.sort(key=lambda site: site.slug)


def _lock_imports(using: str) -> None:
    """Serialise imports until the end of the current transaction.

    PostgreSQL: a transaction-level advisory lock; a second import is refused at once
    rather than left waiting. SQLite has one writer at a time: a first write (here an
    UPDATE that matches no row) makes this transaction the writer until it ends, so
    another import, or any other write, waits for it up to the busy timeout (20 s) and
    is then refused (with `IMMEDIATE` transactions, BEGIN already takes the lock)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])
            (locked,) = cursor.fetchone()
        if not locked:
            raise ImportBusy
        return
    try:
        Site.objects.using(using).filter(pk=-1).update(version=F("version"))
    except OperationalError as exc:  # "database is locked"
        raise ImportBusy from exc


def apply_import(preview: Preview | ImportPlan) -> ImportPlan:
    """Write what was previewed, in one transaction (all rows or none), under the
    import lock. The file is checked again against the database as it is now; if
    the plan differs from the previewed one (`preview.digest`), raises
    ImportConflict with the new plan, and nothing is written. Raises ImportBusy when
    another import is running."""
    if isinstance(preview, ImportPlan):
        if not preview.is_valid:
            raise ValueError("Cannot apply an import with errors.")
        preview = preview.preview
    using = router.db_for_write(Site)
    try:
        with transaction.atomic(using=using):
            _lock_imports(using)
            plan = plan_import(preview.text, preview.complete_filieres, for_update=True)
            if not plan.is_valid or plan.digest != preview.digest:
                raise ImportConflict(plan)
            _write(plan)
            bump(PUBLIC_DATA)  # bulk writes send no signal: the cached pages are stale
    except IntegrityError:
        # A write raced past the checks (e.g. a coordinating site set in the admin
        # meanwhile): rolled back; the new plan says what the file gives now.
        raise ImportConflict(plan_import(preview.text, preview.complete_filieres)) from None
    return plan


def _write(plan):
    """Write a plan checked under the lock (its sites locked and freshly read), in
    bulk: a few queries per 500 sites, so the largest file allowed is written well
    within a web request. The history gets one record per site changed, with the
    user of the request (django-simple-history's middleware) and the reason."""
    taken = {"site": set(), "centre": set()}
    if any(row.site is None for row in plan.rows):
        taken["site"] = set(Site.objects.values_list("slug", flat=True))
        taken["site"] |= set(OldSiteSlug.objects.values_list("slug", flat=True))
        taken["centre"] = set(ReferenceCentre.objects.values_list("slug", flat=True))
    now = timezone.now()
    centres, new_sites = {}, []
    # (gives up the coordinating role, fields) -> sites; see below for the order.
    updates = defaultdict(list)
    for row in plan.rows:
        centre = row.centre or centres.get(row.values["centre_key"])
        if centre is None:
            centre = ReferenceCentre(
                name=row.data["centre"],
                acronym=row.data.get("centre_acronyme", ""),
                slug=_unique_slug(
                    taken["centre"], row.data.get("centre_acronyme") or row.data["centre"]
                ),
                filiere=row.filiere,
                sources=row.values["sources"],
            )
            centre._change_reason = CHANGE_REASON
            centre.save()
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
                    taken["site"],
                    f"{centre.acronym or centre.name[:60]} "
                    f"{row.hospital.short_name or row.hospital.name} {row.values['kind']}",
                ),
            )
            for name in SYNCED_FIELDS:
                setattr(site, name, row.values[name])
            site._change_reason = CHANGE_REASON
            new_sites.append(site)
            continue
        # Only the planned fields are written, on the row read under the lock:
        # anything else edited meanwhile stays. The version rule: +1.
        for name, (_old, new) in row.changes.items():
            setattr(site, name, new)
        fields = set(row.changes)
        if not fields.isdisjoint(SITE_SEARCH_FIELDS):  # bulk_update skips Site.save
            site.search_text = search_text_of(site)
            fields.add("search_text")
        site.version += 1
        site.updated_at = now
        site._change_reason = CHANGE_REASON
        releases = row.changes.get("role", ("",))[0] == SiteRole.COORDINATING
        updates[(not releases, tuple(sorted(fields)))].append(site)
    for site in plan.unpublish:
        site.is_published = False
        site.version += 1
        site.updated_at = now
        site._change_reason = (
            f"{CHANGE_REASON} : absent de la liste complète de la filière "
            f"{site.centre.filiere.acronym if site.centre.filiere_id else ''}"
        )
        updates[(True, ("is_published",))].append(site)
    # The sites that give up the coordinating role first (key False sorts first): the
    # database allows one coordinating site per centre after every row written.
    for (_later, fields), sites in sorted(updates.items()):
        Site.objects.bulk_update(sites, fields, batch_size=BATCH_SIZE)
        # The same for every site: one plain UPDATE rather than two more CASEs.
        for start in range(0, len(sites), BATCH_SIZE):
            batch = [site.pk for site in sites[start : start + BATCH_SIZE]]
            Site.objects.filter(pk__in=batch).update(version=F("version") + 1, updated_at=now)
        Site.history.bulk_history_create(sites, update=True, batch_size=BATCH_SIZE)
    if new_sites:
        place_new_sites(new_sites)  # bulk_create skips Site.save, which places a site
        bulk_create_with_history(new_sites, Site, batch_size=BATCH_SIZE)


def _unique_slug(taken: set, text: str) -> str:
    base = slugify(text)[:120].strip("-") or "centre"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug
