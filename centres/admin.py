from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from centres.models import ReferenceCentre, Site
from common.admin import DirectoryAdmin
from hospitals.enums import Region


class SiteRegionFilter(admin.SimpleListFilter):
    title = _("région")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        return Region.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.in_region(self.value())
        return queryset


class SiteInline(admin.TabularInline):
    model = Site
    fields = ["kind", "role", "hospital", "city", "is_published"]
    autocomplete_fields = ["hospital"]
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("hospital")

    def has_add_permission(self, request, obj=None):
        # A site needs a slug and its sources: add it from the site form.
        return False


@admin.register(ReferenceCentre)
class ReferenceCentreAdmin(DirectoryAdmin):
    list_display = ["name", "acronym", "filiere", "label_period"]
    list_filter = ["filiere"]
    list_select_related = ["filiere"]
    search_fields = ["name", "acronym", "slug", "filiere__acronym"]
    prepopulated_fields = {"slug": ["acronym", "name"]}
    autocomplete_fields = ["filiere", "disease_groups"]
    inlines = [SiteInline]


@admin.register(Site)
class SiteAdmin(DirectoryAdmin):
    list_display = [
        "__str__",
        "kind",
        "role",
        "filiere",
        "hospital",
        "city",
        "is_published",
        "verified_on",
    ]
    list_filter = [
        "kind",
        "role",
        "is_published",
        "age_group",
        SiteRegionFilter,
        ("centre__filiere", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["centre__filiere", "hospital"]
    search_fields = [
        "name",
        "slug",
        "centre__name",
        "centre__acronym",
        "hospital__name",
        "hospital__short_name",
        "hospital__finess",
        "hospital__postcode",
        "city",
        "postcode",
        "service",
        "head",
    ]
    autocomplete_fields = ["centre", "hospital"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["centre", "kind", "role", "hospital", "name", "slug", "is_published"]}),
        (_("Service et contacts"), {"fields": ["service", "head", "phone", "email", "website"]}),
        (
            _("Adresse propre au site"),
            {
                "description": _(
                    "À remplir seulement si elle diffère de celle de l'établissement, "
                    "ou si l'établissement n'est pas connu."
                ),
                "fields": ["address", "postcode", "city", "region"],
            },
        ),
        (
            _("Patients et labellisation"),
            {"fields": ["age_group", "age_note", "label_period", "label_year"]},
        ),
        (_("Sources et vérification"), {"fields": ["sources", "notes", "verified_on"]}),
        (_("Suivi"), {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(description=_("filière"), ordering="centre__filiere__acronym")
    def filiere(self, obj):
        return obj.centre.filiere or "—"
