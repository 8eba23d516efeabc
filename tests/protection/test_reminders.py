"""Overdue contacts with workers abroad as reminders (placements' reminders page, its count, the
command and the daily e-mail), through placements.extensions.reminder_sources."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from placements.reminders import ScopeUser, reminder_list, reminders_count
from protection import services
from protection.reminders import KIND
from tests.factories import today

from .conftest import abroad_placement

pytestmark = pytest.mark.django_db


def _overdue(reminders):
    return [r for r in reminders if r.kind == KIND]


def test_a_worker_abroad_past_the_interval_is_a_reminder_that_opens_their_page(serang_staff, serang, blitar):
    late = abroad_placement(municipality=serang, days_ago=30)
    contacted = abroad_placement(municipality=serang, days_ago=30)
    services.contact_create(
        user=serang_staff, placement=contacted, contacted_on=today(), channel="phone", wellbeing="good"
    )
    abroad_placement(municipality=blitar, days_ago=30)
    [reminder] = _overdue(reminder_list(user=serang_staff))
    assert reminder.subject == late.candidate.full_name
    assert reminder.message == "No contact since the departure 30 days ago; the interval is 14 days."
    assert reminder.url == reverse("protection:placement", args=[late.pk])
    assert reminder.list_url == reverse("protection:worker_list") + "?state=overdue"
    assert reminder.kind_label == "Contact with a worker abroad overdue"
    # The count counts them with the other kinds (this worker also has no passport on file).
    assert reminders_count(user=serang_staff) == len(reminder_list(user=serang_staff)) == 3


def test_the_jobs_see_them_and_a_role_without_contacts_does_not(serang, national_viewer, serang_admin):
    abroad_placement(municipality=serang, days_ago=30)
    assert len(_overdue(reminder_list(user=ScopeUser(municipality_id=serang.pk)))) == 1
    assert _overdue(reminder_list(user=national_viewer)) == []
    assert _overdue(reminder_list(user=serang_admin)) == []


def test_the_reminders_page_shows_them_with_a_link_to_the_filtered_list(staff_client, serang):
    late = abroad_placement(municipality=serang, days_ago=40)
    html = staff_client.get(reverse("placements:reminders")).content.decode()
    assert "Contact with a worker abroad overdue" in html
    assert reverse("protection:placement", args=[late.pk]) in html
    assert 'href="/protection/workers/?state=overdue" data-testid="reminder-list-link"' in html


def test_the_overdue_reminders_cost_the_same_whatever_the_data(serang_staff, serang):
    abroad_placement(municipality=serang, days_ago=30)
    assert serang_staff.has_perm("protection.view_contact")  # loads the permission cache
    with CaptureQueriesContext(connection) as few:
        reminder_list(user=serang_staff)
    for _ in range(5):
        abroad_placement(municipality=serang, days_ago=30)
    with CaptureQueriesContext(connection) as many:
        assert len(_overdue(reminder_list(user=serang_staff))) == 6
    assert len(many.captured_queries) == len(few.captured_queries)
