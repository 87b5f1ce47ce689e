import datetime
import functools
import math

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.db.models.signals import post_save
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from centres.enums import AgeGroup, CountScope, ReportReason, ReportStatus, SiteKind, SiteRole
from common.db import GroupColumn, with_every_term
from common.france import Region, postcode_constraint
from common.models import (
    NaturalKeyModel,
    NaturalKeyQuerySet,
    SourcedModel,
    coordinates_constraint,
    phone_uri,
    stable_id_field,
)
from common.text import normalize, search_terms
from common.versions import PUBLIC_DATA, bump
from communes.places import (
    LOCATABLE_FIELDS,
    Place,
    chord_for_km,
    distance_km,
    locatable_from_row,
    locatable_from_site,
    locate,
    unit_vector,
)
from communes.signals import communes_loaded

# Label periods that end before this year predate the 2017 labelling wave: the
# public pages present them as history, not as a current label.
FIRST_CURRENT_LABEL_YEAR = 2017


class ReferenceCentre(NaturalKeyModel, SourcedModel):
    """A labelled centre: a CRMR for a disease group (or, in some filières, a CRC network).

    It has no address of its own: it is made of sites (`Site`), one of which may be the
    coordinating site; competence centres are sites attached to it as well.
    """

    uid = stable_id_field()
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


def _is_centre_key(key) -> bool:
    """Whether an ordering key is a property of the site's centre (so the same for
    every site of a centre): its fields, its pk, the disease group of its centre."""
    name = key
    if hasattr(key, "expression") and isinstance(key.expression, F):
        name = key.expression.name
    return isinstance(name, str) and (
        name.startswith(("centre__", "-centre__")) or name in ("centre_id", "match_group")
    )


def _first_pks_by_window(queryset, in_centre: list, limits: dict, default: int):
    """The pks of each centre's first sites (`limits[centre pk]`, else `default`), in
    no order: ranked within each centre by a window on narrow rows (the keys and the
    pk), unsorted (the cut keeps a few rows of many). A query to read as a subquery."""
    return (
        queryset.annotate(
            rank_in_centre=Window(RowNumber(), partition_by=[F("centre_id")], order_by=in_centre),
            rank_limit=_by_centre(limits, default, "centre_id"),
        )
        .filter(rank_in_centre__lte=F("rank_limit"))
        .order_by()
        .values_list("pk", flat=True)
    )


def _kinds_needed(queryset, limits: dict, default: int):
    """({centre pk: its number of sites}, these sites but only those of the kinds that
    a centre's first ones can be of), for a ranking that starts with KIND_RANK: from
    the sites' numbers by centre and kind (one query, the counts' own), each centre's
    first `limits[pk]` (else `default`) sites are of its first kinds only, which hold
    that many. SQLite's window then ranks a few rows of each centre, not all (at
    100,000 sites, the disease page's: 1,500 rows instead of 10,000)."""
    rows = (
        queryset.order_by()
        .values(
            group=GroupColumn("centre_id", output_field=models.IntegerField()),
            kind_rank=KIND_RANK,
        )
        .annotate(n=Count("*"))
        .values_list("group", "kind_rank", "n")
    )
    by_centre: dict[int, dict[int, int]] = {}
    for centre, rank, n in rows:
        by_centre.setdefault(centre, {})[rank] = n
    counts = {centre: sum(ranks.values()) for centre, ranks in by_centre.items()}
    last_needed: dict[int, list[int]] = {}  # the last kind needed: those centres
    for centre, ranks in by_centre.items():
        wanted, seen = limits.get(centre, default), 0
        for rank in sorted(ranks):
            seen += ranks[rank]
            if seen >= wanted:
                break
        last_needed.setdefault(rank, []).append(centre)
    kept = Q()
    for rank, centres in last_needed.items():
        kept |= Q(centre_id__in=centres, needed_kind_rank__lte=rank)
    return counts, queryset.alias(needed_kind_rank=KIND_RANK).filter(kept)


def _first_pks_by_lateral(queryset, in_centre: list, limits: dict, default: int, centre_ids):
    """The pks of each of these centres' first sites (`limits[centre pk]`, else
    `default`), in no order, a query to read as a subquery: PostgreSQL reads each
    centre's sites in a subquery of its own, cut by LIMIT after a top-N sort (from the
    covering index centres_site_pub_rank_idx), instead of sorting every site of every
    centre for a window: 15 ms to 5 ms for a disease's 10,000 sites (100,000 sites in
    all, measured)."""
    from django.contrib.postgres.expressions import ArraySubquery
    from django.contrib.postgres.fields import ArrayField

    firsts = queryset.filter(centre_id=OuterRef("pk")).order_by(*in_centre).values("pk")
    most = max([default, *limits.values()])
    # One subquery for every centre (the most sites any needs), each centre's array
    # then cut to its own number: one subquery to build, not one per number.
    arrays = _ArrayHead(
        ArraySubquery(firsts[:most]),
        _by_centre(limits, default, "pk"),
        output_field=ArrayField(models.BigIntegerField()),
    )
    return (
        ReferenceCentre.objects.filter(pk__in=list(centre_ids))
        .order_by()
        .values_list(
            Func(arrays, function="unnest", output_field=models.BigIntegerField()), flat=True
        )
    )


