from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from centres.enums import SiteKind
from common.admin import DirectoryAdmin
from hospitals.models import Hospital


@admin.register(Hospital)
class HospitalAdmin(DirectoryAdmin):
    list_display = [
        "name",
        "short_name",
        "city",
        "region",
        "finess",
        "reference_sites",
        "competence_centres",
    ]
    list_filter = ["region"]
    search_fields = ["name", "short_name", "city", "postcode", "finess", "slug"]
    prepopulated_fields = {"slug": ["short_name"]}
    readonly_fields = ["add_site_links"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "finess", "website"]}),
        (
            _("Localisation"),
            {
                "fields": [
                    "address",
                    "postcode",
                    "city",
                    "department",
                    "region",
                    ("latitude", "longitude"),
                    "coordinates_note",
                ]
            },
        ),
        (
            _("Totaux publiés par l'établissement"),
            {
                "description": _(
                    "Les nombres de centres que l'établissement annonce, avec leur source. "
                    "Ils sont affichés à côté du nombre de sites décrits dans l'annuaire."
                ),
                "fields": [
                    "published_reference_sites",
                    "published_competence_centres",
                    "published_totals_year",
                    "published_totals_source",
                    "add_site_links",
                ],
            },
        ),
        (_("Sources"), {"fields": ["sources", "notes"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                described_reference=Count("sites", filter=Q(sites__kind=SiteKind.REFERENCE)),
                described_competence=Count("sites", filter=Q(sites__kind=SiteKind.COMPETENCE)),
            )
        )

    @staticmethod
    def _against(published, described):
        if published is None:
            return described
        return f"{described} / {published}"

    @admin.display(description=_("CRMR décrits / annoncés"))
    def reference_sites(self, obj):
        return self._against(obj.published_reference_sites, obj.described_reference)

    @admin.display(description=_("CCMR décrits / annoncés"))
    def competence_centres(self, obj):
        return self._against(obj.published_competence_centres, obj.described_competence)

    @admin.display(description=_("Compléter l'annuaire"))
    def add_site_links(self, obj):
        if not obj or not obj.pk:
            return "—"
        url = reverse("admin:centres_site_add")
        return format_html(
            '<a href="{}?hospital={}&amp;kind={}">{}</a> · '
            '<a href="{}?hospital={}&amp;kind={}">{}</a>',
            url,
            obj.pk,
            SiteKind.REFERENCE,
            _("Ajouter un site de centre de référence"),
            url,
            obj.pk,
            SiteKind.COMPETENCE,
            _("Ajouter un centre de compétences"),
        )
