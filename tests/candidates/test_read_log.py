"""The read log (Law 27/2022 Art. 31/32): one append-only row per read of personal data.

The database itself refuses to change or remove a row; each reading route writes exactly one row
with its kind, row count and full-identifier flag; a NIK typed into a filter never reaches the log;
the old access logs were copied in; the person's data report shows their rows.
"""

import importlib
import json
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from candidates.models import PersonalDataRead
from candidates.readlog import masked_filters, reads_of_person, record_read
from tests.factories import CandidateFactory, DocumentFactory, PlacementFactory, pdf_bytes

Kind = PersonalDataRead.Kind
pytestmark = pytest.mark.django_db


# --- append-only at the database ------------------------------------------------------------------


def test_the_database_refuses_update_and_delete_of_a_read(serang_staff):
    read = record_read(serang_staff, Kind.PERSON_PAGE, candidate=CandidateFactory())
    table = PersonalDataRead._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET rows = 99 WHERE id = %s", [read.pk])  # noqa: S608 - our own table name
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [read.pk])  # noqa: S608
    # Through the ORM too (a bulk update, a queryset delete, the admin's delete).
    with pytest.raises(DatabaseError), transaction.atomic():
        PersonalDataRead.objects.filter(pk=read.pk).update(full_identifiers=True)
    with pytest.raises(DatabaseError), transaction.atomic():
        PersonalDataRead.objects.filter(pk=read.pk).delete()
    read.refresh_from_db()
    assert (read.rows, read.full_identifiers) == (None, False)


def test_the_admin_shows_the_log_but_offers_no_change(superuser_client, serang_staff):
    read = record_read(serang_staff, Kind.PERSON_PAGE, candidate=CandidateFactory())
    response = superuser_client.get(reverse("admin:candidates_personaldataread_changelist"))
    assert response.status_code == 200 and str(read.candidate) in response.content.decode()
    assert superuser_client.get(reverse("admin:candidates_personaldataread_add")).status_code == 403
    assert superuser_client.post(reverse("admin:candidates_personaldataread_delete", args=[read.pk])).status_code == 403
    assert PersonalDataRead.objects.filter(pk=read.pk).exists()


# --- one row per reading route ---------------------------------------------------------------------


@pytest.fixture
def person(serang):
    candidate = CandidateFactory(municipality=serang)
    document = DocumentFactory(candidate=candidate, doc_type="ktp")
    document.file.save("ktp.pdf", ContentFile(pdf_bytes()), save=True)
    return candidate


def _only_read() -> PersonalDataRead:
    reads = list(PersonalDataRead.objects.all())
    assert len(reads) == 1, reads
    return reads[0]


@pytest.mark.parametrize(
    ("route", "kind", "full"),
    [
        ("candidates:candidate_detail", Kind.PERSON_PAGE, True),
        ("candidates:candidate_data_report", Kind.DATA_REPORT, True),
    ],
)
def test_a_person_page_writes_one_read_naming_the_person(staff_client, serang_staff, person, route, kind, full):
    response = staff_client.get(reverse(route, args=[person.pk]))
    assert response.status_code == 200
    read = _only_read()
    assert (read.kind, read.candidate, read.user, read.route) == (kind, person, serang_staff, route)
    assert read.municipality_id == person.municipality_id and read.full_identifiers is full
    assert read.rows is None and read.filters == {}


def test_an_official_reads_masked_numbers_and_the_log_says_so(official_client, serang_official, person):
    assert official_client.get(reverse("candidates:candidate_detail", args=[person.pk])).status_code == 200
    read = _only_read()
    assert (read.user, read.kind, read.full_identifiers) == (serang_official, Kind.PERSON_PAGE, False)


def test_a_document_download_writes_one_read(staff_client, person):
    document = person.documents.get()
    response = staff_client.get(reverse("candidates:document_download", args=[document.pk]))
    assert response.status_code == 200
    read = _only_read()
    assert (read.kind, read.candidate, read.object_id, read.detail) == (
        Kind.DOCUMENT_DOWNLOAD,
        person,
        document.pk,
        "ktp",
    )
    assert read.full_identifiers and read.detail_display == "Identity card (KTP)"


def test_another_office_reading_nothing_writes_nothing(blitar_client, person):
    assert blitar_client.get(reverse("candidates:candidate_detail", args=[person.pk])).status_code == 404
    assert blitar_client.get(reverse("candidates:candidate_data_report", args=[person.pk])).status_code == 404
    assert not PersonalDataRead.objects.exists()


