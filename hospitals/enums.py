from django.db import models
from django.utils.translation import gettext_lazy as _


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


class MembershipRole(models.TextChoices):
    EDITOR = "editeur", _("éditeur (modifie les sites de l'établissement)")
    ADMIN = "administrateur", _("administrateur (gère aussi les éditeurs)")


class AccessRequestStatus(models.TextChoices):
    PENDING = "en-attente", _("en attente")
    APPROVED = "approuvee", _("approuvée")
    REFUSED = "refusee", _("refusée")
