import django_filters
from django.utils.translation import gettext_lazy as _

from centres.enums import AgeGroup, SiteKind
from centres.models import ReferenceCentre, Site
from filieres.models import Filiere
from hospitals.enums import Region
from hospitals.models import Hospital

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
    )
    filiere = django_filters.ModelChoiceFilter(
        label=_("Filière"),
        field_name="centre__filiere",
        to_field_name="slug",
        queryset=Filiere.objects.order_by("acronym"),
        empty_label=_("Toutes les filières"),
    )
    region = django_filters.ChoiceFilter(
        label=_("Région"),
        choices=sorted(Region.choices, key=lambda choice: str(choice[1])),
        method="filter_region",
        empty_label=_("Toutes les régions"),
    )
    hopital = django_filters.ModelChoiceFilter(
        label=_("Établissement"),
        field_name="hospital",
        to_field_name="slug",
        queryset=Hospital.objects.order_by("name"),
        empty_label=_("Tous les établissements"),
    )
    age = django_filters.ChoiceFilter(
        label=_("Âge des patients"),
        choices=AGE_CHOICES,
        method="filter_age",
        empty_label=_("Enfants et adultes"),
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
        return queryset.for_age(value)
