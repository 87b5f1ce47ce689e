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


def postcode_constraint(name: str) -> models.CheckConstraint:
    """`postcode` is empty or a French postcode (5 digits; 2A/2B in Corsica)."""
    return models.CheckConstraint(
        condition=Q(postcode="") | Q(postcode__regex=r"^[0-9][0-9AB][0-9]{3}$"),
        name=name,
        violation_error_message=_("Le code postal compte 5 chiffres."),
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
