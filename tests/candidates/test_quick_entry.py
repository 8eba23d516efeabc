"""Fewer steps on the person's pages: several documents at once, verified in the same step; the NIK
decoded for the entry form; no silent default for sex and education."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from candidates.forms import CandidateForm
from candidates.models import Document
from tests.factories import CandidateFactory, document_upload_data, pdf_bytes

pytestmark = pytest.mark.django_db
EN = {"language": "en"}


@pytest.fixture
def candidate(serang):
    return CandidateFactory(municipality=serang)


def _url(candidate) -> str:
    return reverse("candidates:document_create", args=[candidate.pk])


def test_staff_upload_several_documents_at_once_and_verify_them_in_the_same_step(
    staff_client, serang_staff, candidate, private_storage
):
    data = document_upload_data(
        {"doc_type": "ktp", "number": candidate.nik, "issued_on": "10-01-2020", "verified": "on"},
        {"doc_type": "kk", "number": "3673 0101", "issued_on": "11-01-2020", "verified": "on"},
        {
            "doc_type": "passport",
            "number": "c 1234567",
            "issued_on": "01-02-2025",
            "expires_on": "01-02-2035",
            "file": SimpleUploadedFile("paspor.pdf", pdf_bytes(), content_type="application/pdf"),
        },
        {},  # an empty row is ignored
    )
    response = staff_client.post(_url(candidate), data, **EN)
    assert response["Location"] == f"/candidates/{candidate.pk}/"
    documents = {d.doc_type: d for d in Document.objects.filter(candidate=candidate)}
    assert set(documents) == {"ktp", "kk", "passport"}
    assert documents["ktp"].verified_by == serang_staff and documents["kk"].verified_at is not None
    assert documents["passport"].verified_at is None
    assert (documents["passport"].number, documents["passport"].expires_on) == ("C1234567", date(2035, 2, 1))
    assert documents["kk"].issued_on == date(2020, 1, 11)  # typed day-month-year


def test_one_refused_row_saves_nothing_and_the_error_stands_next_to_that_row(staff_client, candidate, private_storage):
    data = document_upload_data(
        {
            "doc_type": "skck",
            "issued_on": "10-01-2026",
            "file": SimpleUploadedFile("skck.pdf", pdf_bytes(), content_type="application/pdf"),
        },
        {"doc_type": "passport", "number": "", "issued_on": "10-01-2026"},
    )
    response = staff_client.post(_url(candidate), data, **EN)
    assert response.status_code == 200
    body = response.content.decode()
    row = body[body.index('data-row="1"') : body.index("</tr>", body.index('data-row="1"'))]
    assert "A passport needs its number." in row and "A passport needs its expiry date." in row
    assert not Document.objects.exists()
    assert [p for p in private_storage.rglob("*") if p.is_file()] == []


def test_an_empty_form_asks_for_at_least_one_document(staff_client, candidate):
    response = staff_client.post(_url(candidate), document_upload_data({}), **EN)
    assert "Fill in at least one document." in response.content.decode()


def test_the_persons_page_carries_the_several_documents_form_with_a_verify_tick(staff_client, candidate):
    body = staff_client.get(f"/candidates/{candidate.pk}/", **EN).content.decode()
    assert 'name="doc-6-doc_type"' in body and 'name="doc-0-verified"' in body


def test_the_official_sees_no_documents_form_and_cannot_post_one(official_client, candidate):
    body = official_client.get(f"/candidates/{candidate.pk}/", **EN).content.decode()
    assert 'name="doc-0-doc_type"' not in body
    data = document_upload_data({"doc_type": "ktp", "verified": "on"})
    assert official_client.post(_url(candidate), data).status_code == 403
    assert not Document.objects.exists()


def test_sex_and_education_have_no_default_and_are_required(serang_staff):
    form = CandidateForm(user=serang_staff)
    assert form["sex"].value() in (None, "") and form.fields["sex"].choices[0][0] == ""
    assert form["education"].value() in (None, "") and form.fields["education"].choices[0][0] == ""
    assert 'value="" selected' in str(form["sex"]) and 'value="" selected' in str(form["education"])
    bound = CandidateForm({"sex": "", "education": ""}, user=serang_staff)
    assert not bound.is_valid()
    assert "sex" in bound.errors and "education" in bound.errors


def test_the_nik_is_decoded_for_the_entry_form(staff_client):
    # Kota Serang, kecamatan 01, a woman (day 14 + 40) born 14-05-1999.
    response = staff_client.post("/candidates/nik/decode/", {"nik": "3673015405990001"})
    assert response.json() == {"sex": "F", "birth_date": "14-05-1999", "kecamatan_code": "36.73.01"}


def test_a_nik_of_another_office_leaves_the_kecamatan_to_the_clerk_and_a_bad_one_decodes_to_nothing(staff_client):
    other = staff_client.post("/candidates/nik/decode/", {"nik": "3572011405990001"}).json()  # Kota Blitar
    assert other == {"sex": "M", "birth_date": "14-05-1999", "kecamatan_code": ""}
    assert staff_client.post("/candidates/nik/decode/", {"nik": "3673013213990001"}).json() == {}


def test_the_nik_decoder_is_for_staff_only_and_never_takes_the_nik_in_the_url(client, staff_client, official_client):
    assert official_client.post("/candidates/nik/decode/", {"nik": "3673015405990001"}).status_code == 403
    assert "/login/" in client.post("/candidates/nik/decode/", {"nik": "3673015405990001"})["Location"]
    # Never a NIK in a URL: a GET is not decoded, it returns to the new-candidate form.
    assert staff_client.get("/candidates/nik/decode/?nik=3673015405990001")["Location"] == "/candidates/new/"
