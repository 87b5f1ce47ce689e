from django.contrib import admin

from diseases.models import Disease, DiseaseName, FiliereCoverage
from staff.admin.base import DirectoryAdmin


class DiseaseNameInline(admin.TabularInline):
    model = DiseaseName
    fields = ["name", "language", "is_preferred"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Disease)
class DiseaseAdmin(DirectoryAdmin):
    """The Orphanet nomenclature is reference data, reloaded by `load_orphanet`: it is
    read-only here."""

    list_display = ["orpha_code", "name", "level", "status", "descendant_count"]
    list_filter = ["level", "status"]
    search_fields = ["=orpha_code", "name", "names__search_name"]
    readonly_fields = [
        "orpha_code",
        "name",
        "disorder_type",
        "level",
        "status",
        "replaced_by",
        "descendant_count",
    ]
    inlines = [DiseaseNameInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FiliereCoverage)
class FiliereCoverageAdmin(DirectoryAdmin):
    list_display = ["filiere", "disease", "justification"]
    list_filter = ["filiere"]
    list_select_related = ["filiere", "disease"]
    search_fields = ["filiere__acronym", "disease__name", "=disease__orpha_code", "justification"]
    autocomplete_fields = ["filiere", "disease"]
