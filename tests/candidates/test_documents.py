"""Document uploads (checked by content, ≤ 5 MB, random private names) and logged, scoped downloads."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from candidates.models import Document, PersonalDataRead
from tests.factories import (
    CandidateFactory,
    DocumentFactory,
    PlacementFactory,
    document_upload_data,
    jpeg_bytes,
    pdf_bytes,
    png_bytes,
)


def _upload(client, candidate, content: bytes, name: str, **fields):
    data = {"doc_type": "skck", "number": "SKCK/123", "issued_on": "2026-01-10", "expires_on": "2026-07-10", **fields}
    data["file"] = SimpleUploadedFile(name, content, content_type="application/pdf")
    return client.post(
        reverse("candidates:document_create", args=[candidate.pk]),
        document_upload_data(data),
        language="en",
    )


@pytest.fixture
def candidate(serang):
    return CandidateFactory(municipality=serang)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "name", "mime"),
    [
        (pdf_bytes(), "skck.pdf", "application/pdf"),
        (png_bytes(), "skck.png", "image/png"),
        (jpeg_bytes(), "skck.jpg", "image/jpeg"),
    ],
)
def test_staff_upload_pdf_png_jpeg_stored_under_a_random_name(
    staff_client, candidate, private_storage, content, name, mime
):
    response = _upload(staff_client, candidate, content, name)
    assert response.status_code == 302
    document = Document.objects.get(candidate=candidate)
    assert document.content_type == mime
    assert document.size == len(content)
    assert document.original_filename == name
    stored = document.file.name
    assert stored.startswith("documents/") and "skck" not in stored and candidate.nik not in stored
    assert (private_storage / stored).read_bytes() == content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"<?php system($_GET['c']); ?>", "ktp.pdf"),
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "ktp.pdf"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "ktp.svg"),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "ktp.png"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "ktp.jpg"),
        (b"%PDF-1.4\nno end marker", "ktp.pdf"),
        (pdf_bytes(b"4 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj\n"), "ktp.pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "ktp.png"),
        (b"\xff\xd8\xff\xe0garbage", "ktp.jpg"),
        (b"", "empty.pdf"),
    ],
    ids=[
        "php-renamed-pdf",
        "html",
        "svg",
        "svg-renamed-png",
        "gif",
        "truncated-pdf",
        "pdf-javascript",
        "fake-png",
        "fake-jpeg",
        "empty",
    ],
)
def test_upload_rejects_anything_not_plainly_pdf_jpeg_png(staff_client, candidate, private_storage, content, name):
    response = _upload(staff_client, candidate, content, name)
    assert response.status_code == 200
    assert 'data-field-error="file"' in response.content.decode()
    assert not Document.objects.exists()
    assert not any(p.is_file() for p in private_storage.rglob("*"))


@pytest.mark.django_db
def test_upload_rejects_a_six_megabyte_file(staff_client, candidate):
    big = pdf_bytes(b"%" + b"0" * (6 * 1024 * 1024) + b"\n")
    response = _upload(staff_client, candidate, big, "big.pdf")
    assert "at most 5 MB" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_a_filename_with_dot_dot_slash_cannot_steer_the_path(staff_client, candidate, private_storage):
    response = _upload(staff_client, candidate, pdf_bytes(), "../../../etc/passwd.pdf")
    assert response.status_code == 302
    document = Document.objects.get()
    assert ".." not in document.file.name and "passwd" not in document.file.name
    assert document.original_filename == "passwd.pdf"
    assert (private_storage / document.file.name).is_file()


@pytest.mark.django_db
def test_the_download_name_takes_the_real_type(staff_client, candidate):
    _upload(staff_client, candidate, png_bytes(), "scan.php.pdf")
    assert Document.objects.get().original_filename == "scan.php.png"


@pytest.mark.django_db
def test_passport_needs_number_and_expiry(staff_client, candidate):
    response = _upload(staff_client, candidate, pdf_bytes(), "p.pdf", doc_type="passport", number="", expires_on="")
    body = response.content.decode()
    assert 'data-field-error="number"' in body and 'data-field-error="expires_on"' in body


@pytest.mark.django_db
def test_expiry_before_issue_is_refused(staff_client, candidate):
    response = _upload(staff_client, candidate, pdf_bytes(), "p.pdf", issued_on="2026-01-10", expires_on="2025-01-10")
    assert 'data-field-error="expires_on"' in response.content.decode()


@pytest.fixture
def stored_document(staff_client, candidate):
    assert _upload(staff_client, candidate, pdf_bytes(), "skck scan.pdf").status_code == 302
    return Document.objects.get()


@pytest.mark.django_db
def test_download_is_an_attachment_with_nosniff_and_is_logged(staff_client, serang_staff, stored_document):
    response = staff_client.get(reverse("candidates:document_download", args=[stored_document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="skck scan.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    log = PersonalDataRead.objects.get()
    assert log.kind == PersonalDataRead.Kind.DOCUMENT_DOWNLOAD and log.object_id == stored_document.pk
    assert log.candidate == stored_document.candidate and log.user == serang_staff and log.ip_address == "127.0.0.1"
    assert log.route == "candidates:document_download" and log.full_identifiers


# --- access by need (Law 27/2022): who downloads which file ---------------------------------------

RESTRICTED = ["ktp", "kk", "passport", "skck", "health", "family_consent"]
OPEN = ["competence", "language", "other", "sktm", "transcript", "recommendation", "admission_letter"]


def test_the_restricted_types_are_the_identity_and_health_documents():
    from core.choices import IDENTITY_AND_HEALTH_DOCUMENTS, DocumentType

    assert sorted(IDENTITY_AND_HEALTH_DOCUMENTS) == sorted(RESTRICTED)
    assert sorted(RESTRICTED + OPEN) == sorted(DocumentType.values)


def _document_with_file(candidate, doc_type: str) -> Document:
    document = DocumentFactory(candidate=candidate, doc_type=doc_type, number="C1234567")
    document.file.save("scan.pdf", SimpleUploadedFile("scan.pdf", pdf_bytes()), save=False)
    document.original_filename, document.content_type, document.size = "scan.pdf", "application/pdf", len(pdf_bytes())
    document.save()
    return document


@pytest.mark.django_db
@pytest.mark.parametrize("doc_type", RESTRICTED + OPEN)
def test_document_download_by_role_and_type(
    doc_type,
    candidate,
    staff_client,
    official_client,
    admin_client_serang,
    blitar_client,
    national_client,
    superuser_client,
):
    document = _document_with_file(candidate, doc_type)
    url = reverse("candidates:document_download", args=[document.pk])
    restricted = doc_type in RESTRICTED
    expected = {
        "serang staff": 200,
        "serang official": 403 if restricted else 200,
        "serang agreement admin": 403 if restricted else 200,
        "superuser": 403 if restricted else 200,
        "blitar staff": 404,
        "national viewer": 403,
    }
    clients = {
        "serang staff": staff_client,
        "serang official": official_client,
        "serang agreement admin": admin_client_serang,
        "superuser": superuser_client,
        "blitar staff": blitar_client,
        "national viewer": national_client,
    }
    answered = {role: client.get(url).status_code for role, client in clients.items()}
    assert answered == expected
    # Only what was served is logged.
    assert PersonalDataRead.objects.filter(kind=PersonalDataRead.Kind.DOCUMENT_DOWNLOAD).count() == list(
        expected.values()
    ).count(200)


@pytest.mark.django_db
def test_an_official_sees_the_identity_document_but_not_its_file(official_client, staff_client, candidate):
    ktp = _document_with_file(candidate, "ktp")
    Document.objects.filter(pk=ktp.pk).update(verified_at=timezone.now())
    language = _document_with_file(candidate, "language")
    page = official_client.get(reverse("candidates:candidate_detail", args=[candidate.pk])).content.decode()
    # Type, validity and verification shown; the download link of the KTP is not.
    assert "Identity card (KTP)" in page and ktp.expires_on.strftime("%Y") in page
    assert reverse("candidates:document_download", args=[ktp.pk]) not in page
    assert 'data-testid="document-file-withheld"' in page
    assert reverse("candidates:document_download", args=[language.pk]) in page
    staff_page = staff_client.get(reverse("candidates:candidate_detail", args=[candidate.pk])).content.decode()
    assert reverse("candidates:document_download", args=[ktp.pk]) in staff_page


@pytest.mark.django_db
def test_other_municipality_download_is_404_and_not_logged(blitar_client, stored_document):
    response = blitar_client.get(reverse("candidates:document_download", args=[stored_document.pk]))
    assert response.status_code == 404
    assert not PersonalDataRead.objects.exists()


@pytest.mark.django_db
def test_verify_records_who_and_when(staff_client, serang_staff, stored_document):
    response = staff_client.post(reverse("candidates:document_verify", args=[stored_document.pk]))
    assert response.status_code == 302
    stored_document.refresh_from_db()
    assert stored_document.verified_by == serang_staff and stored_document.verified_at is not None


@pytest.mark.django_db
def test_official_cannot_verify_or_upload(official_client, stored_document, candidate):
    assert official_client.post(reverse("candidates:document_verify", args=[stored_document.pk])).status_code == 403
    assert official_client.get(reverse("candidates:document_create", args=[candidate.pk])).status_code == 403
    stored_document.refresh_from_db()
    assert stored_document.verified_at is None


@pytest.mark.django_db
def test_detail_shows_document_status_including_missing_for_the_programme(staff_client, serang):
    candidate = CandidateFactory(municipality=serang)
    today = timezone.localdate()
    PlacementFactory(candidate=candidate, programme__required_documents=["ktp", "passport", "skck", "health"])
    DocumentFactory(candidate=candidate, doc_type="ktp", expires_on=None)
    DocumentFactory(candidate=candidate, doc_type="passport", expires_on=today + timedelta(days=30))
    DocumentFactory(
        candidate=candidate,
        doc_type="skck",
        issued_on=today - timedelta(days=400),
        expires_on=today - timedelta(days=1),
    )
    response = staff_client.get(reverse("candidates:candidate_detail", args=[candidate.pk]))
    body = response.content.decode()
    statuses = dict(re.findall(r'data-doc-type="(\w+)">.*?data-status="(\w+)"', body, flags=re.S))
    assert statuses == {"ktp": "valid", "passport": "expiring", "skck": "expired", "health": "missing"}
