from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    """The staff side: the admin of every model, the dashboard, the CSV import and
    the account pages (setting a password from an approved access request)."""

    name = "staff"
    verbose_name = _("Espace des équipes")

    def ready(self):
        from django.contrib import admin

        admin.site.site_header = _("Annuaire des centres maladies rares — administration")
        admin.site.site_title = _("Annuaire maladies rares")
        admin.site.index_template = "admin/directory_index.html"
