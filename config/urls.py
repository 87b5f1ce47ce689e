from django.contrib import admin
from django.contrib.auth import views as auth_views
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
    # The link sent when an access request is approved (Django's password reset).
    path(
        "compte/mot-de-passe/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(title=_("Choisissez votre mot de passe")),
        name="password_reset_confirm",
    ),
    path(
        "compte/mot-de-passe/enregistre/",
        auth_views.PasswordResetCompleteView.as_view(title=_("Mot de passe enregistré")),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
]
