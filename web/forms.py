"""The forms of the public pages."""

from django import forms
from django.contrib.auth.base_user import BaseUserManager
from django.utils.translation import gettext_lazy as _

from centres.models import ErrorReport
from communes.places import resolve_place
from diseases.search import MAX_QUERY_LENGTH
from hospitals.models import AccessRequest, Hospital

MAX_RADIUS_KM = 1000


class NearForm(forms.Form):
    """`?pres_de=<postcode or town>&rayon=<km>`: sort sites by distance to a place."""

    pres_de = forms.CharField(
        label=_("Près de"),
        required=False,
        max_length=100,
        help_text=_("Code postal ou commune, par exemple 51100 ou Montpellier."),
    )
    rayon = forms.IntegerField(
        label=_("Dans un rayon de (km)"),
        required=False,
        min_value=1,
        max_value=MAX_RADIUS_KM,
    )

    def clean(self):
        cleaned = super().clean()
        self.lookup = None
        if cleaned.get("pres_de"):
            self.lookup = resolve_place(cleaned["pres_de"])
            if self.lookup.error:
                self.add_error("pres_de", self.lookup.error)
            elif self.lookup.place is None:
                # Never sort silently without a place.
                self.add_error("pres_de", _("Impossible de situer ce lieu."))
        elif cleaned.get("rayon"):
            self.add_error("rayon", _("Indiquez un lieu pour chercher dans un rayon."))
        return cleaned

    @property
    def place(self):
        return self.lookup.place if self.is_valid() and self.lookup else None

    @property
    def choices(self):
        lookup = getattr(self, "lookup", None)
        return lookup.choices if lookup else []


class ErrorReportForm(forms.ModelForm):
    """ "Signaler une erreur" on a public site page. `website` is a honeypot: hidden
    from people (and from screen readers), filled in by bots."""

    website = forms.CharField(required=False, label=_("Ne pas remplir ce champ"))

    class Meta:
        model = ErrorReport
        fields = ["reason", "message", "reply_email"]
        widgets = {
            "message": forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
            "reply_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        help_texts = {
            "message": _(
                "Ce qui est faux, et la bonne information si vous la connaissez. "
                "N'écrivez rien sur votre santé ou celle d'un proche."
            ),
        }

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class DiseaseSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Maladie, synonyme ou code ORPHA"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        help_text=_("Par exemple : mucoviscidose, CMT, Rendu-Osler, ORPHA:586."),
    )


DUPLICATE_MESSAGE = _(
    "Une demande pour cette adresse et cet établissement est déjà en attente : "
    "l'équipe de l'établissement y répondra. Inutile de la renvoyer."
)


class AccessRequestForm(forms.ModelForm):
    """ "Demander un accès" on a hospital's public page. `website` is a honeypot:
    hidden from people (and from screen readers), filled in by bots."""

    website = forms.CharField(required=False, label=_("Ne pas remplir ce champ"))

    class Meta:
        model = AccessRequest
        fields = ["full_name", "email", "hospital", "job_title", "message"]
        labels = {
            "full_name": _("Votre nom et prénom"),
            "email": _("Votre courriel professionnel"),
            "job_title": _("Votre fonction"),
        }
        help_texts = {
            "email": _(
                "De préférence l'adresse fournie par votre établissement : la personne qui "
                "valide les demandes la vérifie. Le lien pour choisir votre mot de passe y "
                "sera envoyé."
            ),
            "job_title": _("Par exemple « secrétaire du centre » ou « médecin coordonnateur »."),
            "message": _("Les centres que vous souhaitez décrire ou mettre à jour, par exemple."),
        }
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "job_title": forms.TextInput(attrs={"autocomplete": "organization-title"}),
            "message": forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hospital"].queryset = Hospital.objects.order_by("name")
        self.fields["hospital"].empty_label = None

    def _one_line(self, name):
        # Line breaks pasted into a one-line field would break the e-mails' layout.
        return " ".join(self.cleaned_data[name].split())

    def clean_full_name(self):
        return self._one_line("full_name")

    def clean_job_title(self):
        return self._one_line("job_title")

    def clean_email(self):
        # As accounts store it: the domain in lower case.
        return BaseUserManager.normalize_email(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        email, hospital = cleaned.get("email"), cleaned.get("hospital")
        pending = AccessRequest.objects.pending()
        if (
            email
            and hospital
            and not self.is_spam
            and pending.filter(email__iexact=email, hospital=hospital).exists()
        ):
            raise forms.ValidationError(DUPLICATE_MESSAGE, code="duplicate")
        return cleaned

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))
