import pytest
from django.urls import reverse

from candidates.models import Candidate
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def test_records_with_rules_are_read_only_in_the_admin_even_for_a_superuser(client, superuser, serang):
    candidate = CandidateFactory(municipality=serang, full_name="Nur Agies")
    client.force_login(superuser)
    url = reverse("admin:candidates_candidate_change", args=[candidate.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Nur Agies" in page.content.decode()
    assert 'name="full_name"' not in page.content.decode()  # shown, not editable
    assert client.post(url, {"full_name": "Changed"}).status_code == 403
    assert client.get(reverse("admin:candidates_candidate_add")).status_code == 403
    assert Candidate.objects.get(pk=candidate.pk).full_name == "Nur Agies"


def test_the_admin_names_every_app_in_the_users_language_and_shows_the_favicon(superuser_client):
    body = superuser_client.get(reverse("admin:index")).content.decode()
    assert "favicon.svg" in body
    # Third-party apps too (config/apps.py): no "Axes", "Pghistory" or "Tasks Database Backend".
    for indonesian in ("Penguncian masuk", "Riwayat perubahan", "Antrean pekerjaan", "Calon pekerja"):
        assert indonesian in body
    for untranslated in (">Axes<", ">Pghistory<", "Tasks Database Backend"):
        assert untranslated not in body
    english = superuser_client.get(reverse("admin:index"), language="en").content.decode()
    assert "Sign-in lockouts" in english and "Job queue" in english
