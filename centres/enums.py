from django.db import models
from django.utils.translation import gettext_lazy as _


class SiteKind(models.TextChoices):
    """What the ministry labelled the site as."""

    REFERENCE = "reference", _("centre de référence (CRMR)")
    COMPETENCE = "competence", _("centre de compétences (CCMR)")
    CRC = "crc", _("centre de ressources et de compétences (CRC)")
    # The sources name the site as part of a centre without saying which label it has.
    UNKNOWN = "inconnu", _("type non précisé par la source")


class SiteRole(models.TextChoices):
    """Role of a reference-centre (CRMR) site inside its centre."""

    COORDINATING = "coordonnateur", _("site coordonnateur")
    CONSTITUTIVE = "constitutif", _("site constitutif")


class AgeGroup(models.TextChoices):
    CHILDREN = "enfants", _("enfants")
    ADULTS = "adultes", _("adultes")
    BOTH = "enfants-adultes", _("enfants et adultes")


class ReportReason(models.TextChoices):
    PHONE = "telephone", _("téléphone erroné")
    EMAIL = "courriel", _("courriel erroné")
    ADDRESS = "adresse", _("adresse erronée")
    MOVED = "demenage-ferme", _("le centre a déménagé ou fermé")
    LABEL = "label", _("label ou type de centre erroné")
    OTHER = "autre", _("autre")


class ReportStatus(models.TextChoices):
    NEW = "nouveau", _("nouveau")
    IN_PROGRESS = "en-cours", _("en cours")
    FIXED = "corrige", _("corrigé")
    REJECTED = "rejete", _("rejeté")


class CountScope(models.TextChoices):
    """What a published total of labelled sites counts."""

    NATIONAL = "national", _("national")
    FILIERE = "filiere", _("filière")
    CENTRE = "centre", _("centre de référence")
