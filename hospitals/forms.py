from django import forms
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import EmailMultiAlternatives
from django.template import loader
from django.utils.translation import gettext_lazy as _

from hospitals.models import AccessRequest, Hospital

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


class PasswordSettingForm(PasswordResetForm):
    """Django's password-reset e-mail, for one account chosen by the approver: unlike
    the public reset form, it is sent to an account that has no password yet, and a
    failure to send is raised (the approver is told) rather than only logged."""

    def __init__(self, user, **kwargs):
        self.user = user
        super().__init__(data={"email": user.email}, **kwargs)

    def get_users(self, email):
        return [self.user] if self.user.is_active else []

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        EmailMultiAlternatives(subject, body, from_email, [to_email]).send()
