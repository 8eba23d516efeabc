from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from .base import Outgoing, Provider, ProviderError


class SmtpProvider(Provider):
    """E-mail through Django's e-mail backend (SMTP: EMAIL_HOST, EMAIL_PORT, … from the environment)."""

    name = "smtp"
    channels = ("email",)

    def send(self, outgoing: Outgoing) -> str:
        message_id = f"<{outgoing.reference}@rantau>"
        email = EmailMessage(
            subject=outgoing.subject,
            body=outgoing.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[outgoing.to],
            headers={"Message-ID": message_id},
            connection=get_connection(fail_silently=False),
        )
        try:
            email.send()
        except (OSError, TimeoutError) as exc:
            # smtplib's errors are OSErrors: refused connections, timeouts, 4xx answers.
            permanent = getattr(exc, "smtp_code", 0) >= 500 or hasattr(exc, "recipients")
            raise ProviderError(f"SMTP: {exc}", transient=not permanent) from exc
        return message_id
