"""The daily reminders by e-mail to the staff of each municipality (a job of the daily schedule)."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation

from accounts.models import Role, User
from core.models import Municipality
from placements.reminders import ScopeUser, reminder_list


def email_reminders_to_staff() -> int:
    """One e-mail per active staff member with an address whose municipality has something to act on.
    Returns the number of e-mails sent."""
    sent = 0
    staff = User.objects.filter(is_active=True, groups__name=Role.STAFF.value).exclude(email="")
    for municipality in Municipality.objects.filter(users__in=staff).distinct():
        recipients = list(staff.filter(municipality=municipality).values_list("email", flat=True).distinct())
        with translation.override(settings.LANGUAGE_CODE):
            items = reminder_list(user=ScopeUser(municipality_id=municipality.pk))
            if not items:
                continue
            subject = translation.gettext("Rantau: %(n)s things need action in %(place)s") % {
                "n": len(items),
                "place": municipality.name,
            }
            lines = [f"- [{item.kind_label}] {item.subject}: {item.message}" for item in items]
        for address in recipients:
            send_mail(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [address])
            sent += 1
    return sent
