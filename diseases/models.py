from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.models import NaturalKeyModel, NaturalKeyQuerySet
from diseases.enums import DiseaseLevel, DiseaseStatus, NameLanguage

ORPHANET_ATTRIBUTION = (
    "Source : Orphanet / Orphadata, nomenclature FR 2023-06-22, licence CC BY 4.0"
)
# English pages show the names and definitions of the English pack (French names
# where it has none): fixtures/orphanet/README.md.
ORPHANET_ATTRIBUTION_EN = (
    "Source: Orphanet / Orphadata, nomenclature EN 2023-06-21 "
    "(FR 2023-06-22 where there is no English name), licence CC BY 4.0"
)


def orphanet_attribution(language: str | None) -> str:
    """The Orphanet attribution the licence asks for, for a page in `language`."""
    if NameLanguage.of(language) == NameLanguage.ENGLISH:
        return ORPHANET_ATTRIBUTION_EN
    return ORPHANET_ATTRIBUTION


class DiseaseQuerySet(NaturalKeyQuerySet):
    def active(self):
        return self.filter(status=DiseaseStatus.ACTIVE)


class Disease(NaturalKeyModel):
    """An Orphanet entity (group of diseases, disease or subtype), keyed by its ORPHA code."""

    orpha_code = models.PositiveIntegerField(_("code ORPHA"), primary_key=True)
    name = models.CharField(_("nom"), max_length=500)
    name_en = models.CharField(
        _("nom anglais"),
        max_length=500,
        blank=True,
        help_text=_("Nom préféré de la nomenclature Orphanet anglaise ; vide s'il n'y en a pas."),
    )
    definition_en = models.TextField(
        _("définition anglaise"),
        blank=True,
        help_text=_(
            "Définition de la nomenclature Orphanet anglaise (il n'y en a pas en français)."
        ),
    )
    disorder_type = models.CharField(_("type"), max_length=120, blank=True)
    level = models.CharField(_("niveau"), max_length=10, choices=DiseaseLevel.choices)
    status = models.CharField(_("statut"), max_length=12, choices=DiseaseStatus.choices)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("remplacé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
        help_text=_("Pour un code obsolète : le code Orphanet qui le remplace."),
    )
    descendant_count = models.PositiveIntegerField(
        _("nombre de descendants"),
        default=0,
        help_text=_("Codes situés sous celui-ci dans les classifications (calculé au chargement)."),
    )

    natural_key_fields = ("orpha_code",)
    objects = DiseaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("maladie")
        verbose_name_plural = _("maladies")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} (ORPHA:{self.orpha_code})"

    def get_absolute_url(self):
        return reverse("diseases:detail", kwargs={"orpha_code": self.orpha_code})

    @property
    def is_active(self) -> bool:
        return self.status == DiseaseStatus.ACTIVE

    def _shows_english(self, language: str | None) -> bool:
        return NameLanguage.of(language) == NameLanguage.ENGLISH and bool(self.name_en)

    def name_in(self, language: str | None) -> str:
        """The English name on an English page ("en", "en-gb"…) when Orphanet gives
        one, else the French name."""
        return self.name_en if self._shows_english(language) else self.name

    def definition_in(self, language: str | None) -> str:
        """The English definition on an English page; "" otherwise (the French pack
        has no definitions) or when Orphanet gives none."""
        if NameLanguage.of(language) == NameLanguage.ENGLISH:
            return self.definition_en
        return ""

    def synonyms_in(self, language: str | None) -> list["DiseaseName"]:
        """The synonyms in the language of `name_in(language)`: English synonyms with
        the English name, French ones with the French name. Reads `self.names.all()`,
        so a `prefetch_related("names")` serves it without a query."""
        wanted = NameLanguage.ENGLISH if self._shows_english(language) else NameLanguage.FRENCH
        return [n for n in self.names.all() if n.language == wanted and not n.is_preferred]


class DiseaseName(models.Model):
    """The names a disease is searched by: its preferred name and each synonym, in
    French and in English (`language`; one preferred name per language).

    `search_name` is the normalised form (common.text.normalize): lower case, no accents,
    punctuation as spaces. On PostgreSQL a trigram index on it serves fuzzy search.
    """

    disease = models.ForeignKey(
        Disease, on_delete=models.CASCADE, related_name="names", verbose_name=_("maladie")
    )
    name = models.CharField(_("nom"), max_length=500)
    search_name = models.CharField(_("forme de recherche"), max_length=500, db_index=True)
    is_preferred = models.BooleanField(_("nom préféré"), default=False)
    language = models.CharField(
        _("langue"), max_length=2, choices=NameLanguage.choices, default=NameLanguage.FRENCH
    )

    class Meta:
        verbose_name = _("nom de maladie")
        verbose_name_plural = _("noms de maladies")
        ordering = ["-is_preferred", "name"]
        constraints = [
            # The same name may be French and English ("CMT", "Syndrome 47,XYY").
            models.UniqueConstraint(
                fields=["disease", "language", "name"],
                name="diseases_diseasename_unique_per_language",
            ),
        ]
        indexes = [
            # Used by diseases.search on SQLite: the substring search scans one
            # language's names (grouped by disease) rather than the whole table.
            models.Index(fields=["language", "disease"], name="diseases_name_language_idx"),
        ]

    def __str__(self):
        return self.name


class Classification(models.Model):
    """One of the Orphanet classifications (rare skin diseases, rare neurological...)."""

    orphanet_id = models.PositiveIntegerField(_("identifiant Orphanet"), unique=True)
    name = models.CharField(_("nom"), max_length=120)

    class Meta:
        verbose_name = _("classification Orphanet")
        verbose_name_plural = _("classifications Orphanet")
        ordering = ["name"]

    def __str__(self):
        return self.name.replace("_", " ")


class ClassificationEdge(models.Model):
    """parent -> child in one classification (the graph is a DAG, a child may have
    several parents, in several classifications)."""

    classification = models.ForeignKey(
        Classification, on_delete=models.CASCADE, related_name="edges"
    )
    parent = models.ForeignKey(Disease, on_delete=models.CASCADE, related_name="child_edges")
    child = models.ForeignKey(Disease, on_delete=models.CASCADE, related_name="parent_edges")

    class Meta:
        verbose_name = _("lien de classification")
        verbose_name_plural = _("liens de classification")
        constraints = [
            models.UniqueConstraint(
                fields=["classification", "parent", "child"],
                name="diseases_classificationedge_unique",
            ),
        ]
        indexes = [models.Index(fields=["child"], name="diseases_edge_child_idx")]

    def __str__(self):
        return f"{self.parent_id} → {self.child_id}"


class FiliereCoverage(NaturalKeyModel):
    """A filière covers an Orphanet group (and so everything below it) or a disease.

    Curated from the filière's published disease area; `justification` says why."""

    filiere = models.ForeignKey(
        "filieres.Filiere",
        on_delete=models.CASCADE,
        related_name="coverage",
        verbose_name=_("filière"),
    )
    disease = models.ForeignKey(
        Disease,
        on_delete=models.PROTECT,
        related_name="filiere_coverage",
        verbose_name=_("groupe ou maladie Orphanet"),
    )
    justification = models.CharField(_("justification"), max_length=500)

    natural_key_fields = ("filiere__slug", "disease_id")
    natural_key_dependencies = ("filieres.filiere", "diseases.disease")
    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("périmètre de filière")
        verbose_name_plural = _("périmètres de filières")
        ordering = ["filiere__acronym", "disease__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["filiere", "disease"], name="diseases_filierecoverage_unique"
            ),
        ]

    def __str__(self):
        return f"{self.filiere} ↔ {self.disease}"
