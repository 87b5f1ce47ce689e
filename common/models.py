from django.db import models
from django.utils.translation import gettext_lazy as _


class SourcedModel(models.Model):
    """Reference data that must say where it comes from.

    `sources` holds one URL per line: every fact shown to the public should be
    traceable to one of them. `notes` keeps the caveats found while sourcing
    (uncertain role, old date, weak source...), which the public pages display.
    """

    sources = models.TextField(
        _("sources"), blank=True, help_text=_("Une adresse (URL) de source par ligne.")
    )
    notes = models.TextField(
        _("remarques sur les sources"),
        blank=True,
        help_text=_("Incertitudes, déductions, dates anciennes : affichées au public."),
    )

    class Meta:
        abstract = True

    @property
    def source_urls(self) -> list[str]:
        return [line.strip() for line in self.sources.splitlines() if line.strip()]
