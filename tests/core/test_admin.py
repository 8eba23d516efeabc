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
