from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path
from django.utils.translation import gettext_lazy as _

from staff.dashboard import dashboard

urlpatterns = [
    # Through admin_view, as the admin's own pages: staff only (others go to the
    # admin login), never cached, CSRF-protected.
    path("admin/tableau-de-bord/", admin.site.admin_view(dashboard), name="staff-dashboard"),
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
