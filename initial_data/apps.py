from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitialDataConfig(AppConfig):
    """`load_initial_data`: loads the sourced reference data of fixtures/ into every
    domain app, in order. It sits above the apps it loads."""

    name = "initial_data"
    verbose_name = _("Données initiales")
