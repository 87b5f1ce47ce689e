from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from common.admin import ReferenceDataAdmin
from filieres.models import Filiere


@admin.register(Filiere)
class FiliereAdmin(SimpleHistoryAdmin, ReferenceDataAdmin):
    list_display = ["acronym", "name", "website", "coordinating_hospital"]
    list_select_related = ["coordinating_hospital"]
    search_fields = ["acronym", "name", "disease_area", "slug"]
    prepopulated_fields = {"slug": ["acronym"]}
    autocomplete_fields = ["coordinating_hospital"]
