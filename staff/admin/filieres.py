from django.contrib import admin

from filieres.models import Filiere
from staff.admin.base import HistoryAdmin, ReferenceDataAdmin


@admin.register(Filiere)
class FiliereAdmin(HistoryAdmin, ReferenceDataAdmin):
    list_display = ["acronym", "name", "website", "coordinating_hospital"]
    list_select_related = ["coordinating_hospital"]
    search_fields = ["acronym", "name", "disease_area", "slug"]
    prepopulated_fields = {"slug": ["acronym"]}
    autocomplete_fields = ["coordinating_hospital"]