def test_an_export_writes_one_read_with_its_filter_rows_and_full_nik_flag(staff_client, serang_staff, serang):
    people = CandidateFactory.create_batch(3, municipality=serang, education="smk")
    CandidateFactory(municipality=serang, education="s1")
    response = staff_client.get(reverse("candidates:candidate_export"), {"education": "smk", "format": "xlsx"})
    assert response.status_code == 200
    # Staff get full NIKs: the file name says so, and so does the log.
    assert "NIK-lengkap.xlsx" in response["Content-Disposition"]
    read = _only_read()
    assert (read.kind, read.user, read.candidate, read.rows) == (Kind.EXPORT, serang_staff, None, len(people))
    assert read.full_identifiers is True
    assert read.filters == {"education": "smk", "format": "xlsx"}
    assert read.route == "candidates:candidate_export" and read.municipality == serang


def test_an_officials_export_holds_masked_niks_and_says_nothing_of_full_ones(official_client, serang):
    CandidateFactory.create_batch(2, municipality=serang)
    response = official_client.get(reverse("candidates:candidate_export"), {"format": "csv"})
    assert response.status_code == 200
    b"".join(response.streaming_content)
    assert "NIK-lengkap" not in response["Content-Disposition"]
    read = _only_read()
    assert (read.kind, read.rows, read.full_identifiers) == (Kind.EXPORT, 2, False)


def test_a_nik_or_phone_typed_into_a_filter_never_reaches_the_log(staff_client, serang):
    person = CandidateFactory(municipality=serang)
    response = staff_client.get(reverse("candidates:candidate_export"), {"q": person.nik, "format": "csv"})
    assert response.status_code == 200
    b"".join(response.streaming_content)
    response = staff_client.get(reverse("candidates:candidate_export"), {"q": "0812 1234 5678", "format": "csv"})
    b"".join(response.streaming_content)
    reads = list(PersonalDataRead.objects.order_by("pk"))
    assert len(reads) == 2
    stored = json.dumps([r.filters for r in reads])
    assert person.nik not in stored and "081212345678" not in stored and "1234 5678" not in stored
    assert reads[0].filters["q"] == person.nik[:4] + "•" * 8 + person.nik[-4:]
    # A name stays readable (it says which filter was used); so do page and format.
    assert masked_filters({"q": "Nur Agis", "page": "2"}) == {"q": "Nur Agis", "page": "2"}


def test_a_placement_page_writes_one_read_naming_the_person(staff_client, serang):
    placement = PlacementFactory(candidate=CandidateFactory(municipality=serang))
    assert staff_client.get(reverse("placements:placement_detail", args=[placement.pk])).status_code == 200
    read = _only_read()
    assert (read.kind, read.candidate, read.object_id) == (Kind.PLACEMENT_PAGE, placement.candidate, placement.pk)


def test_api_reads_of_people_are_logged_one_row_per_request(serang):
    from tests.api.conftest import make_api_client

    api = make_api_client("sister-system", serang, ["read", "personal-data"])
    people = CandidateFactory.create_batch(3, municipality=serang)
    DocumentFactory(candidate=people[0])
    assert api.get("/api/v1/candidates/", {"page_size": 2}).status_code == 200
    assert api.get(f"/api/v1/candidates/{people[1].pk}/").status_code == 200
    assert api.get("/api/v1/documents/").status_code == 200
    reads = list(PersonalDataRead.objects.order_by("pk"))
    assert [(r.kind, r.route, r.candidate, r.rows) for r in reads] == [
        (Kind.API_READ, "api:candidate-list", None, 2),
        (Kind.API_READ, "api:candidate-detail", people[1], None),
        (Kind.API_READ, "api:document-list", None, 1),
    ]
    assert {r.api_client for r in reads} == {"sister-system"}
    assert all(r.full_identifiers for r in reads)
    assert reads[0].filters == {"page_size": "2"}


# --- the data report shows the record of processing ------------------------------------------------


def test_the_data_report_lists_the_persons_reads_and_counts_list_reads(
    staff_client, official_client, serang_official, person, serang
):
    document = person.documents.get()
    official_client.get(reverse("candidates:candidate_detail", args=[person.pk]))
    staff_client.get(reverse("candidates:document_download", args=[document.pk]))
    staff_client.get(reverse("candidates:candidate_export"), {"format": "xlsx"})
    other = CandidateFactory(municipality=serang)
    staff_client.get(reverse("candidates:candidate_detail", args=[other.pk]))

    response = staff_client.get(reverse("candidates:candidate_data_report", args=[person.pk]))
    html = response.content.decode()
    section = html[html.index('data-testid="record-of-processing"') :]
    assert section.count('data-testid="read-row"') == 3  # the official's view, the download, this report
    assert str(serang_official) in section and "Document downloaded: Identity card (KTP)" in section
    assert "Data report produced" in section
    assert "1 list read" in section
    assert [r.kind for r in reads_of_person(person)] == [Kind.DATA_REPORT, Kind.DOCUMENT_DOWNLOAD, Kind.PERSON_PAGE]


