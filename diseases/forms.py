from django import forms
from django.utils.translation import gettext_lazy as _

from diseases.search import MAX_QUERY_LENGTH


class DiseaseSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Maladie, synonyme ou code ORPHA"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        help_text=_("Par exemple : mucoviscidose, CMT, Rendu-Osler, ORPHA:586."),
    )
