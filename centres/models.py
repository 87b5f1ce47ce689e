import datetime

from django.conf import settings
from django.db import models, transaction
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from centres.enums import AgeGroup, CountScope, ReportReason, ReportStatus, SiteKind, SiteRole
from common.db import Normalized
from common.france import Region, postcode_constraint
from common.models import (
    NaturalKeyModel,
    NaturalKeyQuerySet,
    SourcedModel,
    coordinates_constraint,
    phone_uri,
)
from common.text import search_terms

# Label periods that end before this year predate the 2017 labelling wave: the
# public pages present them as history, not as a current label.
FIRST_CURRENT_LABEL_YEAR = 2017


class ReferenceCentre(NaturalKeyModel, SourcedModel):
    """A labelled centre: a CRMR for a disease group (or, in some filières, a CRC network).

    It has no address of its own: it is made of sites (`Site`), one of which may be the
    coordinating site; competence centres are sites attached to it as well.
    """

    name = models.CharField(_("nom"), max_length=300)
    acronym = models.CharField(_("acronyme"), max_length=40, blank=True)
    slug = models.SlugField(_("identifiant d'URL"), max_length=160, unique=True)
    filiere = models.ForeignKey(
        "filieres.Filiere",
        verbose_name=_("filière"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="centres",
        help_text=_("Vide quand aucune source ne rattache le centre à une filière."),
    )
    label_period = models.CharField(_("période de labellisation"), max_length=160, blank=True)
    national_coordination = models.TextField(
        _("coordination nationale (telle que publiée)"), blank=True
    )
    natural_key_fields = ("slug",)
    natural_key_dependencies = ("filieres.filiere",)
    objects = NaturalKeyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("centre de référence")
        verbose_name_plural = _("centres de référence")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self):
        # A centre is shown as the list of its sites.
        return reverse("centres:list") + f"?crmr={self.slug}"


class CentreCoverage(NaturalKeyModel):
    """A reference centre's disease scope: an Orphanet group (and everything below it)
    or a disease, read from the centre's published name and scope.

    Curated by hand in fixtures/centre_coverage.json; `justification` says which words
    of the published scope the Orphanet entity stands for. A centre with no row here
    has no usable published scope: it is listed under its filière only."""

    centre = models.ForeignKey(
        ReferenceCentre,
        on_delete=models.CASCADE,
        related_name="coverage",
        verbose_name=_("centre de référence"),
    )
    disease = models.ForeignKey(
        "diseases.Disease",
        on_delete=models.PROTECT,
        related_name="centre_coverage",
        verbose_name=_("groupe ou maladie Orphanet"),
    )
    justification = models.CharField(_("justification"), max_length=500)

    natural_key_fields = ("centre__slug", "disease_id")
    natural_key_dependencies = ("centres.referencecentre", "diseases.disease")
    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("périmètre de centre")
        verbose_name_plural = _("périmètres de centres")
        ordering = ["centre__name", "disease__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "disease"], name="centres_centrecoverage_unique"
            ),
        ]

    def __str__(self):
        return f"{self.centre} ↔ {self.disease}"

    def get_absolute_url(self):
        return self.disease.get_absolute_url()


class PublishedCountQuerySet(NaturalKeyQuerySet):
    def national(self):
        return self.filter(scope=CountScope.NATIONAL)

    def latest_first(self):
        return self.order_by(F("label").desc(nulls_last=True), "slug")


