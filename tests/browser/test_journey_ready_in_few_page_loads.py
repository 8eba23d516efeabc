"""Staff of Kota Serang take a new resident from registration to "ready" and count the page loads:
register (the NIK pre-fills sex, birth date and kecamatan), consent, seven documents uploaded and
verified in one form, a placement started from the person's page, enrolled in an open batch from the
placement's page, the training result, a language score, "ready". At most 12 page loads (once ~25).

A page load is a top-level document load (the page's "load" event); htmx updates do not count.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from candidates.models import Candidate, Document
from placements.models import Enrolment, Placement
from programmes.models import ProgrammeDemand
from tests.browser.conftest import login, submit
from tests.browser.test_journey_registration_to_departure import tiny_pdf
from tests.factories import (
    EnrolmentFactory,
    OccupationFactory,
    PlacementFactory,
    ProgrammeFactory,
    TrainingBatchFactory,
    TrainingProviderFactory,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SEVEN = ["ktp", "kk", "passport", "skck", "health", "family_consent", "competence"]
MAX_PAGE_LOADS = 12


@pytest.fixture
def programme(serang):
    programme = ProgrammeFactory(
        agreement__municipality=serang,
        agreement__stage="mou_signed",
        name="Serang–Changnyeong",
        min_age=18,
        max_age=39,
        min_education="sma",
        language_test="eps_topik",
        min_language_score=80,
        min_training_hours=240,
        passport_months_beyond_return=6,
        contract_months=36,
        required_documents=SEVEN,
        health_certificate_required=False,
    )
    ProgrammeDemand.objects.create(
        programme=programme, occupation=OccupationFactory(name="Asisten perawat"), requested=10
    )
    OccupationFactory(name="Operator mesin")  # another programme's: not offered
    return programme


@pytest.fixture
def batches(programme):
    """An open batch, one that has ended and one that is full: only the first is offered."""
    provider = TrainingProviderFactory(name="LPK Hana Korea")
    today = timezone.localdate()
    open_batch = TrainingBatchFactory(
        provider=provider,
        programme=programme,
        name="Bahasa Korea Angkatan 3",
        hours=240,
        capacity=40,
        starts_on=today - timedelta(days=5),
        ends_on=today + timedelta(days=80),
    )
    TrainingBatchFactory(
        provider=provider,
        programme=programme,
        name="Bahasa Korea Angkatan 1",
        hours=240,
        capacity=40,
        starts_on=today - timedelta(days=200),
        ends_on=today - timedelta(days=100),
    )
    full = TrainingBatchFactory(
        provider=provider,
        programme=programme,
        name="Bahasa Korea Angkatan 2",
        hours=240,
        capacity=1,
        starts_on=today - timedelta(days=5),
        ends_on=today + timedelta(days=80),
    )
    EnrolmentFactory(batch=full, placement=PlacementFactory(programme=programme, stage="in_training"))
    return open_batch


def test_registration_to_ready_takes_at_most_twelve_page_loads(
    page, shot, serang_staff, serang, programme, batches, private_storage
):
    today = timezone.localdate()
    born = date(today.year - 27, 5, 14)
    nik = f"3673015405{born:%y}0001"  # Kota Serang, kecamatan Serang (01), a woman (14 + 40) born 14-05-yy
    login(page, serang_staff.username)
    page.wait_for_load_state("load")  # the home page after signing in is not part of the journey

    loads = []
    page.on("load", lambda p: loads.append(p.url))

    # 1-2: the new-candidate form; the NIK fills sex, birth date and kecamatan (still editable).
    page.goto(page.base_url + "/candidates/new/")
    assert page.locator("#id_sex").input_value() == ""  # no silent default
    assert page.locator("#id_education").input_value() == ""
    page.fill("#id_nik", nik)
    page.locator("#id_nik").dispatch_event("change")
    expect(page.locator("#id_birth_date")).to_have_value(born.strftime("%d-%m-%Y"))
    assert page.locator("#id_sex").input_value() == "F"
    assert page.locator("#id_kecamatan_code").input_value() == "36.73.01"
    page.locator("#id_kelurahan_code option[value='36.73.01.1001']").wait_for(state="attached")
    page.select_option("#id_kelurahan_code", "36.73.01.1001")
    page.fill("#id_full_name", "Siti Aminah")
    page.fill("#id_birth_place", "Serang")
    page.fill("#id_phone", "0812-3456-7890")
    page.select_option("#id_education", "sma")
    shot("candidate-form-prefilled")
    submit(page, "[data-testid=candidate-form] button[type=submit]")
    candidate = Candidate.objects.get(full_name="Siti Aminah")
    assert (candidate.sex, candidate.birth_date, candidate.kecamatan_code) == ("F", born, "36.73.01")

    # 3: consent.
    consent = page.locator("[data-testid=consent-form]")
    consent.locator("#id_confirmed").check()
    submit(page, consent.locator("button[type=submit]"))

    # 4: seven documents, each with its type and number, verified in the same step.
    form = page.locator("[data-testid=document-form]")
    for row, doc_type in enumerate(SEVEN):
        form.locator(f"#id_doc-{row}-doc_type").select_option(doc_type)
        form.locator(f"#id_doc-{row}-number").fill(f"{doc_type[:3].upper()} {row}00{row}")
        form.locator(f"#id_doc-{row}-issued_on").fill((today - timedelta(days=30)).strftime("%d-%m-%Y"))
        form.locator(f"#id_doc-{row}-verified").check()
    form.locator("#id_doc-2-expires_on").fill((today + timedelta(days=3650)).strftime("%d-%m-%Y"))
    pdf = tiny_pdf("PASPOR C 7654321")
    form.locator("#id_doc-2-file").set_input_files({"name": "paspor.pdf", "mimeType": "application/pdf", "buffer": pdf})
    shot("seven-documents")
    submit(page, form.locator("button[type=submit]"))
    documents = Document.objects.filter(candidate=candidate)
    assert sorted(documents.values_list("doc_type", flat=True)) == sorted(SEVEN)
    assert documents.filter(verified_by=serang_staff, verified_at__isnull=False).count() == 7
    assert page.locator("[data-testid=documents] tr[data-document]").count() == 7

    # 5: the placement, from the person's page; only the programme's occupations are offered.
    start = page.locator("[data-testid=start-placement-form]")
    start.locator("#id_programme").select_option(str(programme.pk))
    start.locator("#id_occupation option", has_text="Asisten perawat").wait_for(state="attached")
    assert start.locator("#id_occupation option", has_text="Operator mesin").count() == 0
    start.locator("#id_occupation").select_option(label="Asisten perawat")
    submit(page, start.locator("button[type=submit]"))
    placement = Placement.objects.get(candidate=candidate)
    assert page.url == f"{page.base_url}/placements/{placement.pk}/"

    # 6: straight to "documents verified" (screening's gates hold, so the skip is allowed).
    page.select_option("#id_to_stage", "documents_verified")
    submit(page, "[data-testid=move-form] button[type=submit]")
    assert Placement.objects.get(pk=placement.pk).stage == "documents_verified"

    # 7: enrol from the placement's page: the ended and the full batches are not offered.
    enrol = page.locator("[data-testid=enrol-form]")
    offered = enrol.locator("#id_batch option").all_inner_texts()
    assert any("Angkatan 3" in text for text in offered)
    assert not any("Angkatan 1" in text or "Angkatan 2" in text for text in offered)
    enrol.locator("#id_batch").select_option(str(batches.pk))
    submit(page, enrol.locator("button[type=submit]"))
    assert Placement.objects.get(pk=placement.pk).stage == "in_training"
    assert "Dalam pelatihan" in page.locator(".alert-success").inner_text()
    shot("enrolled-in-training")

    # 8-9: the training result on the batch's page.
    page.click(f"a[href='/placements/training/{batches.pk}/']")
    page.wait_for_load_state()
    enrolment = Enrolment.objects.get(placement=placement)
    row = page.locator(f"[data-testid=enrolments] tr[data-enrolment='{enrolment.pk}']")
    row.locator("input[name$=attended_hours]").fill("240")
    row.locator("input[name$=final_score]").fill("88")
    row.locator("select[name$=result]").select_option("passed")
    submit(page, "form[action$='/results/'] button[type=submit]")
    assert Enrolment.objects.get(pk=enrolment.pk).result == "passed"

    # 10-11: back to the placement; the language score on its page.
    page.click(f"[data-testid=enrolments] a[href='/placements/{placement.pk}/']")
    page.wait_for_load_state()
    language = page.locator("[data-testid=language-form]")
    assert language.locator("#id_test").input_value() == "eps_topik"
    language.locator("#id_score").fill("130")
    language.locator("#id_taken_on").fill((today - timedelta(days=10)).strftime("%d-%m-%Y"))
    submit(page, language.locator("button[type=submit]"))
    assert candidate.language_results.get().score == 130

    # 12: ready.
    page.select_option("#id_to_stage", "ready")
    submit(page, "[data-testid=move-form] button[type=submit]")
    assert page.locator("[data-testid=move-refused]").count() == 0
    assert Placement.objects.get(pk=placement.pk).stage == "ready"
    shot("ready")

    assert len(loads) <= MAX_PAGE_LOADS, loads
    assert page.console_errors == []
