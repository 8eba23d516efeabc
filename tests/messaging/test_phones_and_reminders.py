"""Phone numbers normalised to +62 (or refused with the reason); the daily reminders by e-mail."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from jobs.queue import enqueue
from messaging.phones import InvalidPhone, normalise_phone
from messaging.tasks import email_daily_reminders
from tests.factories import TrainingProviderFactory
from tests.jobs.runner import run_jobs


@pytest.mark.parametrize(
    "raw", ["0812-3456-7890", "+62 812 3456 7890", "62 812 3456 7890", "(0812) 3456 7890", "+6281234567890"]
)
def test_indonesian_numbers_are_normalised_to_plus_62(raw):
    assert normalise_phone(raw) == "+6281234567890"


def test_a_foreign_number_keeps_its_country_code():
    assert normalise_phone("+82 10-1234-5678") == "+821012345678"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "No phone number recorded."),
        ("hubungi saya", "“hubungi saya” is not a phone number."),
        ("0812", "“0812” has too few digits."),
        ("0812345678901234567", "“0812345678901234567” has too many digits."),
    ],
)
def test_a_number_that_is_not_valid_is_refused_with_the_reason(raw, reason):
    with pytest.raises(InvalidPhone) as caught:
        normalise_phone(raw)
    assert str(caught.value) == reason


@pytest.mark.django_db
def test_the_daily_reminders_job_emails_each_staff_member_of_an_office_with_something_to_act_on(
    serang_staff, blitar_staff, serang_official
):
    serang_staff.email = "petugas@serang.example.go.id"
    serang_staff.save()
    blitar_staff.email = "petugas@blitar.example.go.id"  # Blitar has nothing to act on
    blitar_staff.save()
    serang_official.email = "pejabat@serang.example.go.id"  # not staff
    serang_official.save()
    TrainingProviderFactory(name="LPK Sakura", licence_expires_on=timezone.localdate() + timedelta(days=20))
    enqueue(email_daily_reminders)
    run_jobs()
    (message,) = mail.outbox
    assert message.to == ["petugas@serang.example.go.id"]
    assert "Kota Serang" in message.subject
    assert "LPK Sakura" in message.body