class _ArrayHead(Func):
    """PostgreSQL: the first `n` elements of an array, `(array)[1:n]`."""

    arg_joiner = ")[1:"
    template = "(%(expressions)s]"


def _by_centre(limits: dict, default: int, centre_field: str):
    """Each centre's number (`limits[pk]`, else `default`) in SQL: a CASE on the
    centre's pk, one branch per distinct number (a few)."""
    by_number: dict[int, list[int]] = {}
    for centre, n in limits.items():
        if n != default:
            by_number.setdefault(n, []).append(centre)
    if not by_number:
        return Value(default)
    return Case(
        *(When(**{f"{centre_field}__in": pks}, then=Value(n)) for n, pks in by_number.items()),
        default=Value(default),
    )


@functools.lru_cache(maxsize=64)
def _site_url(language: str, script_prefix: str) -> str:
    """A site page's URL in this language under this script prefix, SLUG_MARK for the
    slug (the arguments only key the cache: reverse() reads them from the request)."""
    return reverse("centres:detail", kwargs={"slug": SLUG_MARK})


def verification_cutoff() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate() - datetime.timedelta(days=settings.VERIFICATION_MAX_AGE_DAYS)


KIND_LABELS = dict(SiteKind.choices)  # lazy: each in the active language
ROLE_LABELS = dict(SiteRole.choices)
AGE_LABELS = dict(AgeGroup.choices)
# Where a site's slug goes in its page's URL (`_site_url`): the URL pattern takes it,
# and nothing else in the URL can contain it (the prefix is the language and "centres").
SLUG_MARK = "SITE_SLUG"

# What the public lists show of a site (web/templates/includes/site_cards.html and the
# disease page's lines): its own, its centre's, filière's and hospital's fields, and
# the position its distance is computed from (`set_distance`).
CARD_FIELDS = (
    "centre_id",
    "hospital_id",
    "kind",
    "role",
    "name",
    "slug",
    "city",
    "region",
    "age_group",
    "label_year",
    "position_latitude",
    "position_longitude",
    "position_is_approximate",
    "centre__name",
    "centre__acronym",
    "centre__slug",
    "centre__filiere_id",
    "centre__filiere__acronym",
    "hospital__name",
    "hospital__short_name",
    "hospital__city",
    "hospital__region",
)

# What a site's line shows (web/templates/includes/site_rows.html): the other sites of
# its centre on a site's page.
ROW_FIELDS = (
    "centre_id",
    "hospital_id",
    "kind",
    "role",
    "slug",
    "city",
    "region",
    "hospital__name",
    "hospital__short_name",
    "hospital__city",
    "hospital__region",
)

# Display order of kinds and roles inside a centre or a hospital.
# The centre part of the list's order (for_list), also the order of CentrePagedSites'
# centres: the pk breaks ties between two centres of one name in one filière.
LIST_CENTRE_ORDER = (
    F("centre__filiere__acronym").asc(nulls_last=True),
    "centre__name",
    "centre_id",
)
CENTRE_ORDER = (F("filiere__acronym").asc(nulls_last=True), "name", "pk")  # the same, on centres
KIND_RANK = Case(
    When(role=SiteRole.COORDINATING, then=Value(0)),
    When(role=SiteRole.CONSTITUTIVE, then=Value(1)),
    When(kind=SiteKind.REFERENCE, then=Value(2)),
    When(kind=SiteKind.COMPETENCE, then=Value(3)),
    When(kind=SiteKind.CRC, then=Value(4)),
    default=Value(5),
)


# A site's fields that place it on the map (with its hospital's, see communes.places).
SITE_PLACING_FIELDS = ("latitude", "longitude", "hospital_id", "city", "region")
# What placing a site derives (`set_position`): where it is on the map, and the région
# it is listed in.
POSITION_FIELDS = (
    "listed_region",
    "position_latitude",
    "position_longitude",
    "position_is_approximate",
    "position_x",
    "position_y",
    "position_z",
)


def _position_values(location, region: str) -> dict:
    """The stored position columns for a communes.places.SiteLocation (or None), and
    the région of the site's Locatable."""
    if location is None:
        return dict.fromkeys(POSITION_FIELDS) | {
            "position_is_approximate": False,
            "listed_region": region,
        }
    x, y, z = unit_vector(location.latitude, location.longitude)
    return {
        "listed_region": region,
        "position_latitude": location.latitude,
        "position_longitude": location.longitude,
        "position_is_approximate": location.approximate,
        "position_x": x,
        "position_y": y,
        "position_z": z,
    }


