import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.france import Region, postcode_constraint
from common.models import (
    NaturalKeyModel,
    NaturalKeyQuerySet,
    SourcedModel,
    coordinates_constraint,
    phone_uri,
    stable_id_field,
)
from hospitals.enums import AccessRequestStatus, MembershipRole

# The fields that place a hospital's sites on the map (communes.places): its sites
# are placed again when one changes.
PLACING_FIELDS = ("latitude", "longitude", "city", "department", "region")


class Hospital(NaturalKeyModel, SourcedModel):
    """A health establishment hosting labelled rare-disease sites.

    Besides the sites described in this directory, a hospital carries the totals it
    *publishes* (e.g. "3 centres de référence et 48 centres de compétences"), with
    their source and year, so the public can see how much of it is described here.
    """

    uid = stable_id_field()
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

    natural_key_fields = ("slug",)
    objects = NaturalKeyQuerySet.as_manager()
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

    def get_absolute_url(self):
        return reverse("hospitals:detail", kwargs={"slug": self.slug})

    @classmethod
    def from_db(cls, db, field_names, values):
        hospital = super().from_db(db, field_names, values)
        hospital._saved_placing = hospital._placing()
        return hospital

    def _placing(self) -> tuple:
        """What places this hospital's sites on the map (see communes.places): None
        for a field not loaded."""
        return tuple(self.__dict__.get(name) for name in PLACING_FIELDS)

    def save(self, *args, **kwargs):
        # An empty FINESS is "unknown", stored as NULL so that uniqueness applies only
        # to real numbers.
        self.finess = (self.finess or "").strip().upper() or None
        # Read by the receiver that places the hospital's sites again (centres.models),
        # after the save: True when the coordinates, town, département or région changed.
        self.placing_changed = self._placing() != getattr(self, "_saved_placing", None)
        super().save(*args, **kwargs)
        self._saved_placing = self._placing()

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

    def save(self, *args, **kwargs):
        # An access is to the admin: without `is_staff` the user could not log in to
        # it. Whoever grants it (the admin's forms, grant_hospital_access, an approved
        # access request), the user is made staff in the same transaction.
        with transaction.atomic():
            super().save(*args, **kwargs)
            if not self.user.is_staff:
                self.user.is_staff = True
                self.user.save(update_fields=["is_staff"])

    def get_absolute_url(self):
        return self.hospital.get_absolute_url()


class AccessRequestError(Exception):
    """An access request cannot be decided as asked (already decided, ambiguous or
    deactivated account); the message says why, in French, for the admin."""


class AccessRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=AccessRequestStatus.PENDING)


class AccessRequest(models.Model):
    """Someone working in a hospital asks, from the public site, to keep its records.
    Nothing is granted until one of the hospital's administrators (or a superuser)
    approves; approval gives an editor access (see `approve`)."""

    full_name = models.CharField(_("nom et prénom"), max_length=150)
    email = models.EmailField(
        _("courriel professionnel"),
        help_text=_("L'adresse à laquelle le lien de création du mot de passe sera envoyé."),
    )
    hospital = models.ForeignKey(
        Hospital,
        on_delete=models.CASCADE,
        related_name="access_requests",
        verbose_name=_("établissement"),
    )
    job_title = models.CharField(
        _("fonction"), max_length=150, help_text=_("Par exemple « secrétaire du centre ».")
    )
    message = models.TextField(_("message"), max_length=2000, blank=True)
    status = models.CharField(
        _("statut"),
        max_length=12,
        choices=AccessRequestStatus.choices,
        default=AccessRequestStatus.PENDING,
    )
    # PROTECT: who decided is part of the record; deactivate such accounts rather
    # than delete them.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décidée par"),
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_requests",
        verbose_name=_("compte"),
        help_text=_("Le compte créé ou rattaché à l'approbation."),
    )
    created_at = models.DateTimeField(_("reçue le"), auto_now_add=True)

    objects = AccessRequestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("demande d'accès")
        verbose_name_plural = _("demandes d'accès")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(status=AccessRequestStatus.PENDING)
                    & Q(decided_by__isnull=True)
                    & Q(decided_at__isnull=True)
                )
                | (
                    ~Q(status=AccessRequestStatus.PENDING)
                    & Q(decided_by__isnull=False)
                    & Q(decided_at__isnull=False)
                ),
                name="hospitals_accessrequest_decided_by_and_at",
                violation_error_message=_(
                    "Une demande décidée indique qui l'a décidée et quand ; "
                    "une demande en attente, non."
                ),
            ),
            models.UniqueConstraint(
                Lower("email"),
                "hospital",
                condition=Q(status=AccessRequestStatus.PENDING),
                name="hospitals_accessrequest_one_pending_per_email_and_hospital",
                violation_error_message=_(
                    "Une demande pour cette adresse et cet établissement est déjà en attente."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.full_name} <{self.email}> — {self.hospital}"

    def get_absolute_url(self):
        return self.hospital.get_absolute_url()

    @property
    def is_pending(self) -> bool:
        return self.status == AccessRequestStatus.PENDING

    def approve(self, by):
        """Give the requester an editor access to the hospital: their account (found
        by e-mail, case-insensitively) or a new one without a password, made staff.
        Returns the account; the caller sends the password-setting link."""
        with transaction.atomic():
            self._lock_pending()
            user_model = get_user_model()
            matches = list(user_model.objects.filter(email__iexact=self.email)[:2])
            if len(matches) > 1:
                raise AccessRequestError(
                    _(
                        "Plusieurs comptes utilisent l'adresse %(email)s : "
                        "demandez à l'équipe de l'annuaire de rattacher le bon."
                    )
                    % {"email": self.email}
                )
            if matches:
                user = matches[0]
                if not user.is_active:
                    raise AccessRequestError(
                        _(
                            "Le compte %(username)s (%(email)s) est désactivé : seule "
                            "l'équipe de l'annuaire peut le réactiver."
                        )
                        % {"username": user.get_username(), "email": self.email}
                    )
                if not user.is_staff:
                    user.is_staff = True
                    user.save(update_fields=["is_staff"])
            else:
                first_name, _sep, last_name = self.full_name.partition(" ")
                user = user_model.objects.create_user(
                    username=_free_username(self.email),
                    email=self.email,
                    password=None,  # unusable until they set theirs
                    first_name=first_name[:150],
                    last_name=last_name[:150],
                    is_staff=True,
                )
            HospitalMembership.objects.get_or_create(
                user=user, hospital=self.hospital, defaults={"role": MembershipRole.EDITOR}
            )
            self._decide(AccessRequestStatus.APPROVED, by, account=user)
        return user

    def refuse(self, by):
        with transaction.atomic():
            self._lock_pending()
            self._decide(AccessRequestStatus.REFUSED, by)

    def _lock_pending(self):
        # Locked until the end of the transaction (PostgreSQL): two admins clicking
        # at the same time decide once.
        status = (
            AccessRequest.objects.select_for_update()
            .filter(pk=self.pk)
            .values_list("status", flat=True)
            .first()
        )
        if status != AccessRequestStatus.PENDING:
            raise AccessRequestError(_("Cette demande a déjà été traitée."))

    def _decide(self, status, by, account=None):
        self.status = status
        self.decided_by = by
        self.decided_at = timezone.now()
        if account is not None:
            self.account = account
        self.save()  # a history record, with the user (HistoryRequestMiddleware)


def _free_username(email: str) -> str:
    """A username made from the e-mail address, with a number added if taken."""
    user_model = get_user_model()
    base = re.sub(r"[^\w.@+-]", "-", email.lower())[:140]
    username, n = base, 1
    while user_model.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username
