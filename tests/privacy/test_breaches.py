"""The breach register (Law 27/2022 Art. 46): what, whom, when, how, what was done; the 3×24-hour
clock from discovery to notification; the letters to each person and to the authority, on A4 in
Bahasa Indonesia whatever the user's language."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from placements.reminders import reminder_list
from privacy.models import Breach
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def _form(people, **overrides) -> dict:
    found = timezone.localtime() - timedelta(hours=80)
    data = {
        "title": "Daftar peserta terkirim ke grup yang salah",
        "categories": ["identity", "contact"],
        "occurred_at": (found - timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M"),
        "discovered_at": found.strftime("%Y-%m-%dT%H:%M"),
        "how": "Spreadsheet sent to the wrong WhatsApp group; noticed by a member",
        "measures": "Message deleted, group members asked to delete the file",
        "affected": "\n".join(p.nik for p in people),
    }
    data.update(overrides)
    return data


@pytest.fixture
def people(serang):
    return [CandidateFactory(municipality=serang, full_name=name) for name in ("Siti Aminah", "Budi Santoso")]


def test_the_officer_records_a_breach_with_its_people_and_the_clock_runs_from_discovery(dpo_client, people):
    response = dpo_client.post(reverse("privacy:breach_create"), _form(people))
    breach = Breach.objects.get()
    assert response["Location"] == reverse("privacy:breach_detail", args=[breach.pk])
    assert set(breach.affected.all()) == set(people)
    assert breach.categories == ["identity", "contact"]
    assert breach.due_at == breach.discovered_at + timedelta(hours=72)
    page = dpo_client.get(reverse("privacy:breach_detail", args=[breach.pk]))
    assert b'data-clock="overdue"' in page.content  # found 80 hours ago
    user = page.wsgi_request.user
    assert [r.kind for r in reminder_list(user=user) if r.kind == "breach"] == ["breach"]

    dpo_client.post(reverse("privacy:breach_notified", args=[breach.pk]))
    breach.refresh_from_db()
    assert breach.notified_at is not None and breach.notified_by == user
    assert not [r for r in reminder_list(user=user) if r.kind == "breach"]
    assert b'data-clock="stopped"' in dpo_client.get(reverse("privacy:breach_detail", args=[breach.pk])).content


def test_people_of_another_office_or_unknown_niks_are_refused_and_nothing_is_saved(dpo_client, people, blitar):
    other = CandidateFactory(municipality=blitar)
    response = dpo_client.post(reverse("privacy:breach_create"), _form([*people, other]))
    assert response.status_code == 200
    assert other.nik in response.context["form"].errors["affected"][0]
    assert not Breach.objects.exists()


def test_a_breach_cannot_be_found_before_it_happened(dpo_client, people):
    now = timezone.localtime()
    response = dpo_client.post(
        reverse("privacy:breach_create"),
        _form(
            people,
            occurred_at=now.strftime("%Y-%m-%dT%H:%M"),
            discovered_at=(now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    assert "discovered_at" in response.context["form"].errors
    assert not Breach.objects.exists()


def test_the_letters_are_in_bahasa_indonesia_with_the_affected_list(dpo_client, people):
    dpo_client.post(reverse("privacy:breach_create"), _form(people))
    breach = Breach.objects.get()
    # The user reads English; the letters are Indonesian all the same.
    authority = dpo_client.get(reverse("privacy:breach_letter_authority", args=[breach.pk]), language="en")
    text = authority.content.decode()
    assert "Pemberitahuan kegagalan pelindungan data pribadi" in text
    assert "Pasal 46 Undang-Undang Nomor 27 Tahun 2022" in text
    assert "2 orang" in text
    assert "Siti Aminah" in text and "Budi Santoso" in text
    assert people[0].nik not in text and people[0].nik[-4:] in text  # masked NIKs in the list
    assert "Identitas (nama, NIK, tanggal lahir)" in text
    person = dpo_client.get(reverse("privacy:breach_letter_person", args=[breach.pk, people[0].pk]))
    letter = person.content.decode()
    assert "Pemberitahuan kegagalan pelindungan data pribadi" in letter
    assert "Siti Aminah" in letter and "Budi Santoso" not in letter
    # Nobody else's letter from this breach.
    stranger = CandidateFactory()
    assert dpo_client.get(reverse("privacy:breach_letter_person", args=[breach.pk, stranger.pk])).status_code == 404