class PublishedCount(NaturalKeyModel, SourcedModel):
    """A number of labelled sites as published by the ministry's relays, a filière or
    a centre ("603 sites de CRMR et 1 708 centres de compétences en 2023"), with its
    label wave and source. Shown beside what the directory describes, never mixed
    with it. An empty count was not published."""

    slug = models.SlugField(_("identifiant"), max_length=120, unique=True)
    scope = models.CharField(_("portée"), max_length=10, choices=CountScope.choices)
    filiere = models.ForeignKey(
        "filieres.Filiere",
        verbose_name=_("filière"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="published_counts",
    )
    centre = models.ForeignKey(
        ReferenceCentre,
        verbose_name=_("centre de référence"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="published_counts",
    )
    label = models.CharField(
        _("vague de labellisation"),
        max_length=8,
        blank=True,
        help_text=_("« 2023 », « 2017 », « 2023? » quand c'est probable sans être écrit."),
    )
    coordinating_sites = models.PositiveIntegerField(
        _("sites coordonnateurs"), null=True, blank=True
    )
    constitutive_sites = models.PositiveIntegerField(_("sites constitutifs"), null=True, blank=True)
    reference_sites = models.PositiveIntegerField(
        _("sites de CRMR (coordonnateurs et constitutifs)"),
        null=True,
        blank=True,
        help_text=_("Quand la source ne donne que le total des sites de CRMR."),
    )
    competence_centres = models.PositiveIntegerField(
        _("centres de compétences"), null=True, blank=True
    )
    crc = models.PositiveIntegerField(_("CRC"), null=True, blank=True)
    total_sites = models.PositiveIntegerField(_("total des sites"), null=True, blank=True)
    source_date = models.CharField(_("date de la source"), max_length=10, blank=True)

    natural_key_fields = ("slug",)
    natural_key_dependencies = ("filieres.filiere", "centres.referencecentre")
    objects = PublishedCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("total publié")
        verbose_name_plural = _("totaux publiés")
        ordering = ["scope", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(scope=CountScope.NATIONAL, filiere__isnull=True, centre__isnull=True)
                    | Q(scope=CountScope.FILIERE, filiere__isnull=False, centre__isnull=True)
                    | Q(scope=CountScope.CENTRE, centre__isnull=False)
                ),
                name="centres_publishedcount_scope_target",
                violation_error_message=_(
                    "Un total national ne vise ni filière ni centre ; un total de filière vise "
                    "une filière ; un total de centre vise un centre."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(sources=""),
                name="centres_publishedcount_sourced",
                violation_error_message=_("Un total publié doit indiquer sa source."),
            ),
        ]

    def __str__(self):
        target = self.centre or self.filiere or _("national")
        return f"{target} — {self.label or '?'}"

    def get_absolute_url(self):
        if self.centre_id:
            return self.centre.get_absolute_url()
        if self.filiere_id:
            return self.filiere.get_absolute_url()
        return reverse("home")

    @property
    def label_is_certain(self) -> bool:
        return not self.label.endswith("?")

    @property
    def label_year(self) -> str:
        return self.label.rstrip("?")

    @property
    def crmr_sites(self) -> int | None:
        """Sites of reference centres, coordinating and constitutive together."""
        if self.reference_sites is not None:
            return self.reference_sites
        if self.coordinating_sites is None and self.constitutive_sites is None:
            return None
        return (self.coordinating_sites or 0) + (self.constitutive_sites or 0)


def verification_cutoff() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate() - datetime.timedelta(days=settings.VERIFICATION_MAX_AGE_DAYS)


# Display order of kinds and roles inside a centre or a hospital.
KIND_RANK = Case(
    When(role=SiteRole.COORDINATING, then=Value(0)),
    When(role=SiteRole.CONSTITUTIVE, then=Value(1)),
    When(kind=SiteKind.REFERENCE, then=Value(2)),
    When(kind=SiteKind.COMPETENCE, then=Value(3)),
    When(kind=SiteKind.CRC, then=Value(4)),
    default=Value(5),
)


# The region a site is in: its hospital's, or its own when no hospital is known.
SITE_REGION = Case(
    When(hospital__isnull=False, then=F("hospital__region")),
    default=F("region"),
)


def _age_condition(age_group) -> Q:
    if age_group in (AgeGroup.CHILDREN, AgeGroup.ADULTS):
        return Q(age_group__in=[age_group, AgeGroup.BOTH])
    return Q(age_group=age_group)


class SiteQuerySet(NaturalKeyQuerySet):
    def published(self):
        return self.filter(is_published=True)

    def for_list(self):
        """Sites with everything a result card shows, in a stable reading order."""
        return self.select_related("centre__filiere", "hospital").order_by(
            F("centre__filiere__acronym").asc(nulls_last=True),
            "centre__name",
            KIND_RANK,
            "hospital__name",
            "city",
            "pk",
        )

    def load_ranked(self, ranked):
        """The sites of `ranked` (communes.places.Ranked, nearest first), in that
        order, with `distance_km` and `location_approximate` set. One query."""
        by_pk = self.for_list().in_bulk([item.pk for item in ranked])
        sites = []
        for item in ranked:
            site = by_pk[item.pk]
            site.distance_km, site.location_approximate = item.distance_km, item.approximate
            sites.append(site)
        return sites

    def ordered_in_centre(self):
        return self.select_related("hospital").order_by(KIND_RANK, "hospital__name", "city", "pk")

    def in_region(self, region_code):
        # A site's own region is only used when no hospital is known for it.
        return self.filter(
            Q(hospital__region=region_code) | Q(hospital__isnull=True, region=region_code)
        )

    def count_by_region(self) -> dict[str, int]:
        rows = self.annotate(region_code=SITE_REGION).values("region_code").annotate(n=Count("pk"))
        return {row["region_code"]: row["n"] for row in rows.order_by() if row["region_code"]}

    def to_verify(self):
        """Sites whose information was never confirmed, or not for a year."""
        return self.filter(Q(verified_on__isnull=True) | Q(verified_on__lt=verification_cutoff()))

    def for_age(self, age_group):
        """Sites that see this age group (a site for both counts for each)."""
        return self.filter(_age_condition(age_group))

    def for_age_or_unknown(self, age_group):
        """Sites that see this age group, and those whose ages no source gives."""
        return self.filter(_age_condition(age_group) | Q(age_group=""))

    def by_current_or_old_slug(self, slug):
        """The site of this queryset whose slug is `slug`, else the one that had it
        before (an old public URL, see `OldSiteSlug`), else None. One query.

        A current slug always wins: an old slug is ignored while any site, in this
        queryset or not (an unpublished one included), has it as its slug. The
        caller redirects when the site's slug is not `slug`."""
        old = OldSiteSlug.objects.filter(slug=slug).exclude(
            Exists(Site.objects.filter(slug=OuterRef("slug")))
        )
        return self.filter(Q(slug=slug) | Q(pk__in=old.values("site_id"))).first()

    def search(self, query):
        """Every word of `query` must appear (accents and case ignored) in one of the
        site's names: site, centre and acronym, hospital, city, filière."""
        terms = search_terms(query)
        if not terms:
            return self
        fields = (
            "name",
            "centre__name",
            "centre__acronym",
            "hospital__name",
            "hospital__short_name",
            "hospital__city",
            "city",
            "service",
            "centre__filiere__acronym",
            "centre__filiere__name",
        )
        qs = self.alias(**{f"_n_{i}": Normalized(field) for i, field in enumerate(fields)})
        for term in terms:
            condition = Q()
            for i in range(len(fields)):
                condition |= Q(**{f"_n_{i}__contains": term})
            qs = qs.filter(condition)
        return qs


class Site(NaturalKeyModel, SourcedModel):
    """A labelled site in a hospital: a CRMR's coordinating or constitutive site, a
    competence centre (CCMR) or a CRC. Every site belongs to exactly one centre."""

    centre = models.ForeignKey(
        ReferenceCentre,
        verbose_name=_("centre de référence"),
        on_delete=models.PROTECT,
        related_name="sites",
    )
    hospital = models.ForeignKey(
        "hospitals.Hospital",
        verbose_name=_("établissement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sites",
        help_text=_("Vide quand la source ne donne que la ville."),
    )
    kind = models.CharField(_("type"), max_length=12, choices=SiteKind.choices)
    role = models.CharField(
        _("rôle dans le centre de référence"),
        max_length=16,
        choices=SiteRole.choices,
        blank=True,
        help_text=_("Seulement pour un site de centre de référence ; vide si non précisé."),
    )
    name = models.CharField(
        _("nom du site"),
        max_length=300,
        blank=True,
        help_text=_("Libellé propre au site quand il diffère du nom du centre."),
    )
    slug = models.SlugField(_("identifiant d'URL"), max_length=200, unique=True)
    service = models.CharField(_("service"), max_length=300, blank=True)
    head = models.CharField(_("responsable (tel que publié)"), max_length=300, blank=True)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    website = models.URLField(_("site web"), max_length=300, blank=True)
    address = models.CharField(
        _("adresse"),
        max_length=300,
        blank=True,
        help_text=_("Seulement si elle diffère de celle de l'établissement."),
    )
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    city = models.CharField(_("ville"), max_length=120, blank=True)
    region = models.CharField(
        _("région"),
        max_length=2,
        choices=Region.choices,
        blank=True,
        help_text=_("Utilisée quand l'établissement n'est pas connu."),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Seulement si une source donne la position du site lui-même."),
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    age_group = models.CharField(
        _("âge des patients"), max_length=16, choices=AgeGroup.choices, blank=True
    )
    age_note = models.CharField(_("précision sur l'âge"), max_length=120, blank=True)
    label_period = models.CharField(_("période de labellisation"), max_length=160, blank=True)
    label_year = models.PositiveSmallIntegerField(
        _("année la plus récente citée par la source"), null=True, blank=True
    )
    verified_on = models.DateField(_("vérifié le"), null=True, blank=True)
    is_published = models.BooleanField(_("publié"), default=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)
    # Incremented on every save: an edit based on an older version is refused
    # (two people editing the same site; see staff.admin.centres.SiteAdminForm).
    # Writers that do not go through that form (the « à jour » action, the import)
    # lock the row, read it again and save only the fields they change.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    natural_key_fields = ("slug",)
    natural_key_dependencies = ("centres.referencecentre", "hospitals.hospital")
    objects = SiteQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre"],
                condition=Q(role=SiteRole.COORDINATING),
                name="centres_site_one_coordinating_per_centre",
                violation_error_message=_("Ce centre de référence a déjà un site coordonnateur."),
            ),
            models.CheckConstraint(
                condition=Q(role="") | Q(kind=SiteKind.REFERENCE),
                name="centres_site_role_only_for_reference",
                violation_error_message=_(
                    "Seul un site de centre de référence peut être coordonnateur ou constitutif."
                ),
            ),
            coordinates_constraint("centres_site_coordinates_pair"),
            postcode_constraint("centres_site_postcode_format"),
        ]
        indexes = [
            models.Index(fields=["kind"], name="centres_site_kind_idx"),
        ]

    def __str__(self):
        place = self.hospital or self.city
        label = self.name or str(self.centre)
        return f"{label} — {place}" if place else label

    def get_absolute_url(self):
        return reverse("centres:detail", kwargs={"slug": self.slug})

    @classmethod
    def from_db(cls, db, field_names, values):
        site = super().from_db(db, field_names, values)
        site._saved_slug = site.__dict__.get("slug")  # None when deferred
        return site

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        if fields is None or "slug" in fields:
            self._saved_slug = self.slug

    def save(self, *args, **kwargs):
        """Increment the version; keep the old slug when the slug changes (its public
        URL then leads here, see `OldSiteSlug`). With `update_fields`, only those
        fields are written, with the version and the update time."""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and not update_fields:
            return super().save(*args, **kwargs)  # Django's no-op
        updating = bool(self.pk) and not kwargs.get("force_insert")
        if updating:
            self.version += 1
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version", "updated_at"}
        old_slug = None
        if updating and (update_fields is None or "slug" in update_fields):
            old_slug = self._slug_before_save()
        if old_slug is None:
            super().save(*args, **kwargs)
        else:
            with transaction.atomic(using=kwargs.get("using")):
                super().save(*args, **kwargs)
                OldSiteSlug.keep(old_slug, self)
        if update_fields is None or "slug" in update_fields:
            self._saved_slug = self.slug

    def _slug_before_save(self) -> str | None:
        """The slug in the database when it differs from the one being saved."""
        saved = getattr(self, "_saved_slug", None)
        if saved is None:  # built in memory (a version from the history, say)
            saved = Site.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        return saved if saved and saved != self.slug else None

    @property
    def needs_verification(self) -> bool:
        return self.verified_on is None or self.verified_on < verification_cutoff()

    @property
    def display_name(self) -> str:
        return self.name or self.centre.name

    @property
    def kind_label(self) -> str:
        """ "site coordonnateur", "centre de compétences (CCMR)"..."""
        if self.role:
            return f"{self.get_role_display()} — {self.get_kind_display()}"
        return self.get_kind_display()

    @property
    def place(self) -> str:
        if self.city:
            return self.city
        return self.hospital.city if self.hospital else ""

    @property
    def region_code(self) -> str:
        return self.hospital.region if self.hospital else self.region

    @property
    def region_label(self) -> str:
        code = self.region_code
        return str(Region(code).label) if code else ""

    @property
    def is_historical(self) -> bool:
        """The only dates the sources give predate the 2017 labelling."""
        return self.label_year is not None and self.label_year < FIRST_CURRENT_LABEL_YEAR

    @property
    def phone_uri(self) -> str:
        return phone_uri(self.phone)


class OldSiteSlug(models.Model):
    """A slug a site had before: its public URL keeps leading to the site (the public
    view redirects, see `SiteQuerySet.by_current_or_old_slug`). Recorded by
    `Site.save` whenever a slug changes, wherever the change is made (admin, import,
    shell); `QuerySet.update()` bypasses it, as it bypasses the history."""

    slug = models.SlugField(_("ancien identifiant d'URL"), max_length=200)
    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="old_slugs", verbose_name=_("site")
    )
    replaced_at = models.DateTimeField(_("remplacé le"), auto_now=True)

    class Meta:
        verbose_name = _("ancien identifiant d'URL de site")
        verbose_name_plural = _("anciens identifiants d'URL de sites")
        ordering = ["slug"]
        constraints = [
            # One site per old URL: the last site that left the slug.
            models.UniqueConstraint(fields=["slug"], name="centres_oldsiteslug_unique_slug"),
        ]

    def __str__(self):
        return f"{self.slug} → {self.site.slug}"

    def get_absolute_url(self):
        return self.site.get_absolute_url()

    @classmethod
    def keep(cls, old_slug: str, site: Site) -> None:
        """`site` just left `old_slug` for `site.slug`."""
        # Its new slug is a current one now: an old record of it would never be used.
        cls.objects.filter(slug=site.slug).delete()
        cls.objects.update_or_create(slug=old_slug, defaults={"site": site})


