"""Who may do what in the candidate registry.

Staff of Serang write Serang's candidates; Officials and national viewers read only (403 on every
write URL); Blitar staff get 404 for Serang's records; anonymous users go to the login page (also
covered for every URL by tests/test_url_walker.py); wrong methods answer 405.
"""

import pytest
from django.urls import reverse

from candidates.models import Candidate
from tests.factories import CandidateFactory, DocumentFactory, candidate_form_data


@pytest.fixture
def serang_candidate(serang):
    return CandidateFactory(municipality=serang)


@pytest.fixture
def serang_document(serang_candidate):
    return DocumentFactory(candidate=serang_candidate)


def write_urls(candidate, document) -> list[tuple[str, str]]:
    return [
        ("get", reverse("candidates:candidate_create")),
        ("post", reverse("candidates:candidate_create")),
        ("get", reverse("candidates:candidate_edit", args=[candidate.pk])),
        ("post", reverse("candidates:candidate_edit", args=[candidate.pk])),
        ("get", reverse("candidates:document_create", args=[candidate.pk])),
        ("post", reverse("candidates:document_create", args=[candidate.pk])),
        ("post", reverse("candidates:document_verify", args=[document.pk])),
        ("post", reverse("candidates:consent_record", args=[candidate.pk])),
        ("post", reverse("candidates:consent_withdraw", args=[candidate.pk])),
        ("get", reverse("candidates:candidate_import")),
        ("post", reverse("candidates:candidate_import")),
        ("get", reverse("candidates:candidate_import_template", args=["xlsx"])),
        ("get", reverse("candidates:candidate_import_template", args=["values.csv"])),
        ("post", reverse("candidates:nik_decode")),
        ("get", reverse("candidates:candidate_import_preview", args=["0" * 32])),
        ("post", reverse("candidates:candidate_import_commit", args=["0" * 32])),
        ("post", reverse("candidates:candidate_import_cancel", args=["0" * 32])),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["official_client", "national_client"])
def test_read_only_roles_get_403_on_every_write_url(request, who, serang_candidate, serang_document):
    client = request.getfixturevalue(who)
    for method, url in write_urls(serang_candidate, serang_document):
        response = getattr(client, method)(url, candidate_form_data() if method == "post" else None)
        assert response.status_code == 403, f"{method.upper()} {url} answered {response.status_code}"
    assert Candidate.objects.count() == 1


@pytest.mark.django_db
def test_read_only_roles_may_read(official_client, national_client, serang_candidate):
    assert serang_candidate.full_name in official_client.get(reverse("candidates:candidate_list")).content.decode()
    detail = official_client.get(reverse("candidates:candidate_detail", args=[serang_candidate.pk]))
    assert serang_candidate.full_name in detail.content.decode()
    export = official_client.get(reverse("candidates:candidate_export"), {"format": "csv"})
    assert serang_candidate.full_name in b"".join(export.streaming_content).decode()
    # The national viewer reads counts only: no list, no person, no export.
    assert national_client.get(reverse("candidates:candidate_list")).status_code == 403
    assert national_client.get(reverse("candidates:candidate_detail", args=[serang_candidate.pk])).status_code == 403
    assert national_client.get(reverse("candidates:candidate_export"), {"format": "csv"}).status_code == 403


@pytest.mark.django_db
def test_official_sees_no_write_buttons(official_client, serang_candidate):
    body = official_client.get(reverse("candidates:candidate_detail", args=[serang_candidate.pk])).content.decode()
    assert reverse("candidates:candidate_edit", args=[serang_candidate.pk]) not in body
    assert 'data-testid="consent-form"' not in body and 'data-testid="withdraw-form"' not in body
    listing = official_client.get(reverse("candidates:candidate_list")).content.decode()
    assert reverse("candidates:candidate_create") not in listing


@pytest.mark.django_db
def test_blitar_staff_get_404_on_serangs_candidate_urls(blitar_client, serang_candidate, serang_document):
    urls = [
        ("get", reverse("candidates:candidate_detail", args=[serang_candidate.pk])),
        ("get", reverse("candidates:candidate_data_report", args=[serang_candidate.pk])),
        ("get", reverse("candidates:document_download", args=[serang_document.pk])),
    ] + [(m, u) for m, u in write_urls(serang_candidate, serang_document) if str(serang_candidate.pk) in u]
    urls.append(("post", reverse("candidates:document_verify", args=[serang_document.pk])))
    for method, url in urls:
        response = getattr(blitar_client, method)(url)
        assert response.status_code == 404, f"{method.upper()} {url} answered {response.status_code}"


@pytest.mark.django_db
def test_wrong_methods_answer_405(staff_client, serang_candidate, serang_document):
    assert staff_client.post(reverse("candidates:candidate_list")).status_code == 405
    assert staff_client.post(reverse("candidates:candidate_detail", args=[serang_candidate.pk])).status_code == 405
    assert staff_client.post(reverse("candidates:candidate_export")).status_code == 405
    assert staff_client.put(reverse("candidates:document_verify", args=[serang_document.pk])).status_code == 405
    assert staff_client.delete(reverse("candidates:consent_record", args=[serang_candidate.pk])).status_code == 405
    assert staff_client.delete(reverse("candidates:candidate_edit", args=[serang_candidate.pk])).status_code == 405


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, serang_candidate):
    for url in (
        reverse("candidates:candidate_list"),
        reverse("candidates:candidate_detail", args=[serang_candidate.pk]),
        reverse("candidates:candidate_import"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.django_db
def test_superuser_without_a_municipality_registers_through_the_admin(superuser_client):
    assert superuser_client.get(reverse("candidates:candidate_create")).status_code == 403


@pytest.mark.django_db
def test_a_get_of_a_post_only_action_returns_to_its_page(
    staff_client, blitar_client, serang_candidate, serang_document
):
    # A reload after a form error, or the language switch on that page, must not end on a 405.
    detail = reverse("candidates:candidate_detail", args=[serang_candidate.pk])
    assert staff_client.get(reverse("candidates:document_verify", args=[serang_document.pk]))["Location"] == detail
    assert staff_client.get(reverse("candidates:consent_record", args=[serang_candidate.pk]))["Location"] == detail
    token = "0" * 32
    commit = staff_client.get(reverse("candidates:candidate_import_commit", args=[token]))
    assert commit["Location"] == reverse("candidates:candidate_import_preview", args=[token])
    # Another office's document: the same 404 as for any look at it.
    assert blitar_client.get(reverse("candidates:document_verify", args=[serang_document.pk])).status_code == 404
    serang_document.refresh_from_db()
    assert not serang_document.verified_at


@pytest.mark.django_db
def test_a_superuser_without_a_municipality_is_not_offered_what_would_refuse(superuser_client, staff_client):
    # Candidates belong to a municipality: no "new candidate" or "import" button leads to a 403.
    body = superuser_client.get(reverse("candidates:candidate_list")).content.decode()
    assert reverse("candidates:candidate_create") not in body
    assert reverse("candidates:candidate_import") not in body
    assert superuser_client.get(reverse("candidates:candidate_create")).status_code == 403
    assert superuser_client.get(reverse("candidates:candidate_import")).status_code == 403
    staff_body = staff_client.get(reverse("candidates:candidate_list")).content.decode()
    assert reverse("candidates:candidate_create") in staff_body and reverse("candidates:candidate_import") in staff_body
