from django.db import models
from django.utils.translation import gettext_lazy as _


class MembershipRole(models.TextChoices):
    EDITOR = "editeur", _("éditeur (modifie les sites de l'établissement)")
    ADMIN = "administrateur", _("administrateur (gère aussi les éditeurs)")


class AccessRequestStatus(models.TextChoices):
    PENDING = "en-attente", _("en attente")
    APPROVED = "approuvee", _("approuvée")
    REFUSED = "refusee", _("refusée")
