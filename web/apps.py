from django.apps import AppConfig, apps
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

# The apps whose data the public pages show, and their models that no public page
# shows (reports, access requests and memberships are for staff only).
PUBLIC_APPS = {"centres", "hospitals", "filieres", "diseases", "communes"}
NOT_PUBLIC = {"centres.errorreport", "hospitals.accessrequest", "hospitals.hospitalmembership"}


def public_data_changed(sender, **kwargs):
    """Any saved or deleted public record: the cached pages are stale
    (web/pagecache.py). Bulk writers (the import, the loaders) bump it themselves."""
    from common.versions import PUBLIC_DATA, bump

    bump(PUBLIC_DATA)


class WebConfig(AppConfig):
    """The public site: every public page's view, URL, form and template."""

    name = "web"
    verbose_name = _("Site public")

    def ready(self):
        for model in public_models():
            uid = f"web-public-data-{model._meta.label_lower}"
            post_save.connect(public_data_changed, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(public_data_changed, sender=model, dispatch_uid=f"{uid}-delete")


def public_models():
    """The models of PUBLIC_APPS that public pages show (their history tables aside:
    a historical record is saved with the change it records)."""
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in PUBLIC_APPS
        and model._meta.label_lower not in NOT_PUBLIC
        and not model.__name__.startswith("Historical")
    ]