def group_by_kind_and_filiere(sites):
    """[(kind label, [(filière or None, [sites])])] in display order, from sites already
    ordered by `for_list()` (filière first). Used by the hospital page."""
    kinds = {}
    for site in sites:
        kinds.setdefault(site.kind, {}).setdefault(site.centre.filiere, []).append(site)
    order = [SiteKind.REFERENCE, SiteKind.COMPETENCE, SiteKind.CRC, SiteKind.UNKNOWN]
    return [(SiteKind(kind), list(kinds[kind].items())) for kind in order if kind in kinds]


class ErrorReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=[ReportStatus.NEW, ReportStatus.IN_PROGRESS])


class ErrorReport(models.Model):
    """A member of the public says a site's information is wrong ("Signaler une
    erreur"). Nothing is published by it: the hospital's staff check and fix."""

    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="error_reports", verbose_name=_("site")
    )
    reason = models.CharField(_("motif"), max_length=20, choices=ReportReason.choices)
    message = models.TextField(_("précisions"), max_length=2000, blank=True)
    reply_email = models.EmailField(
        _("courriel pour une réponse"),
        blank=True,
        help_text=_("Facultatif, utilisé seulement pour vous répondre."),
    )
    status = models.CharField(
        _("statut"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.NEW
    )
    staff_note = models.TextField(_("note interne"), blank=True)
    created_at = models.DateTimeField(_("reçu le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    objects = ErrorReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("signalement d'erreur")
        verbose_name_plural = _("signalements d'erreur")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status"], name="centres_errorreport_status_idx")]

    def __str__(self):
        return f"{self.get_reason_display()} — {self.site}"

    def get_absolute_url(self):
        return self.site.get_absolute_url()
