from django import forms
from django.utils.translation import gettext_lazy as _

from centres.models import ErrorReport
from communes.places import resolve_place

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
        widgets = {"message": forms.Textarea(attrs={"rows": 4, "maxlength": 2000})}

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))
