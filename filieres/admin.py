from django.contrib import admin

from common.admin import HistoryAdmin, ReferenceDataAdmin
from filieres.models import Filiere


@admin.register(Filiere)
class FiliereAdmin(HistoryAdmin, ReferenceDataAdmin):
    list_display = ["acronym", "name", "website", "coordinating_hospital"]
    list_select_related = ["coordinating_hospital"]
    search_fields = ["acronym", "name", "disease_area", "slug"]
    prepopulated_fields = {"slug": ["acronym"]}
    autocomplete_fields = ["coordinating_hospital"]