# The site's own fields in a text search; those of its centre, hospital and filière
# are searched on their own (small) tables, see `SiteQuerySet.search`.
SITE_SEARCH_FIELDS = ("name", "city", "service")


def search_text_of(site) -> str:
    """The normalised words of the site's own searched fields, one space apart: a
    normalised term (no space) is in it exactly when it is in one of the fields."""
    return " ".join(
        text
        for text in (normalize(getattr(site, name) or "") for name in SITE_SEARCH_FIELDS)
        if text
    )


def _set_position(site, location, region: str) -> None:
    for name, value in _position_values(location, region).items():
        setattr(site, name, value)


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
            *LIST_CENTRE_ORDER,
            KIND_RANK,
            "hospital__name",
            "city",
            "pk",
        )

    def for_cards(self):
        """`for_list`, reading only what a public result card or line shows (CARD_FIELDS):
        a site's row also holds its sources, notes and contacts, its hospital's a
        whole address book. The downloads and the API read whole rows (`for_list`)."""
        return self.for_list().only(*CARD_FIELDS)

    def paged_by_centre(self, counts=None):
        """These sites (in `for_list` order) as a sequence to paginate without sorting
        them all: see CentrePagedSites. `counts`: their number by centre when known
        (every published site: `CentreSiteTally.objects.by_centre()`)."""
        return CentrePagedSites(self, counts)

    def nearest(
        self,
        place: Place,
        radius_km: float | None = None,
        group_fields=(),
        narrowing=None,
        totals=None,
    ):
        """These sites nearest first from `place` (see NearestSites): a sequence to
        slice or paginate, each site with `distance_km` and `location_approximate`."""
        return NearestSites(self, place, radius_km, group_fields, narrowing, totals)

    def count_by_centre(self, centre_ids=None) -> dict[int, int]:
        """{centre pk: number of these sites}, for these centres only if given. One
        query, grouped on the site's own column (see common.db.GroupColumn)."""
        queryset = self if centre_ids is None else self.filter(centre_id__in=centre_ids)
        rows = (
            queryset.order_by()
            .values(group=GroupColumn("centre_id", output_field=models.IntegerField()))
            .annotate(n=Count("*"))
        )
        return dict(rows.values_list("group", "n"))

    def first_per_centre(
        self, default: int, place: Place | None = None, radius_km=None, *, limits=None
    ):
        """{centre pk: (its first sites, its number of sites)} for the centres of these
        sites, in the order of their first sites: this queryset's order, or nearest
        first from `place` (as `nearest` ranks them: unplaced sites last, or left out
        beyond `radius_km`). How many first sites: `limits[centre pk]` (a dict), else
        `default`. Two queries, whatever the number of sites: the counts, then the
        chosen sites (the ranking and the cut are a subquery)."""
        limits = limits or {}
        queryset, ordering = self, list(self.query.order_by)
        if place is not None:
            nearest = NearestSites(self, place, radius_km)
            queryset, ordering = nearest.queryset, nearest.ordering
        in_centre = [key for key in ordering if not _is_centre_key(key)]
        if connection.vendor == "postgresql":
            counts = queryset.count_by_centre()
            chosen = _first_pks_by_lateral(queryset, in_centre, limits, default, counts)
        elif in_centre and in_centre[0] is KIND_RANK:
            counts, ranked = _kinds_needed(queryset, limits, default)
            chosen = _first_pks_by_window(ranked, in_centre, limits, default)
        else:
            counts = queryset.count_by_centre()
            chosen = _first_pks_by_window(queryset, in_centre, limits, default)
        # Only the chosen sites read, in the whole order, in the same query.
        firsts: dict[int, list] = {}
        for site in queryset.filter(pk__in=chosen).order_by(*ordering):
            if place is not None:
                set_distance(site, place)
            firsts.setdefault(site.centre_id, []).append(site)
        return {pk: (sites, counts[pk]) for pk, sites in firsts.items()}

    def ordered_in_centre(self):
        """The sites as their centre lists them (coordinating site first), reading only
        what a site's line shows (ROW_FIELDS)."""
        return (
            self.select_related("hospital")
            .only(*ROW_FIELDS)
            .order_by(KIND_RANK, "hospital__name", "city", "pk")
        )

    def in_region(self, region_code):
        """The sites of a région: their hospital's, their own when no hospital is known
        (`listed_region`, one indexed column: no join, no OR of two conditions, which
        PostgreSQL could only answer by reading the sites' rows)."""
        return self.filter(listed_region=region_code)

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
        site's names: site, city and service (its stored `search_text`), centre and
        acronym, hospital and city, filière. The centres and hospitals that hold a
        word are read first, on their own tables (two small queries a word), so that
        the sites are filtered on their own indexed columns at any size."""
        from hospitals.models import Hospital

        terms = search_terms(query)
        if not terms:
            return self
        queryset = self
        for term in terms:
            centre_ids = list(
                with_every_term(
                    ReferenceCentre.objects.all(),
                    ("name", "acronym", "filiere__acronym", "filiere__name"),
                    [term],
                ).values_list("pk", flat=True)
            )
            hospital_ids = list(
                with_every_term(
                    Hospital.objects.all(), ("name", "short_name", "city"), [term]
                ).values_list("pk", flat=True)
            )
            queryset = queryset.filter(
                Q(search_text__contains=term)
                | Q(centre_id__in=centre_ids)
                | Q(hospital_id__in=hospital_ids)
            )
        return queryset


class Site(NaturalKeyModel, SourcedModel):
    """A labelled site in a hospital: a CRMR's coordinating or constitutive site, a
    competence centre (CCMR) or a CRC. Every site belongs to exactly one centre."""

    uid = stable_id_field()
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
    # Where the site is placed on the map (see `set_position`): derived, never edited, kept
    # by Site.save, by a hospital's save and after the communes or the fixtures are
    # loaded (`refresh_site_positions`). Empty when the site cannot be placed.
    position_latitude = models.FloatField(_("latitude retenue"), null=True, editable=False)
    position_longitude = models.FloatField(_("longitude retenue"), null=True, editable=False)
    position_is_approximate = models.BooleanField(
        _("position approximative (mairie de la commune)"), default=False, editable=False
    )
    # The région the site is listed in: its hospital's, else its own (`region_code`;
    # communes.places's one rule). Derived with the position, by the same writers, so
    # that a région's sites are read from one indexed column (`in_region`).
    listed_region = models.CharField(
        _("région retenue"), max_length=2, blank=True, default="", editable=False
    )
    # The position as a point on the unit sphere (communes.places.unit_vector): the
    # database orders by the chord from a place, with arithmetic only, and boxes the
    # search on these indexed columns.
    position_x = models.FloatField(_("position (x, sphère unité)"), null=True, editable=False)
    position_y = models.FloatField(_("position (y, sphère unité)"), null=True, editable=False)
    position_z = models.FloatField(_("position (z, sphère unité)"), null=True, editable=False)
    # The site's own searched fields, normalised (`search_text_of`): derived, never
    # edited, kept by Site.save and by the writers that skip it (with the positions,
    # `refresh_site_positions`). A text search reads it (a trigram index on PostgreSQL)
    # instead of normalising every row's fields at each query.
    search_text = models.TextField(_("texte de recherche"), default="", editable=False)
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
    history = HistoricalRecords(excluded_fields=["version", *POSITION_FIELDS, "search_text"])

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
            # The counts of the lists and the disease pages, read from the index alone
            # at any size, by centre. The publication last: SQLite uses no index for a
            # bare `WHERE is_published`, but scans this in group order, covering (and
            # see common.db.GroupColumn).
            models.Index(fields=["centre", "is_published"], name="centres_site_pub_centre_idx"),
            # A région's published sites (`in_region`), with the other filters' columns
            # and the centre: a région's list is counted from the index alone (SQLite's
            # too: it reads is_published from the index, not from the condition).
            models.Index(
                fields=["listed_region", "kind", "centre", "age_group", "is_published"],
                condition=Q(is_published=True),
                name="centres_site_pub_region_idx",
            ),
            # "Near me": the published sites in a box around the place (a range on z,
            # then x and y read from the index), and their count.
            models.Index(
                fields=["is_published", "position_z", "position_x", "position_y"],
                name="centres_site_published_pos_idx",
            ),
        ]

    def __str__(self):
        place = self.hospital or self.city
        label = self.name or str(self.centre)
        return f"{label} — {place}" if place else label

    def get_absolute_url(self):
        # reverse() once per language and script prefix, then the slug put in: lists
        # and disease pages link every line (77 reverse() calls took 2 ms a page).
        return _site_url(get_language(), get_script_prefix()).replace(SLUG_MARK, self.slug, 1)

    @classmethod
    def from_db(cls, db, field_names, values):
        site = super().from_db(db, field_names, values)
        site._saved_slug = site.__dict__.get("slug")  # None when deferred
        site._saved_placing = site._placing()
        return site

    def _placing(self) -> tuple:
        return tuple(self.__dict__.get(name) for name in SITE_PLACING_FIELDS)

    def set_position(self) -> None:
        """Set the stored position by the one rule (communes.places): the site's own
        sourced coordinates, else its hospital's, else its town hall (approximate).
        Up to two queries: the hospital when not loaded, the town's communes."""
        locatable = locatable_from_site(self)
        _set_position(self, locate([locatable]).get(locatable.pk), locatable.region)

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
        # By their columns: `update_fields=["hospital"]` changes hospital_id.
        written = (
            None
            if update_fields is None
            else {self._meta.get_field(name).attname for name in update_fields}
        )
        placing = written is None or not written.isdisjoint(SITE_PLACING_FIELDS)
        if placing and (not updating or self._placing() != getattr(self, "_saved_placing", None)):
            self.set_position()
            if update_fields is not None:
                update_fields = kwargs["update_fields"] = {*update_fields, *POSITION_FIELDS}
        self.search_text = search_text_of(self)
        if update_fields is not None and not set(update_fields).isdisjoint(SITE_SEARCH_FIELDS):
            update_fields = kwargs["update_fields"] = {*update_fields, "search_text"}
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
        if placing:
            self._saved_placing = self._placing()

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
    def age_label(self) -> str:
        """get_age_group_display() without rebuilding the choices' dict on each call."""
        return str(AGE_LABELS.get(self.age_group, self.age_group))

    @property
    def display_name(self) -> str:
        return self.name or self.centre.name

    @property
    def plain_kind(self) -> str:
        """The kind in everyday words, for patients ("centre expert national, site
        coordinateur"); the public pages show the official term (`kind_label`) beside it."""
        if self.kind == SiteKind.REFERENCE:
            if self.role == SiteRole.COORDINATING:
                return _("centre expert national, site qui coordonne")
            if self.role == SiteRole.CONSTITUTIVE:
                return _("centre expert national, l'un de ses sites")
            return _("centre expert national")
        if self.kind == SiteKind.COMPETENCE:
            return _("centre expert régional, rattaché à un centre national")
        if self.kind == SiteKind.CRC:
            return _("centre expert de ressources et de compétences")
        return _("centre expert (le type de label n'est pas publié)")

    @property
    def official_kind(self) -> str:
        """The official term beside `plain_kind`; none when the source gives no kind."""
        return "" if self.kind == SiteKind.UNKNOWN else self.kind_label

    @property
    def kind_label(self) -> str:
        """ "site coordonnateur", "centre de compétences (CCMR)"..."""
        # The labels read from the choices' own mappings: get_FOO_display() rebuilds a
        # dict of the choices on each call, and lists show this on every line.
        kind = KIND_LABELS.get(self.kind, self.kind)
        if self.role:
            return f"{ROLE_LABELS.get(self.role, self.role)} — {kind}"
        return str(kind)

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


