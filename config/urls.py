from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from centres.views import global_search, home
from hospitals.dashboard import dashboard

admin.site.site_header = _("Annuaire des centres maladies rares — administration")
admin.site.site_title = _("Annuaire maladies rares")
admin.site.index_template = "admin/directory_index.html"

urlpatterns = [
    path("", home, name="home"),
    path("recherche/", global_search, name="search"),
    path("centres/", include("centres.urls")),
    path("hopitaux/", include("hospitals.urls")),
    path("filieres/", include("filieres.urls")),
    path("maladies/", include("diseases.urls")),
    path("admin/tableau-de-bord/", dashboard, name="staff-dashboard"),
    path("admin/", admin.site.urls),
]
