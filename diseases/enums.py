from django.db import models
from django.utils.translation import gettext_lazy as _


class DiseaseStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    OBSOLETE = "obsolete", _("obsolète")
    DEPRECATED = "deprecated", _("dépréciée")
    NON_RARE = "non-rare", _("non rare en Europe")


class DiseaseLevel(models.TextChoices):
    GROUP = "group", _("groupe de maladies")
    DISORDER = "disorder", _("maladie")
    SUBTYPE = "subtype", _("sous-type")


class NameLanguage(models.TextChoices):
    """The language of an Orphanet name (the nomenclature packs FR and EN)."""

    FRENCH = "fr", _("français")
    ENGLISH = "en", _("anglais")

    @classmethod
    def of(cls, language: str | None) -> "NameLanguage":
        """English for any English language code ("en", "en-gb"…), else French."""
        return cls.ENGLISH if (language or "").lower().startswith("en") else cls.FRENCH
