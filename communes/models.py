from django.db import models
from django.utils.translation import gettext_lazy as _

from common.france import Region
from common.models import NaturalKeyModel, NaturalKeyQuerySet


class CommuneQuerySet(NaturalKeyQuerySet):
    def with_postcode(self, postcode: str):
        # `postcodes` is a space-separated list of 5-character codes, so a 5-character
        # code can only match a whole code.
        return self.filter(postcodes__contains=postcode)


class Commune(NaturalKeyModel):
    """A French commune or municipal arrondissement, with the coordinates of its town
    hall (INSEE COG, La Poste postcodes; Licence Ouverte). Used to place "near me"."""

    insee = models.CharField(_("code INSEE"), max_length=5, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    search_name = models.CharField(_("forme de recherche"), max_length=120, db_index=True)
    postcodes = models.CharField(_("codes postaux"), max_length=400, blank=True)
    department = models.CharField(_("département"), max_length=3, db_index=True)
    region = models.CharField(_("région"), max_length=2, choices=Region.choices, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    natural_key_fields = ("insee",)
    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.department})"

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None
