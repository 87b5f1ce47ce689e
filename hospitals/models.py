from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import SourcedModel, coordinates_constraint, phone_uri, postcode_constraint
from hospitals.enums import MembershipRole, Region


class HospitalManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Hospital(SourcedModel):
    """A health establishment hosting labelled rare-disease sites.

    Besides the sites described in this directory, a hospital carries the totals it
    *publishes* (e.g. "3 centres de référence et 48 centres de compétences"), with
    their source and year, so the public can see how much of it is described here.
    """

    name = models.CharField(_("nom complet"), max_length=255)
    short_name = models.CharField(
        _("nom court"), max_length=120, blank=True, help_text=_("Par exemple « CHU de Reims ».")
    )
    slug = models.SlugField(_("identifiant d'URL"), max_length=140, unique=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    city = models.CharField(_("ville"), max_length=120, blank=True)
    department = models.CharField(
        _("département"), max_length=3, blank=True, help_text=_("Code INSEE, par exemple 51.")
    )
    region = models.CharField(_("région"), max_length=2, choices=Region.choices, blank=True)
    website = models.URLField(_("site web"), max_length=300, blank=True)
    switchboard_phone = models.CharField(
        _("standard téléphonique"),
        max_length=40,
        blank=True,
        help_text=_(
            "Le numéro général de l'établissement, tel que publié ; jamais celui d'un centre."
        ),
    )
    finess = models.CharField(
        _("numéro FINESS"),
        max_length=9,
        unique=True,
        null=True,
        blank=True,
        help_text=_("9 caractères, laissé vide tant qu'une source officielle ne le donne pas."),
    )
    finess_legal = models.CharField(
        _("FINESS juridique"),
        max_length=9,
        blank=True,
        help_text=_(
            "Numéro FINESS de l'entité juridique (commun à tous les hôpitaux d'un groupe "
            "comme l'AP-HP), tel que publié par une source officielle."
        ),
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    coordinates_note = models.CharField(_("origine des coordonnées"), max_length=255, blank=True)
    published_reference_sites = models.PositiveSmallIntegerField(
        _("centres de référence annoncés"),
        null=True,
        blank=True,
        help_text=_("Nombre de sites de centres de référence que l'établissement publie."),
    )
    published_competence_centres = models.PositiveSmallIntegerField(
        _("centres de compétences annoncés"),
        null=True,
        blank=True,
        help_text=_("Nombre de centres de compétences que l'établissement publie."),
    )
    published_totals_year = models.PositiveSmallIntegerField(
        _("année décrite par les totaux"), null=True, blank=True
    )
    published_totals_source = models.URLField(_("source des totaux"), max_length=500, blank=True)

    objects = HospitalManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("établissement")
        verbose_name_plural = _("établissements")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(finess__isnull=True) | Q(finess__regex=r"^[0-9][0-9AB][0-9]{7}$"),
                name="hospitals_hospital_finess_format",
                violation_error_message=_(
                    "Le numéro FINESS compte 9 caractères : 9 chiffres (2A ou 2B en Corse)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(finess_legal="") | Q(finess_legal__regex=r"^[0-9][0-9AB][0-9]{7}$"),
                name="hospitals_hospital_finess_legal_format",
                violation_error_message=_(
                    "Le numéro FINESS compte 9 caractères : 9 chiffres (2A ou 2B en Corse)."
                ),
            ),
            postcode_constraint("hospitals_hospital_postcode_format"),
            coordinates_constraint("hospitals_hospital_coordinates_pair"),
            models.CheckConstraint(
                condition=(
                    (
                        Q(published_reference_sites__isnull=True)
                        & Q(published_competence_centres__isnull=True)
                    )
                    | ~Q(published_totals_source="")
                ),
                name="hospitals_hospital_totals_sourced",
                violation_error_message=_("Un total publié doit indiquer sa source."),
            ),
        ]

    def __str__(self):
        return self.short_name or self.name

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("hospitals:detail", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        # An empty FINESS is "unknown", stored as NULL so that uniqueness applies only
        # to real numbers.
        self.finess = (self.finess or "").strip().upper() or None
        super().save(*args, **kwargs)

    @property
    def switchboard_uri(self) -> str:
        return phone_uri(self.switchboard_phone)

    @property
    def has_published_totals(self) -> bool:
        return (
            self.published_reference_sites is not None
            or self.published_competence_centres is not None
        )


class HospitalMembership(models.Model):
    """A staff user who keeps a hospital's records: an editor edits its sites, an
    administrator also manages its editors."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="hospital_memberships",
        verbose_name=_("utilisateur"),
    )
    hospital = models.ForeignKey(
        Hospital,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("établissement"),
    )
    role = models.CharField(
        _("rôle"), max_length=16, choices=MembershipRole.choices, default=MembershipRole.EDITOR
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("accès à un établissement")
        verbose_name_plural = _("accès aux établissements")
        ordering = ["hospital__name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "hospital"],
                name="hospitals_membership_one_per_user_and_hospital",
                violation_error_message=_("Cet utilisateur a déjà un accès à cet établissement."),
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.hospital} ({self.get_role_display()})"

    def get_absolute_url(self):
        return self.hospital.get_absolute_url()
