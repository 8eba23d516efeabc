from datetime import timedelta

from django.utils import timezone

from messaging.models import ContactConsent, MessageTemplate


def consent(candidate, channel: str, by, *, days_ago: int = 10) -> ContactConsent:
    return ContactConsent.objects.create(
        candidate=candidate, channel=channel, given_on=timezone.localdate() - timedelta(days=days_ago), recorded_by=by
    )


def ready_template(code: str = "training_schedule", channel: str = "whatsapp", language: str = "id"):
    return MessageTemplate.objects.get(municipality=None, code=code, channel=channel, language=language)
