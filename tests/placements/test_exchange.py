"""Exchange with the national system and the partner: external ids unique per system, the national
export (SISKOP2MI's field set, formula-safe), and the partner's arrival and return confirmations
imported with a preview and an all-or-nothing commit through the placement services."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import translation
from openpyxl import Workbook, load_workbook

from candidates.models import PersonalDataRead
from placements import exchange, services
from placements.models import ExternalId, Placement, PlacementStageEvent
from tests.factories import CandidateFactory, CohortFactory, DocumentFactory, OccupationFactory, PlacementFactory, today

pytestmark = pytest.mark.django_db
NATIONAL = ExternalId.System.NATIONAL_WORKER_ID
REGISTRATION = ExternalId.System.SISKOP2MI_REGISTRATION


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# --- external ids -------------------------------------------------------------------------------


def test_an_id_is_unique_within_its_system_and_one_per_record(serang, serang_staff):
    first, second = (PlacementFactory(candidate=CandidateFactory(municipality=serang)) for _ in range(2))
    services.external_id_set(user=serang_staff, system=REGISTRATION, value=" reg-2026/001 ", placement=first)
    assert first.external_ids.get().value == "REG-2026/001"
    with pytest.raises(ValidationError, match="recorded for another worker"):
        services.external_id_set(user=serang_staff, system=REGISTRATION, value="REG-2026/001", placement=second)
    # The same number in the other system belongs to that system.
    services.external_id_set(user=serang_staff, system=NATIONAL, value="REG-2026/001", candidate=second.candidate)
    # A second number replaces the first: one per record and system.
    services.external_id_set(user=serang_staff, system=REGISTRATION, value="REG-2026/002", placement=first)
    assert list(first.external_ids.values_list("value", flat=True)) == ["REG-2026/002"]
    services.external_id_set(user=serang_staff, system=REGISTRATION, value="", placement=first)
    assert not first.external_ids.exists()
    with pytest.raises(ValidationError):
        services.external_id_set(user=serang_staff, system=REGISTRATION, value="no spaces?", placement=first)


def test_the_database_keeps_each_system_on_its_record_and_unique(serang):
    placement = PlacementFactory(candidate=CandidateFactory(municipality=serang))
    ExternalId.objects.create(system=NATIONAL, value="N1", municipality=serang, candidate=placement.candidate)
    with pytest.raises(IntegrityError), transaction.atomic():
        ExternalId.objects.create(system=NATIONAL, value="N2", municipality=serang, placement=placement)
    other = CandidateFactory(municipality=serang)
    with pytest.raises(IntegrityError), transaction.atomic():
        ExternalId.objects.create(system=NATIONAL, value="N1", municipality=serang, candidate=other)


def test_another_office_cannot_set_an_id(serang, blitar_staff):
    placement = PlacementFactory(candidate=CandidateFactory(municipality=serang))
    with pytest.raises(PermissionDenied):
        services.external_id_set(user=blitar_staff, system=REGISTRATION, value="R1", placement=placement)
    assert not ExternalId.objects.exists()


# --- the national export --------------------------------------------------------------------------


def _departed_cohort(serang, travellers=2):
    departed = today() - timedelta(days=5)
    cohort = CohortFactory(
        municipality=serang,
        planned_departure=departed,
        actual_departure=departed,
        return_due_on=departed + timedelta(days=400),
    )
    placements = []
    for n in range(travellers):
        placement = PlacementFactory(
            candidate=CandidateFactory(municipality=serang),
            programme=cohort.programme,
            cohort=cohort,
            stage="departed",
            departed_on=departed,
        )
        DocumentFactory(
            candidate=placement.candidate,
            doc_type="passport",
            number=f"C100000{n}",
            expires_on=today() + timedelta(days=2000),
        )
        placements.append(placement)
    return cohort, placements


def test_the_national_export_carries_the_national_field_set_and_stays_text(staff_client, serang, serang_staff):
    cohort, (placement, _other) = _departed_cohort(serang)
    placement.occupation = OccupationFactory(name="Pekerja pertanian", isco_code="9211", kbji_code="9211.01")
    placement.employer = "=HYPERLINK(evil)"
    placement.save()
    services.external_id_set(user=serang_staff, system=NATIONAL, value="PMI-36-0001", candidate=placement.candidate)
    services.external_id_set(user=serang_staff, system=REGISTRATION, value="S2M-0001", placement=placement)

    response = staff_client.get(f"/placements/cohorts/{cohort.pk}/siskop2mi.xlsx")
    assert response["Content-Disposition"] == f'attachment; filename="siskop2mi-cohort-{cohort.pk}-NIK-lengkap.xlsx"'
    read = PersonalDataRead.objects.get(kind=PersonalDataRead.Kind.EXPORT)
    assert (read.user, read.rows, read.full_identifiers, read.object_id) == (serang_staff, 2, True, cohort.pk)
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == exchange.national_header()
    assert len(rows) == 3
    row = dict(zip(rows[0], next(r for r in rows[1:] if r[0] == placement.candidate.nik), strict=True))
    assert row["nik"] == placement.candidate.nik  # in full: the national system registers by NIK
    assert (row["kode_isco"], row["kode_kbji"]) == ("9211", "9211.01")
    assert (row["id_pekerja_nasional"], row["nomor_registrasi_siskop2mi"]) == ("PMI-36-0001", "S2M-0001")
    assert row["nomor_paspor"].startswith("C100000")
    assert row["pemberi_kerja"] == "=HYPERLINK(evil)"  # as it is, in a text cell (never a formula)
    assert row["id_penempatan_rantau"] == placement.pk

    body = b"".join(staff_client.get(f"/placements/cohorts/{cohort.pk}/siskop2mi.csv").streaming_content)
    lines = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert lines[0] == exchange.national_header() and len(lines) == 3
    assert "'=HYPERLINK(evil)" in lines[1] + lines[2]


def test_the_national_export_is_for_staff_of_the_office(official_client, blitar_client, serang):
    cohort, _ = _departed_cohort(serang, travellers=1)
    assert official_client.get(f"/placements/cohorts/{cohort.pk}/siskop2mi.csv").status_code == 403
    assert blitar_client.get(f"/placements/cohorts/{cohort.pk}/siskop2mi.csv").status_code == 404


# --- the partner's confirmations ------------------------------------------------------------------


def _csv(rows) -> SimpleUploadedFile:
    out = io.StringIO()
    csv.writer(out).writerows([["passport_number", "event", "date", "outcome", "reason"], *rows])
    return SimpleUploadedFile("confirmations.csv", out.getvalue().encode(), content_type="text/csv")


def _xlsx(rows) -> SimpleUploadedFile:
    book = Workbook()
    book.active.append(["Passport number", "Event", "Date", "Outcome", "Reason"])
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("confirmations.xlsx", buffer.getvalue())


def test_arrivals_and_returns_are_previewed_then_committed_through_the_services(serang, serang_staff):
    cohort, (first, second) = _departed_cohort(serang)
    arrived = (today() - timedelta(days=4)).isoformat()
    upload = _xlsx(
        [
            ["C1000000", "arrival", arrived, None, None],
            ["c 100 0001", "Arrived", arrived, None, None],
            ["C1000001", "return", today().isoformat(), "ended early", "family emergency"],
        ]
    )
    preview = exchange.confirmations_validate(user=serang_staff, cohort=cohort, uploaded_file=upload)
    assert preview.errors == [] and preview.can_commit and preview.token
    assert (len(preview.arrivals), len(preview.returns)) == (2, 1)
    cohort.refresh_from_db()
    assert cohort.arrival_confirmed_on is None  # nothing written by the preview

    result = exchange.confirmations_commit(user=serang_staff, cohort=cohort, token=preview.token)
    assert (result.arrived, result.returned) == (2, 1)
    cohort.refresh_from_db()
    assert cohort.arrival_confirmed_on == today() - timedelta(days=4)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.stage == "abroad"
    assert (second.stage, second.return_outcome, second.end_reason) == ("returned", "ended_early", "family emergency")
    assert list(
        PlacementStageEvent.objects.filter(placement=second).order_by("pk").values_list("to_stage", flat=True)
    ) == ["abroad", "returned"]
    # The same file again: everything is already recorded, nothing to commit.
    again = exchange.confirmations_validate(
        user=serang_staff, cohort=cohort, uploaded_file=_xlsx([["C1000000", "arrival", arrived]])
    )
    assert len(again.unchanged) == 1 and not again.can_commit


def test_a_file_with_a_bad_row_imports_nothing(serang, serang_staff):
    cohort, _ = _departed_cohort(serang)
    upload = _csv(
        [
            ["C1000000", "arrival", today().isoformat(), "", ""],
            ["X9999999", "arrival", today().isoformat(), "", ""],
            ["C1000001", "return", today().isoformat(), "absconded", ""],
            ["C1000001", "arrival", (today() + timedelta(days=1)).isoformat(), "", ""],
        ]
    )
    preview = exchange.confirmations_validate(user=serang_staff, cohort=cohort, uploaded_file=upload)
    assert [(e.row, e.message) for e in preview.errors] == [
        (3, "No traveller of this cohort has the passport number X9999999."),
        (4, "Reason: give a reason for this outcome."),
        (5, "Date: it cannot be in the future."),
    ]
    assert not preview.can_commit and preview.token is None


def test_a_cohort_that_changed_since_the_preview_gets_nothing_written(serang, serang_staff):
    cohort, (first, second) = _departed_cohort(serang)
    upload = _csv(
        [["C1000000", "arrival", today().isoformat()], ["C1000001", "return", today().isoformat(), "completed"]]
    )
    preview = exchange.confirmations_validate(user=serang_staff, cohort=cohort, uploaded_file=upload)
    assert preview.can_commit
    second.candidate.documents.filter(doc_type="passport").update(number="C7777777")  # corrected meanwhile
    with pytest.raises(exchange.ConfirmationImportError):
        exchange.confirmations_commit(user=serang_staff, cohort=cohort, token=preview.token)
    cohort.refresh_from_db()
    assert cohort.arrival_confirmed_on is None
    assert set(Placement.objects.filter(cohort=cohort).values_list("stage", flat=True)) == {"departed"}


def test_the_confirmation_pages_preview_and_commit(staff_client, official_client, serang):
    cohort, (first, _second) = _departed_cohort(serang)
    url = f"/placements/cohorts/{cohort.pk}/confirmations/"
    assert official_client.get(url).status_code == 403
    page = staff_client.get(url, language="en")
    assert b'data-testid="confirmations-upload"' in page.content
    preview = staff_client.post(url, {"file": _csv([["C1000000", "arrival", today().isoformat()]])}, language="en")
    body = preview.content.decode()
    assert 'data-testid="confirmations-preview"' in body and "not in the file" in body
    token = preview.context["preview"].token
    other = staff_client.post(f"{url}commit/", {"token": "0" * 32}, language="en")
    assert other.status_code == 302 and not Placement.objects.filter(stage="abroad").exists()
    done = staff_client.post(f"{url}commit/", {"token": token}, language="en")
    assert done.status_code == 302 and done["Location"] == f"/placements/cohorts/{cohort.pk}/"
    first.refresh_from_db()
    assert first.stage == "abroad"


def test_the_placement_form_records_the_ids_and_a_taken_one_saves_nothing(staff_client, serang, serang_staff):
    placement, other = (PlacementFactory(candidate=CandidateFactory(municipality=serang)) for _ in range(2))
    services.external_id_set(user=serang_staff, system=REGISTRATION, value="S2M-0009", placement=other)
    url = f"/placements/{placement.pk}/edit/"
    taken = staff_client.post(
        url,
        {"employer": "Changnyeong Farm", "siskop2mi_registration": "s2m-0009", "version": placement.version},
        language="en",
    )
    assert 'data-field-error="siskop2mi_registration"' in taken.content.decode()
    assert "is recorded for another worker" in taken.content.decode()
    placement.refresh_from_db()
    assert placement.employer == "" and placement.version == 1  # the whole save rolled back
    saved = staff_client.post(
        url,
        {
            "employer": "Changnyeong Farm",
            "siskop2mi_registration": "S2M-0010",
            "national_worker_id": "PMI-36-0042",
            "version": placement.version,
        },
    )
    assert saved.status_code == 302
    assert placement.external_ids.get().value == "S2M-0010"
    assert placement.candidate.external_ids.get().value == "PMI-36-0042"
    form = staff_client.get(url).context["form"]
    assert (form["siskop2mi_registration"].initial, form["national_worker_id"].initial) == ("S2M-0010", "PMI-36-0042")
