import django_filters
from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from centres.enums import AgeGroup, SiteKind
from centres.matching import disease_centres
from centres.models import ReferenceCentre, Site
from diseases.models import Disease
from diseases.search import parse_orpha_code
from filieres.models import Filiere
from hospitals.models import Hospital
from web.regions import region_choices
from web.widgets import QuickSelect

# Longest free-text query accepted; longer ones get a form error, not a slow query.
MAX_QUERY_LENGTH = 200

TYPE_CHOICES = [
    (SiteKind.REFERENCE, _("centres de référence (CRMR)")),
    (SiteKind.COMPETENCE, _("centres de compétences (CCMR)")),
    (SiteKind.CRC, _("centres de ressources et de compétences (CRC)")),
]
AGE_CHOICES = [
    (AgeGroup.CHILDREN, _("enfants")),
    (AgeGroup.ADULTS, _("adultes")),
]


class OrphaCodeField(forms.CharField):
    """An ORPHA code ("586", "ORPHA:586"), cleaned to the active Disease it designates
    (an obsolete code is followed to its replacement)."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        code = parse_orpha_code(value)
        disease = (
            Disease.objects.select_related("replaced_by").filter(pk=code).first() if code else None
        )
        if disease is None:
            raise forms.ValidationError(
                _("Code ORPHA inconnu : %(value)s."), params={"value": value}, code="unknown"
            )
        return disease.replaced_by or disease


class OrphaCodeFilter(django_filters.Filter):
    field_class = OrphaCodeField


class ListedModelChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """The choices read as one list: Django's iterator() opens a server-side cursor
    on PostgreSQL (three round trips) for a list of a few dozen rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ListedModelChoiceField(django_filters.fields.ModelChoiceField):
    iterator = ListedModelChoiceIterator


class ListedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ListedModelChoiceField


class SiteFilter(django_filters.FilterSet):
    """Filters of /centres/. Parameter names are part of the public, shareable URLs."""

    q = django_filters.CharFilter(
        label=_("Rechercher"),
        method="filter_text",
        max_length=MAX_QUERY_LENGTH,
        help_text=_("Nom du centre, acronyme, établissement, ville ou filière."),
    )
    type = django_filters.ChoiceFilter(
        label=_("Type de centre"),
        field_name="kind",
        choices=TYPE_CHOICES,
        empty_label=_("Tous les types"),
        widget=QuickSelect,
    )
    filiere = ListedModelChoiceFilter(
        label=_("Filière"),
        field_name="centre__filiere",
        to_field_name="slug",
        queryset=Filiere.objects.order_by("acronym"),
        empty_label=_("Toutes les filières"),
        widget=QuickSelect,
    )
    region = django_filters.ChoiceFilter(
        label=_("Région"),
        # A callable: sorted in the active language, when the form is built.
        choices=region_choices,
        method="filter_region",
        empty_label=_("Toutes les régions"),
        widget=QuickSelect,
    )
    # Reached from a hospital's page; a <select> of every hospital would be too long
    # to use (and cost a query on every page): the selected one is shown instead.
    hopital = django_filters.ModelChoiceFilter(
        label=_("Établissement"),
        field_name="hospital",
        to_field_name="slug",
        queryset=Hospital.objects.all(),
        widget=forms.HiddenInput,
    )
    age = django_filters.ChoiceFilter(
        label=_("Âge des patients"),
        choices=AGE_CHOICES,
        method="filter_age",
        empty_label=_("Enfants et adultes"),
        widget=QuickSelect,
    )
    maladie = OrphaCodeFilter(
        label=_("Maladie (code ORPHA)"),
        method="filter_disease",
        max_length=30,
    )
    # Not shown in the form: reached from a centre's link ("all sites of this centre").
    crmr = django_filters.ModelChoiceFilter(
        label=_("Centre de référence"),
        field_name="centre",
        to_field_name="slug",
        queryset=ReferenceCentre.objects.all(),
    )

    class Meta:
        model = Site
        fields = []

    def filter_text(self, queryset, name, value):
        return queryset.search(value)

    def filter_region(self, queryset, name, value):
        return queryset.in_region(value)

    def filter_age(self, queryset, name, value):
        """Sites for this age group, then those whose ages no source gives (never
        hidden: they may well see this age group), marked on the page."""
        ordering = queryset.query.order_by
        return (
            queryset.for_age_or_unknown(value)
            .annotate(
                age_unknown=Case(
                    When(age_group="", then=Value(1)), default=Value(0), output_field=IntegerField()
                )
            )
            .order_by("age_unknown", *ordering)
        )

    def filter_disease(self, queryset, name, disease):
        """Sites of the centres that treat the disease, the most specific centre first,
        then the other centres of the filières that cover it (centres.matching)."""
        self.disease_centres = disease_centres(disease)
        return self.disease_centres.sites(queryset)

    @property
    def group_narrowing(self) -> dict:
        """For NearestSites: a disease's groups of sites by their centres."""
        matches = getattr(self, "disease_centres", None)
        return {"match_group": matches.group_condition} if matches is not None else {}

    @property
    def group_fields(self) -> list[str]:
        """The annotations that order the results before anything else (a distance
        sort keeps them: nearest first within each group)."""
        data = self.form.cleaned_data if self.is_valid() else {}
        return [
            field
            for field, param in (("match_group", "maladie"), ("age_unknown", "age"))
            if data.get(param)
        ]
