"""French administrative geography that every app shares: the regions, and what a
postcode is.

A French postcode is five digits. Corsica's are 20000 to 20620: "2A" and "2B" are
its two *département* codes (used in INSEE and FINESS numbers), never part of a
postcode. The same rule checks models (a database constraint), the CSV import and
the "near me" search.
"""

import re

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

POSTCODE_REGEX = r"^[0-9]{5}$"
_POSTCODE = re.compile(POSTCODE_REGEX, re.ASCII)
POSTCODE_MESSAGE = _("Le code postal compte 5 chiffres.")

validate_postcode = RegexValidator(POSTCODE_REGEX, POSTCODE_MESSAGE, code="invalid_postcode")


def is_postcode(value: str) -> bool:
    """Whether `value` (surrounding spaces ignored) is a postcode: "51092", not "2A004"."""
    return bool(_POSTCODE.match((value or "").strip()))


def postcode_constraint(name: str) -> models.CheckConstraint:
    """`postcode` is empty or a French postcode."""
    return models.CheckConstraint(
        condition=Q(postcode="") | Q(postcode__regex=POSTCODE_REGEX),
        name=name,
        violation_error_message=POSTCODE_MESSAGE,
    )


class Region(models.TextChoices):
    """The 18 current French regions (2016), keyed by their INSEE code."""

    GUADELOUPE = "01", _("Guadeloupe")
    MARTINIQUE = "02", _("Martinique")
    GUYANE = "03", _("Guyane")
    LA_REUNION = "04", _("La Réunion")
    MAYOTTE = "06", _("Mayotte")
    ILE_DE_FRANCE = "11", _("Île-de-France")
    CENTRE_VAL_DE_LOIRE = "24", _("Centre-Val de Loire")
    BOURGOGNE_FRANCHE_COMTE = "27", _("Bourgogne-Franche-Comté")
    NORMANDIE = "28", _("Normandie")
    HAUTS_DE_FRANCE = "32", _("Hauts-de-France")
    GRAND_EST = "44", _("Grand Est")
    PAYS_DE_LA_LOIRE = "52", _("Pays de la Loire")
    BRETAGNE = "53", _("Bretagne")
    NOUVELLE_AQUITAINE = "75", _("Nouvelle-Aquitaine")
    OCCITANIE = "76", _("Occitanie")
    AUVERGNE_RHONE_ALPES = "84", _("Auvergne-Rhône-Alpes")
    PROVENCE_ALPES_COTE_D_AZUR = "93", _("Provence-Alpes-Côte d'Azur")
    CORSE = "94", _("Corse")