# The tallies of the published sites. Written by the database only: triggers on
# centres_site (centres/migrations/0016_site_tallies.py) change them in the same
# transaction as any insert, update or delete of a site, whoever makes it (a save, a
# fixture, an import's bulk writes, QuerySet.update(), raw SQL), so that a count of
# every published site reads a row per centre or per région, not every site: at
# 100,000 sites, 10 ms of the home page, /centres/ and "près de" on PostgreSQL.
# A count of some of them (a filter) is counted from the sites themselves.


class CentreSiteTallyQuerySet(models.QuerySet):
    def by_centre(self) -> dict[int, int]:
        """{centre pk: its published sites}: `Site.objects.published().count_by_centre()`."""
        return dict(self.values_list("centre_id", "sites"))

    def totals(self) -> tuple[int, int]:
        """(published sites, those of them placed on the map)."""
        sums = self.aggregate(sites=models.Sum("sites"), placed=models.Sum("placed"))
        return sums["sites"] or 0, sums["placed"] or 0


class CentreSiteTally(models.Model):
    """A centre's published sites, and how many of them are placed on the map (have a
    position). No row for a centre with none."""

    # A ReferenceCentre's pk; no foreign key: the rows follow the sites, not the centres.
    centre_id = models.BigIntegerField(_("centre de référence"), primary_key=True)
    sites = models.PositiveIntegerField(_("sites publiés"))
    placed = models.PositiveIntegerField(_("sites publiés placés sur la carte"))

    objects = CentreSiteTallyQuerySet.as_manager()

    class Meta:
        verbose_name = _("décompte des sites publiés d'un centre")
        verbose_name_plural = _("décomptes des sites publiés par centre")
        default_permissions = ()  # written by the database, shown nowhere

    def __str__(self):
        return f"centre {self.centre_id}: {self.sites} ({self.placed})"


