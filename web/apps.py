from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The public site: every public page's view, URL, form and template."""

    name = "web"
    verbose_name = _("Site public")
