from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import EmailMultiAlternatives
from django.template import loader


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