class RegionSiteTallyQuerySet(models.QuerySet):
    def count_and_regions(self) -> tuple[int, dict[str, int]]:
        """(published sites, {région code: published sites}); the sites of no known
        région count in the first only. One query."""
        counts = dict(self.values_list("region", "sites"))
        return sum(counts.values()), {region: n for region, n in counts.items() if region}


class RegionSiteTally(models.Model):
    """The published sites of a région (`Site.listed_region`: their hospital's, else
    their own); région "": the sites of no known région."""

    region = models.CharField(_("région"), max_length=2, blank=True)
    sites = models.PositiveIntegerField(_("sites publiés"))

    objects = RegionSiteTallyQuerySet.as_manager()

    class Meta:
        verbose_name = _("décompte des sites publiés d'une région")
        verbose_name_plural = _("décomptes des sites publiés par région")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["region"], name="centres_regionsitetally_unique_region"
            ),
        ]

    def __str__(self):
        return f"région {self.region or '-'}: {self.sites}"


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


# --- "Near me": stored positions, ranked in the database ------------------------------

POSITION_BATCH = 500


# Sites read at once by refresh_site_positions.
REFRESH_CHUNK = 5000


def refresh_site_positions(queryset=None) -> int:
    """Place the sites of `queryset` (every site by default) again by the one rule,
    and normalise their search text again, and write what changed; returns how many
    sites. For the writers that skip Site.save: fixtures (loaddata), bulk imports, a
    reload of the communes. A few queries per 500 sites changed (bulk_update), none
    per site."""
    queryset = Site.objects.all() if queryset is None else queryset
    width = len(LOCATABLE_FIELDS)
    searched = len(SITE_SEARCH_FIELDS)
    derived = (*POSITION_FIELDS, "search_text")
    count, last_pk = 0, 0
    while True:  # by chunks of pks, so that memory stays flat at any size
        rows = list(
            queryset.filter(pk__gt=last_pk)
            .order_by("pk")
            .values_list(*LOCATABLE_FIELDS, *SITE_SEARCH_FIELDS, *derived)[:REFRESH_CHUNK]
        )
        if not rows:
            break
        locatables = [locatable_from_row(row[:width]) for row in rows]
        locations = locate(locatables)
        changed = []
        for row, item in zip(rows, locatables, strict=True):
            own = Site(**dict(zip(SITE_SEARCH_FIELDS, row[width : width + searched], strict=True)))
            values = _position_values(locations.get(item.pk), item.region)
            values["search_text"] = search_text_of(own)
            if tuple(values[name] for name in derived) != row[width + searched :]:
                changed.append(Site(pk=item.pk, **values))
        Site.objects.bulk_update(changed, derived, batch_size=POSITION_BATCH)
        count += len(changed)
        last_pk = rows[-1][0]
    if count:
        bump(PUBLIC_DATA)  # bulk_update sends no signal: the cached pages are stale
    return count


