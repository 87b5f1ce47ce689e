import uuid

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

_WEB_URL = URLValidator(schemes=["http", "https"])


def _is_web_url(value: str) -> bool:
    try:
        _WEB_URL(value)
    except ValidationError:
        return False
    return True


class NaturalKeyQuerySet(models.QuerySet):
    """`get_by_natural_key` for a `NaturalKeyModel`: fixtures and the loaders find rows
    by their natural key (a slug, an ORPHA code...) rather than by database id."""

    def get_by_natural_key(self, *values):
        return self.get(**dict(zip(self.model.natural_key_fields, values, strict=True)))


class NaturalKeyModel(models.Model):
    """A model identified by `natural_key_fields`: lookups such as "slug", or
    "centre__slug" through a foreign key. `natural_key_dependencies` lists the models
    whose natural keys a fixture of this one refers to (serialisation order)."""

    natural_key_fields: tuple[str, ...] = ("slug",)
    natural_key_dependencies: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        dependencies = cls.__dict__.get("natural_key_dependencies")
        if dependencies:
            # Django's serialisers read the dependencies off the method itself.
            def natural_key(self):
                return NaturalKeyModel.natural_key(self)

            natural_key.dependencies = list(dependencies)
            cls.natural_key = natural_key

    def natural_key(self):
        return tuple(_follow(self, path) for path in self.natural_key_fields)


def _follow(obj, path: str):
    for name in path.split("__"):
        obj = getattr(obj, name)
    return obj


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

    def clean(self):
        super().clean()
        bad = [line for line in self._source_lines() if not _is_web_url(line)]
        if bad:
            raise ValidationError(
                {
                    "sources": _(
                        "Chaque ligne doit être une adresse web (http:// ou https://) : %(lines)s"
                    )
                    % {"lines": ", ".join(bad[:3])}
                }
            )

    def _source_lines(self) -> list[str]:
        return [line.strip() for line in self.sources.splitlines() if line.strip()]

    @property
    def source_urls(self) -> list[str]:
        """The http(s) sources only: they are shown as links, so nothing else (such
        as a javascript: URL) may become one."""
        return [line for line in self._source_lines() if _is_web_url(line)]


def stable_id_field():
    """The identifier re-users keep (open data files, API): made once, at creation, and
    never changed by a rename or a new slug (slugs change, and old ones redirect)."""
    return models.UUIDField(
        _("identifiant stable"),
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("Identifiant public des fichiers de données ouvertes et de l'API."),
    )


def coordinates_constraint(name: str) -> models.CheckConstraint:
    """`latitude` and `longitude` are both empty, or both set to valid degrees."""
    return models.CheckConstraint(
        condition=(
            Q(latitude__isnull=True, longitude__isnull=True)
            | Q(
                latitude__isnull=False,
                longitude__isnull=False,
                latitude__gte=-90,
                latitude__lte=90,
                longitude__gte=-180,
                longitude__lte=180,
            )
        ),
        name=name,
        violation_error_message=_(
            "Indiquez la latitude et la longitude ensemble, en degrés décimaux valides."
        ),
    )


def phone_uri(phone: str) -> str:
    """A `tel:` link for a published phone number ("03 26 78 78 78" -> "tel:0326787878")."""
    digits = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    if len(digits) == 11 and digits.startswith("33"):
        # Published without its "+" ("33 1 42 16 00 00"): the international form.
        digits = "+" + digits
    return f"tel:{digits}" if digits else ""


class DataVersion(models.Model):
    """How many times a set of reference data (the Orphanet nomenclature...) has been
    (re)loaded. A process that keeps such data in memory compares its copy's version
    with this row (see `common.versions`), so that a reload made by one process or
    command reaches every worker without a restart."""

    name = models.SlugField(_("données"), max_length=40, unique=True)
    version = models.PositiveBigIntegerField(_("version"), default=0)
    changed_at = models.DateTimeField(_("modifiées le"), auto_now=True)

    class Meta:
        verbose_name = _("version des données de référence")
        verbose_name_plural = _("versions des données de référence")

    def __str__(self):
        return f"{self.name} v{self.version}"
