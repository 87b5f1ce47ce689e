"""Sending the site's notification e-mails."""

from django.core.mail import EmailMessage, get_connection


def one_line(text: str) -> str:
    """A subject on one line, whatever a name or a title in it holds."""
    return " ".join(text.split())


def send_to_each(subject: str, body: str, recipients) -> None:
    """The same e-mail to each address on its own (no address sees the others), over
    one connection. Raises what the backend raises."""
    with get_connection() as connection:
        connection.send_messages([EmailMessage(subject, body, to=[email]) for email in recipients])