def place_new_sites(sites) -> None:
    """Set the positions (and search text) of unsaved sites before a bulk_create,
    from their hospitals (loaded with them): one query for the communes of those
    placed by their town."""
    locatables = [locatable_from_site(site, key=index) for index, site in enumerate(sites)]
    locations = locate(locatables)
    for index, (site, item) in enumerate(zip(sites, locatables, strict=True)):
        _set_position(site, locations.get(index), item.region)
        site.search_text = search_text_of(site)


def _hospital_saved(sender, instance, created, raw=False, **kwargs):
    """A hospital's coordinates, town, département or région changed: its sites are
    placed again (those with their own coordinates do not move)."""
    if raw or created or not getattr(instance, "placing_changed", True):
        return
    refresh_site_positions(Site.objects.filter(hospital_id=instance.pk))


def _communes_loaded(sender, **kwargs):
    refresh_site_positions(Site.objects.filter(Q(latitude__isnull=True)))


post_save.connect(_hospital_saved, sender="hospitals.Hospital", dispatch_uid="centres-placing")
communes_loaded.connect(_communes_loaded, dispatch_uid="centres-placing")

# Widening steps of the box around a place, in km: the first guess comes from the
# density of the sites (see NearestSites._first_radius), then ×4 until the page is
# full; past half the Earth's circumference the box is dropped.
MIN_SEARCH_KM = 5.0
WIDENING = 4.0
HALF_CIRCUMFERENCE_KM = math.pi * 6371.0
# The area over which most sites spread (metropolitan France, km²), for the guess.
SPREAD_AREA_KM2 = 550_000.0
# A group of at most this many placed sites is ranked whole, in one query: a box
# saves little there, and a selective filter (a text search) would be run again at
# each widening. Past MAX_BOXES boxes too.
RANK_WHOLE_BELOW = 1000
MAX_BOXES = 3


