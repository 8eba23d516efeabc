"""Documents on a case: PDF, JPEG or PNG checked by content, kept in the private store under a
random name, downloaded only through the case's scoped view, every download logged."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from candidates.models import PersonalDataRead
from protection.models import Case, CaseDocument
from tests.factories import pdf_bytes, png_bytes
from tests.security.test_no_pii_in_logs import all_log_output

from .test_services import open_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """Uploads land in a fresh folder, never in var/private."""
    root = tmp_path / "private"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root)}},
    }
    return root


@pytest.fixture
def case(serang_staff, abroad) -> Case:
    return open_case(abroad, serang_staff)


def _upload(client, case, content: bytes, name: str, title="Hospital letter"):
    return client.post(
        reverse("protection:case_document_add", args=[case.pk]),
        {"document-title": title, "document-file": SimpleUploadedFile(name, content)},
    )


def _download_url(document):
    return reverse("protection:case_document_download", args=[document.case_id, document.pk])


def test_staff_attach_a_pdf_stored_privately_under_a_random_name(staff_client, case, private_storage):
    content = pdf_bytes()
    response = _upload(staff_client, case, content, "surat rumah sakit.pdf")
    assert response.status_code == 302 and response["Location"] == reverse("protection:case_detail", args=[case.pk])
    document = CaseDocument.objects.get(case=case)
    assert (document.title, document.content_type) == ("Hospital letter", "application/pdf")
    assert document.size == len(content)
    assert document.original_filename == "surat rumah sakit.pdf"
    assert document.file.name.startswith("protection/") and "rumah" not in document.file.name
    assert (private_storage / document.file.name).read_bytes() == content
    page = staff_client.get(reverse("protection:case_detail", args=[case.pk])).content.decode()
    assert _download_url(document) in page and "Hospital letter" in page


def test_a_png_renamed_pdf_is_stored_as_what_it_is(staff_client, case):
    assert _upload(staff_client, case, png_bytes(), "slip.pdf").status_code == 302
    document = CaseDocument.objects.get()
    assert (document.content_type, document.original_filename) == ("image/png", "slip.png")


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"<?php system($_GET['c']); ?>", "letter.pdf"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "letter.png"),
        (pdf_bytes(b"4 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj\n"), "letter.pdf"),
    ],
    ids=["php-renamed-pdf", "svg", "pdf-javascript"],
)
def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_is_saved(
    staff_client, case, private_storage, content, name
):
    response = _upload(staff_client, case, content, name)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-field-error="file"' in html
    assert "PDF, JPEG" in html
    assert not CaseDocument.objects.exists()
    assert not list(private_storage.rglob("*.*"))


def test_a_closed_case_takes_no_document(staff_client, case, private_storage):
    Case.objects.filter(pk=case.pk).update(status="closed", outcome="continues")
    response = _upload(staff_client, case, pdf_bytes(), "late.pdf")
    assert response.status_code == 302
    assert "The case is closed." in staff_client.get(response["Location"]).content.decode()
    assert not CaseDocument.objects.exists() and not list(private_storage.rglob("*.*"))


def test_staff_download_and_every_download_is_logged_officials_see_the_title_only(
    staff_client, official_client, case, serang_staff, serang_official
):
    _upload(staff_client, case, pdf_bytes(), "letter.pdf")
    document = CaseDocument.objects.get()
    with all_log_output() as lines:
        response = staff_client.get(_download_url(document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff" and "no-store" in response["Cache-Control"]
    assert not [line for line in lines if "Hospital letter" in line]
    # A case's files hold health and police data: staff of the worker's office only (Law 27/2022).
    assert official_client.get(_download_url(document)).status_code == 403
    page = official_client.get(reverse("protection:case_detail", args=[case.pk])).content.decode()
    assert "Hospital letter" in page and _download_url(document) not in page
    logged = list(
        PersonalDataRead.objects.filter(
            kind=PersonalDataRead.Kind.CASE_DOCUMENT_DOWNLOAD, object_id=document.pk, candidate=case.placement.candidate
        ).values_list("user", flat=True)
    )
    assert logged == [serang_staff.pk]


def test_officials_may_not_upload(official_client, case):
    assert _upload(official_client, case, pdf_bytes(), "letter.pdf").status_code == 403
    assert not CaseDocument.objects.exists()


def test_another_municipality_and_the_national_viewer_never_get_the_file(
    staff_client, blitar_client, national_client, case
):
    _upload(staff_client, case, pdf_bytes(), "letter.pdf")
    document = CaseDocument.objects.get()
    assert blitar_client.get(_download_url(document)).status_code == 404
    assert _upload(blitar_client, case, pdf_bytes(), "x.pdf").status_code == 404
    assert national_client.get(_download_url(document)).status_code == 403
    assert not PersonalDataRead.objects.filter(kind=PersonalDataRead.Kind.CASE_DOCUMENT_DOWNLOAD).exists()


def test_a_document_is_only_reached_through_its_own_case(staff_client, case, serang_staff, abroad):
    _upload(staff_client, case, pdf_bytes(), "letter.pdf")
    document = CaseDocument.objects.get()
    other = open_case(abroad, serang_staff, summary="Another", reported_at=case.reported_at)
    url = reverse("protection:case_document_download", args=[other.pk, document.pk])
    assert staff_client.get(url).status_code == 404


def test_the_case_report_lists_the_documents_without_links(staff_client, case):
    _upload(staff_client, case, pdf_bytes(), "letter.pdf")
    document = CaseDocument.objects.get()
    html = staff_client.get(reverse("protection:case_print", args=[case.pk])).content.decode()
    assert "Hospital letter" in html and _download_url(document) not in html