def test_the_data_report_costs_the_same_queries_however_many_reads(staff_client, person, serang_official):
    url = reverse("candidates:candidate_data_report", args=[person.pk])
    staff_client.get(url)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(url)
    for _ in range(15):
        record_read(serang_official, Kind.PERSON_PAGE, candidate=person)
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(url)
    assert response.content.decode().count('data-testid="read-row"') == 18
    assert len(many) == len(few)


def test_the_person_page_costs_the_same_queries_however_many_reads(staff_client, person, serang_official):
    url = reverse("candidates:candidate_detail", args=[person.pk])
    staff_client.get(url)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(url)
    for _ in range(10):
        record_read(serang_official, Kind.PERSON_PAGE, candidate=person)
    with CaptureQueriesContext(connection) as many:
        staff_client.get(url)
    assert len(many) == len(few)


# --- the old logs, copied into the one log -------------------------------------------------------------


class _Apps:
    """The historical models a data migration sees: the old logs from the state before they were
    removed, the read log from the state after it was created."""

    def __init__(self, before, after):
        self.before, self.after = before, after

    def get_model(self, app_label, name):
        if name == "PersonalDataRead":
            return self.after.get_model(app_label, name)
        return self.before.get_model(app_label, name)


def _state(app, migration):
    return MigrationLoader(connection).project_state((app, migration)).apps


def test_the_migration_copies_the_old_document_download_log(serang_staff):
    before = _state("candidates", "0005_municipality_in_core")
    after = _state("candidates", "0006_read_log_and_transfers")
    old_log = before.get_model("candidates", "DocumentAccessLog")
    document = DocumentFactory(doc_type="passport")
    when = timezone.now() - timedelta(days=400)
    with connection.schema_editor() as editor:  # the old table, back for this test's transaction
        editor.create_model(old_log)
    old_log.objects.create(document_id=document.pk, user_id=serang_staff.pk, ip_address="10.0.0.7")
    old_log.objects.update(accessed_at=when)

    migration = importlib.import_module("candidates.migrations.0006_read_log_and_transfers")
    migration.copy_document_downloads(_Apps(before, after), None)

    read = _only_read()
    assert (read.kind, read.candidate_id, read.object_id, read.user_id) == (
        Kind.DOCUMENT_DOWNLOAD,
        document.candidate_id,
        document.pk,
        serang_staff.pk,
    )
    assert read.at == when and read.ip_address == "10.0.0.7" and read.detail_display == "Passport"
    assert read.municipality_id == document.candidate.municipality_id


def test_the_migration_copies_the_old_case_logs(serang_staff):
    from protection.models import CaseDocument
    from tests.protection.test_services import open_case

    before = _state("protection", "0003_case_documents")
    after = _state("candidates", "0006_read_log_and_transfers")
    placement = PlacementFactory(stage="abroad")
    case = open_case(placement, serang_staff)
    doc = CaseDocument.objects.create(
        case=case, title="Letter", file="protection/x.pdf", original_filename="x.pdf", content_type="application/pdf",
        size=1, uploaded_by=serang_staff,
    )  # fmt: skip
    opened, downloaded = (before.get_model("protection", n) for n in ("CaseAccessLog", "CaseDocumentAccessLog"))
    with connection.schema_editor() as editor:
        editor.create_model(opened)
        editor.create_model(downloaded)
    opened.objects.create(case_id=case.pk, user_id=serang_staff.pk)
    downloaded.objects.create(document_id=doc.pk, user_id=serang_staff.pk)

    migration = importlib.import_module("protection.migrations.0004_read_log")
    migration.copy_case_reads(_Apps(before, after), None)

    reads = list(PersonalDataRead.objects.order_by("kind"))
    assert [(r.kind, r.object_id, r.candidate_id, r.municipality_id) for r in reads] == [
        (Kind.CASE_DOCUMENT_DOWNLOAD, doc.pk, placement.candidate_id, case.municipality_id),
        (Kind.CASE_PAGE, case.pk, placement.candidate_id, case.municipality_id),
    ]