class CentrePagedSites:
    """A page of a `for_list` queryset without a sort of every row.

    That order starts with the centre (its filière's acronym, its name, its pk), so a
    page is a run of consecutive centres: one GROUP BY gives each centre's number of
    sites in centre order (and the paginator's count), then a page reads and sorts
    only the sites of the centres it covers. At 100,000 sites the whole-list sort over
    joined rows is what made /centres/ slow; the counts use no sort of the sites."""

    def __init__(self, queryset, counts=None):
        self._queryset = queryset
        self._counts = counts
        self._centres = None

    def _centre_counts(self) -> list[tuple[int, int]]:
        """[(centre pk, its number of these sites)] in centre order. Two queries: the
        counts grouped by the site's own column (an index-only scan when nothing else
        filters), then the order of those centres. Grouping by the ordering's joined
        columns instead sorted every site row."""
        if self._centres is None:
            counts = self._counts
            if counts is None:
                counts = self._queryset.count_by_centre()
            order = []
            if counts:
                order = (
                    ReferenceCentre.objects.filter(pk__in=counts)
                    .order_by(*CENTRE_ORDER)
                    .values_list("pk", flat=True)
                )
            self._centres = [(pk, counts[pk]) for pk in order]
        return self._centres

    def count(self) -> int:
        return sum(n for _centre, n in self._centre_counts())

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.step is not None:
            raise TypeError("CentrePagedSites takes a slice [start:stop].")
        start, stop = key.start or 0, key.stop if key.stop is not None else self.count()
        if stop <= start:
            return []
        covered, before, seen = [], None, 0
        for centre, n in self._centre_counts():
            if seen + n > start and seen < stop:
                if before is None:
                    before = seen
                covered.append(centre)
            seen += n
            if seen >= stop:
                break
        if not covered:
            return []
        offset = start - before
        sites = self._queryset.filter(centre_id__in=covered)
        # Sorted on narrow rows (a subquery of pks), then the page's rows read whole.
        chosen = sites.values("pk")[offset : offset + (stop - start)]
        return list(self._queryset.filter(pk__in=chosen))


