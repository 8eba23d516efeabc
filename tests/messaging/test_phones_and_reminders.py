"""The daily reminders by e-mail (phone numbers: tests/core/test_phones.py)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from jobs.queue import enqueue
from messaging.tasks import email_daily_reminders
from tests.factories import TrainingProviderFactory
from tests.jobs.runner import run_jobs


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
