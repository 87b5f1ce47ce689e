from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import NaturalKeyModel, NaturalKeyQuerySet, SourcedModel


class Filiere(NaturalKeyModel, SourcedModel):
    """One of the 23 filières de santé maladies rares (FSMR)."""

    acronym = models.CharField(_("acronyme"), max_length=30, unique=True)
    name = models.CharField(_("nom"), max_length=255)
    slug = models.SlugField(_("identifiant d'URL"), max_length=40, unique=True)
    disease_area = models.TextField(_("domaine de maladies"), blank=True)
    website = models.URLField(_("site web"), max_length=300, blank=True)
    coordinating_hospital = models.ForeignKey(
        "hospitals.Hospital",
        verbose_name=_("établissement coordonnateur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_filieres",
    )
    coordinating_institution = models.CharField(
        _("établissement coordonnateur (tel que publié)"), max_length=255, blank=True
    )
    coordinator = models.CharField(_("coordonnateur (tel que publié)"), max_length=255, blank=True)
    founded = models.CharField(_("création"), max_length=60, blank=True)

    natural_key_fields = ("slug",)
    natural_key_dependencies = ("hospitals.hospital",)
    objects = NaturalKeyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("filière")
        verbose_name_plural = _("filières")
        ordering = ["acronym"]

    def __str__(self):
        return self.acronym

    def get_absolute_url(self):
        return reverse("filieres:detail", kwargs={"slug": self.slug})

    @property
    def full_name(self) -> str:
        """The name, without the acronym it often repeats ("FILNEMUS - Filière ...")."""
        prefix = self.acronym.casefold()
        name = self.name
        if name.casefold().startswith(prefix):
            name = name[len(prefix) :].lstrip(" -–—:")
        return name or self.name