class NearestSites:
    """The sites of a queryset nearest first from a place, ranked in the database.

    The order: the filter's groups first (`group_fields`: a disease's centres, known
    ages), then, within each group, the placed sites by distance (ties by pk), then
    the sites that cannot be placed, in the queryset's own order. With `radius_km`
    only the placed sites within it.

    The database orders by the chord from the place (stored unit vectors, arithmetic
    only: the same IEEE operations on PostgreSQL and SQLite, so the same order), on
    the sites of a box around the place read from an index: the box grows until the
    requested slice is full, which it is exactly when it holds enough sites, since
    every site inside the circle comes before any site outside it. `count()` is one
    query (the paginator's), which also tells each group's size, or none with
    `totals` (of every published site: CentreSiteTally); a slice is one query when
    the first box holds it. `distance_km` is then computed in Python from
    the stored position, by the haversine of communes.places."""

    def __init__(
        self, queryset, place: Place, radius_km=None, group_fields=(), narrowing=None, totals=None
    ):
        self.place = place
        self.radius_km = radius_km
        self.group_fields = list(group_fields)
        # {group field: value -> Q}: the same sites as `field = value`, by columns an
        # index serves (a disease's group by its centres); added to that condition.
        self.narrowing = narrowing or {}
        self._origin = unit_vector(place.latitude, place.longitude)
        x0, y0, z0 = self._origin
        chord2 = (
            (F("position_x") - x0) * (F("position_x") - x0)
            + (F("position_y") - y0) * (F("position_y") - y0)
            + (F("position_z") - z0) * (F("position_z") - z0)
        )
        ordering = list(queryset.query.order_by)
        queryset = queryset.annotate(
            near_chord2=models.ExpressionWrapper(chord2, output_field=FloatField())
        )
        if radius_km is not None:
            queryset = queryset.filter(self._within(radius_km))
        self._queryset = queryset
        placed_pk = Case(When(position_z__isnull=False, then=F("pk")), default=None)
        self._ordering = [
            *self.group_fields,
            F("near_chord2").asc(nulls_last=True),
            placed_pk.asc(nulls_last=True),
            *ordering,
        ]
        self._groups = None
        if totals is not None:
            # (sites, placed sites) already known (every published site, from
            # CentreSiteTally): what `groups()` would count, for one group and no radius.
            if self.group_fields or radius_km is not None:
                raise ValueError("Totals stand for one group of sites and no radius.")
            sites, placed = totals
            self._groups = [((), sites, placed)] if sites else []

    @property
    def queryset(self):
        """The sites annotated with their chord from the place (within the radius)."""
        return self._queryset

    @property
    def ordering(self) -> list:
        return list(self._ordering)

    def _within(self, km: float) -> Q:
        """The box (on the indexed columns) and the circle of `km` around the place."""
        chord = chord_for_km(km)
        x0, y0, z0 = self._origin
        return Q(
            position_z__gte=z0 - chord,
            position_z__lte=z0 + chord,
            position_x__gte=x0 - chord,
            position_x__lte=x0 + chord,
            position_y__gte=y0 - chord,
            position_y__lte=y0 + chord,
            near_chord2__lte=chord * chord,
        )

    def groups(self) -> list[tuple[tuple, int, int]]:
        """[(group key, sites, placed sites)] in order. One query."""
        if self._groups is None:
            # COUNT(*), not of the pk: the index on the positions answers it alone.
            counts = {"n": Count("*"), "placed": Count("position_z")}
            base = self._queryset.order_by()
            if self.group_fields:
                rows = base.values(*self.group_fields).annotate(**counts)
                rows = rows.order_by(*self.group_fields)
                self._groups = [
                    (tuple(row[name] for name in self.group_fields), row["n"], row["placed"])
                    for row in rows
                ]
            else:
                row = base.aggregate(**counts)
                self._groups = [((), row["n"], row["placed"])] if row["n"] else []
        return self._groups

    def count(self) -> int:
        return sum(n for _key, n, _placed in self.groups())

    def __len__(self):
        return self.count()

    def __iter__(self):
        return iter(self[: self.count()])

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            if isinstance(index, int):
                return self[index : index + 1][0]
            raise TypeError("NearestSites supports ints and contiguous slices.")
        start, stop = index.start or 0, index.stop
        total = self.count()
        stop = total if stop is None else min(stop, total)
        if start < 0 or stop <= start:
            return []
        return self._annotated(self._slice(start, stop))

    def _group_q(self, key) -> Q:
        condition = Q(**dict(zip(self.group_fields, key, strict=True)))
        for field, value in zip(self.group_fields, key, strict=True):
            if field in self.narrowing:
                condition &= self.narrowing[field](value)
        return condition

    def _slice(self, start: int, stop: int) -> list:
        spanned, first = [], None
        offset = 0
        for key, n, placed in self.groups():
            if offset + n > start and offset < stop:
                if first is None:
                    first = offset
                spanned.append((key, offset, n, placed))
            offset += n
        last_key, last_start, _last_n, last_placed = spanned[-1]
        needed_in_last = stop - last_start
        queryset = self._queryset
        if self.group_fields:
            condition = Q()
            for key, *_rest in spanned:
                condition |= self._group_q(key)
            queryset = queryset.filter(condition)
        window = slice(start - first, stop - first)
        # When the slice holds placed sites only, the group, the chord and the pk order
        # them all: no joined column is needed to choose them.
        only_placed = all(
            stop <= offset + placed or start >= offset + n for _key, offset, n, placed in spanned
        )
        ordering = self._ordering[: len(self.group_fields) + 2] if only_placed else self._ordering
        radius = self._first_radius(needed_in_last, last_placed)
        limit = self.radius_km if self.radius_km is not None else HALF_CIRCUMFERENCE_KM
        # Only the last group spanned can be cut by a box, and only while the slice
        # needs none of its unplaced sites.
        boxes = 0
        while (
            last_placed > RANK_WHOLE_BELOW
            and needed_in_last <= last_placed
            and radius < limit
            and boxes < MAX_BOXES
        ):
            boxes += 1
            boxed = self._within(radius)
            if self.group_fields:
                earlier = Q()
                for key, *_rest in spanned[:-1]:
                    earlier |= self._group_q(key)
                boxed = (self._group_q(last_key) & boxed) | earlier if earlier else boxed
            sites = self._read(queryset.filter(boxed), ordering, window)
            if len(sites) == stop - start:
                return sites
            radius *= WIDENING
        return self._read(queryset, ordering, window)

    def _read(self, queryset, ordering, window) -> list:
        """The sites of `window` in `ordering`, chosen on narrow rows (a subquery of
        pks, so the joins of the displayed fields apply to the page's rows only),
        then read in the whole order. One query."""
        chosen = queryset.order_by(*ordering).values("pk")[window]
        return list(self._queryset.filter(pk__in=chosen).order_by(*self._ordering))

    @staticmethod
    def _first_radius(needed: int, placed: int) -> float:
        """The radius that would hold `needed` of `placed` sites spread evenly over
        SPREAD_AREA_KM2, doubled: usually enough at the first try in a town."""
        if placed <= 0:
            return MIN_SEARCH_KM
        return max(MIN_SEARCH_KM, 2 * math.sqrt(needed / placed * SPREAD_AREA_KM2 / math.pi))

    def _annotated(self, sites):
        for site in sites:
            set_distance(site, self.place)
        return sites


def set_distance(site, place: Place) -> None:
    """`distance_km` (None when the site cannot be placed) and `location_approximate`
    from the site's stored position."""
    if site.position_latitude is None:
        site.distance_km, site.location_approximate = None, False
        return
    site.distance_km = distance_km(
        place.latitude, place.longitude, site.position_latitude, site.position_longitude
    )
    site.location_approximate = site.position_is_approximate


def sort_by_distance(sites, place: Place, radius_km: float | None = None) -> list:
    """Sites already loaded, nearest first by their stored positions (ties by pk),
    those that cannot be placed last in their order, or left out with a radius; with
    `distance_km` and `location_approximate` set. No query."""
    placed, unplaced = [], []
    for site in sites:
        set_distance(site, place)
        if site.distance_km is None:
            unplaced.append(site)
        elif radius_km is None or site.distance_km <= radius_km:
            placed.append(site)
    placed.sort(key=lambda site: (site.distance_km, site.pk))
    return placed if radius_km is not None else placed + unplaced
