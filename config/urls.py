from django.contrib import admin
from django.urls import include, path

from centres.views import global_search, home

admin.site.site_header = "Annuaire des centres maladies rares — administration"
admin.site.site_title = "Annuaire maladies rares"

urlpatterns = [
    path("", home, name="home"),
    path("recherche/", global_search, name="search"),
    path("centres/", include("centres.urls")),
    path("hopitaux/", include("hospitals.urls")),
    path("filieres/", include("filieres.urls")),
    path("maladies/", include("diseases.urls")),
    path("admin/", admin.site.urls),
]
