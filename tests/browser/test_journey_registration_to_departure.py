"""Staff of Kota Serang, in Bahasa Indonesia, take a new resident from registration to departure:
the NIK error and the mismatch warning, a passport upload, then every gate of the Serang–Changnyeong
programme through the pages, meeting the gates' refusals on the way.

Assertions on text use labels the Indonesian catalogue already has, or data attributes.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from candidates.models import Candidate, Document
from core.dates import add_months
from placements.models import Enrolment, Placement
from tests.browser.conftest import login, submit
from tests.factories import CohortFactory, ProgrammeFactory, TrainingBatchFactory, TrainingProviderFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PIPELINE = ["registered", "screened", "documents_verified", "in_training", "ready", "selected", "visa", "departed"]


def tiny_pdf(text: str) -> bytes:
    """A small but well-formed one-page PDF (objects, cross-reference table, trailer)."""
    content = f"BT /F1 18 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.fixture
def changnyeong(serang):
    """The Serang–Changnyeong programme's rules, a language course at an LPK and the first cohort."""
    programme = ProgrammeFactory(
        agreement__municipality=serang,
        # Nobody departs before the agreement is signed; here it is.
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
        required_documents=["ktp", "passport"],
        health_certificate_required=False,
    )
    TrainingBatchFactory(
        provider=TrainingProviderFactory(name="LPK Hana Korea"),
        programme=programme,
        name="Bahasa Korea Angkatan 1",
        hours=240,
        capacity=40,
    )
    departure = timezone.localdate() + timedelta(days=10)
    CohortFactory(
        programme=programme,
        name="Kloter 1 Changnyeong",
        planned_departure=departure,
        return_due_on=add_months(departure, 36),
    )
    return programme


def move(page, stage: str):
    page.select_option("#id_to_stage", stage)
    submit(page, "[data-testid=move-form] button[type=submit]")


def test_staff_register_a_resident_and_take_the_placement_to_departure(
    page, shot, serang_staff, serang, changnyeong, private_storage
):
    today = timezone.localdate()
    born = date(today.year - 27, 5, 14)
    nik = f"3673011405{born:%y}0001"  # Kota Serang, kecamatan Serang (01), a man born 14-05-yy
    departure = today + timedelta(days=10)

    # --- signing in, in Bahasa Indonesia ------------------------------------------------------------
    login(page, serang_staff.username)
    assert page.locator("html").get_attribute("lang") == "id"
    nav = page.locator("nav#nav")
    assert nav.get_by_role("link", name="Calon pekerja").is_visible()
    assert nav.get_by_role("link", name="Penempatan").is_visible()
    shot("home")

    # --- registering the candidate: a bad NIK first --------------------------------------------------
    nav.get_by_role("link", name="Calon pekerja").click()
    page.wait_for_url("**/candidates/")
    page.click("a[href='/candidates/new/']")
    page.wait_for_url("**/candidates/new/")
    page.fill("#id_nik", "3673013213" + f"{born:%y}" + "0001")  # day 32, month 13: no such date
    page.fill("#id_full_name", "Budi  Santoso")
    page.select_option("#id_sex", "M")
    page.fill("#id_birth_date", born.isoformat())
    page.fill("#id_birth_place", "Serang")
    page.select_option("#id_kecamatan_code", "36.73.01")
    # htmx fills the kelurahan list of the chosen kecamatan.
    page.locator("#id_kelurahan_code option[value='36.73.01.1001']").wait_for(state="attached")
    page.select_option("#id_kelurahan_code", "36.73.01.1001")
    page.fill("#id_phone", "0812-3456-7890")
    page.select_option("#id_education", "sma")
    submit(page, "[data-testid=candidate-form] button[type=submit]")
    nik_column = page.locator("div:has(> #id_nik)")
    assert nik_column.locator("[data-field-error=nik]").is_visible()
    assert "is-invalid" in page.get_attribute("#id_nik", "class")
    assert page.locator("[data-testid=form-warnings]").count() == 0
    assert Candidate.objects.count() == 0
    shot("nik-error")

    # --- a NIK that disagrees with the birth date: a warning to confirm --------------------------------
    mismatching = f"3673011505{born:%y}0001"  # encodes the 15th, the form says the 14th
    page.fill("#id_nik", mismatching)
    submit(page, "[data-testid=candidate-form] button[type=submit]")
    warnings = page.locator("[data-testid=form-warnings]")
    assert warnings.is_visible()
    assert f"15-05-{born:%y}" in warnings.inner_text() and f"14-05-{born:%y}" in warnings.inner_text()
    assert page.locator("[data-testid=form-errors]").is_visible()  # "tick the box" before it saves
    assert page.locator("[data-field-error=nik]").count() == 0
    assert Candidate.objects.count() == 0
    shot("nik-mismatch-warning")

    # The birth date on the KTP was right; the NIK was mistyped. Fixing it clears the warning.
    page.fill("#id_nik", nik)
    submit(page, "[data-testid=candidate-form] button[type=submit]")
    page.wait_for_url("**/candidates/*/")
    candidate = Candidate.objects.get()
    assert (candidate.nik, candidate.full_name, candidate.sex, candidate.birth_date) == (
        nik,
        "Budi Santoso",
        "M",
        born,
    )
    assert (candidate.municipality, candidate.kelurahan_code, candidate.phone) == (
        serang,
        "36.73.01.1001",
        "+6281234567890",
    )
    assert page.url == f"{page.base_url}/candidates/{candidate.pk}/"
    assert page.locator(".alert-success").is_visible()
    shot("candidate-registered")

    # --- consent, then the KTP and the passport (a real PDF) ---------------------------------------------
    consent = page.locator("[data-testid=consent-form]")
    consent.locator("#id_confirmed").check()
    submit(page, consent.locator("button[type=submit]"))
    assert "text-bg-success" in page.get_attribute("[data-testid=consent-badge]", "class")

    # Both documents in one form on the person's page (verified later, at the documents gate).
    pdf = tiny_pdf("PASPOR C 1234567")
    form = page.locator("[data-testid=document-form]")
    form.locator("#id_doc-0-doc_type").select_option("ktp")
    form.locator("#id_doc-0-number").fill(nik)
    form.locator("#id_doc-0-issued_on").fill((today - timedelta(days=400)).strftime("%d-%m-%Y"))
    form.locator("#id_doc-1-doc_type").select_option("passport")
    form.locator("#id_doc-1-number").fill("c 1234567")
    form.locator("#id_doc-1-issued_on").fill((today - timedelta(days=30)).strftime("%d-%m-%Y"))
    form.locator("#id_doc-1-expires_on").fill((today - timedelta(days=30) + timedelta(days=3652)).strftime("%d-%m-%Y"))
    form.locator("#id_doc-1-file").set_input_files(
        {"name": "paspor-budi.pdf", "mimeType": "application/pdf", "buffer": pdf}
    )
    shot("passport-form")
    submit(page, form.locator("button[type=submit]"))
    passport = Document.objects.get(candidate=candidate, doc_type="passport")
    assert (passport.number, passport.content_type, passport.size) == ("C1234567", "application/pdf", len(pdf))
    assert passport.original_filename == "paspor-budi.pdf" and passport.verified_at is None
    with passport.file.open("rb") as stored:
        assert stored.read() == pdf
    row = page.locator(f"[data-testid=documents] tr[data-document='{passport.pk}']")
    assert "Paspor" in row.inner_text() and "C1234567" in row.inner_text()
    assert row.locator(f"a[href='/candidates/documents/{passport.pk}/download/']").is_visible()
    assert page.locator("[data-testid=documents] tr[data-document]").count() == 2
    shot("documents-listed")

    # --- starting the placement from the candidate's page -------------------------------------------------
    start = page.locator("[data-testid=start-placement-form]")
    start.locator("#id_programme").select_option(str(changnyeong.pk))
    submit(page, start.locator("button[type=submit]"))
    placement = Placement.objects.get(candidate=candidate)
    assert (placement.programme, placement.stage) == (changnyeong, "registered")
    page.goto(f"{page.base_url}/placements/?programme={changnyeong.pk}")
    card = page.locator(f"[data-column=registered] [data-card='{placement.pk}']")
    assert "Budi Santoso" in card.inner_text()
    assert "Terdaftar" in page.locator("[data-column=registered] h2").inner_text()
    shot("board-registered")

    card.get_by_role("link").click()
    page.wait_for_url(f"**/placements/{placement.pk}/")
    move(page, "screened")
    assert page.locator("[data-stage=screened]").first.is_visible()

    # --- the documents gate refuses: nothing verified yet -----------------------------------------------
    move(page, "documents_verified")
    refused = page.locator("[data-testid=move-refused]")
    assert refused.is_visible()
    assert refused.locator("li[data-gate=documents]").count() == 1
    assert Placement.objects.get(pk=placement.pk).stage == "screened"
    shot("documents-gate-refused")
    refused.locator("li[data-gate=documents] a").click()
    page.wait_for_url(f"**/candidates/{candidate.pk}/")
    verify = page.locator("[data-testid=documents] form[action$='/verify/'] button")
    while verify.count():
        submit(page, verify.first)
    assert Document.objects.filter(candidate=candidate, verified_at__isnull=True).count() == 0
    assert Document.objects.filter(candidate=candidate, verified_by=serang_staff).count() == 2
    shot("documents-verified")
    page.click(f"[data-testid=placements] a[href='/placements/{placement.pk}/']")
    page.wait_for_url(f"**/placements/{placement.pk}/")
    move(page, "documents_verified")
    assert page.locator("[data-testid=move-refused]").count() == 0
    assert Placement.objects.get(pk=placement.pk).stage == "documents_verified"

    # --- training: enrol, attendance and a pass -----------------------------------------------------------
    page.click("[data-testid=next-gates] li[data-gate=enrolment] a")
    page.wait_for_url(f"**/placements/training/?programme={changnyeong.pk}")
    page.get_by_role("link", name="Bahasa Korea Angkatan 1").click()
    page.wait_for_url("**/placements/training/*/")
    enrol = page.locator("[data-testid=enrol]")
    enrol.get_by_label("Budi Santoso").check()
    submit(page, enrol.locator("form[method=post] button[type=submit]"))
    enrolment = Enrolment.objects.get(placement=placement)
    assert Placement.objects.get(pk=placement.pk).stage == "in_training"
    row = page.locator(f"[data-testid=enrolments] tr[data-enrolment='{enrolment.pk}']")
    row.locator("input[name$=attended_hours]").fill("240")
    row.locator("input[name$=final_score]").fill("86")
    row.locator("select[name$=result]").select_option("passed")
    row.locator("input[name$=certificate_number]").fill("SERT/2026/001")
    shot("training-results")
    submit(page, "form[action$='/results/'] button[type=submit]")
    enrolment.refresh_from_db()
    assert (enrolment.attended_hours, enrolment.result, enrolment.certificate_number) == (
        240,
        "passed",
        "SERT/2026/001",
    )

    # --- the language gate refuses "ready" until a result is recorded ---------------------------------
    page.click(f"[data-testid=enrolments] a[href='/placements/{placement.pk}/']")
    page.wait_for_url(f"**/placements/{placement.pk}/")
    move(page, "ready")
    refused = page.locator("[data-testid=move-refused]")
    assert refused.locator("li[data-gate]").evaluate_all("items => items.map(i => i.dataset.gate)") == ["language"]
    shot("language-gate-refused")
    refused.locator("li[data-gate=language] a").click()
    page.wait_for_url(f"**/placements/{placement.pk}/language/")
    assert page.locator("#id_test").input_value() == "eps_topik"
    page.fill("#id_score", "120")
    page.fill("#id_taken_on", (today - timedelta(days=20)).isoformat())
    submit(page, "main form[method=post] button[type=submit]")
    page.wait_for_url(f"**/placements/{placement.pk}/")
    assert candidate.language_results.get().score == 120
    move(page, "ready")
    assert Placement.objects.get(pk=placement.pk).stage == "ready"

    # --- employer, contract and visa ------------------------------------------------------------------
    page.click(f"a[href='/placements/{placement.pk}/edit/']")
    page.fill("#id_employer", "Changnyeong-gun Medical Center")
    page.fill("#id_contract_start", departure.isoformat())
    page.fill("#id_contract_end", add_months(departure, 36).isoformat())
    page.fill("#id_visa_number", "E9-0001234")
    page.fill("#id_visa_issued_on", today.isoformat())
    shot("employer-contract-visa")
    submit(page, "main form[method=post] button[type=submit]")
    page.wait_for_url(f"**/placements/{placement.pk}/")
    move(page, "selected")
    assert Placement.objects.get(pk=placement.pk).stage == "selected"

    # --- the cohort: join it, move to visa; departure waits for the cohort -----------------------------
    page.locator("nav#nav").get_by_role("link", name="Kloter").click()
    page.wait_for_url("**/placements/cohorts/")
    page.get_by_role("link", name="Kloter 1 Changnyeong").click()
    page.wait_for_url("**/placements/cohorts/*/")
    add = page.locator("[data-testid=add-form]")
    add.get_by_label("Budi Santoso").check()
    submit(page, add.locator("button[type=submit]"))
    assert Placement.objects.get(pk=placement.pk).cohort.name == "Kloter 1 Changnyeong"
    page.click(f"[data-testid=cohort-members] a[href='/placements/{placement.pk}/']")
    page.wait_for_url(f"**/placements/{placement.pk}/")
    move(page, "visa")
    assert Placement.objects.get(pk=placement.pk).stage == "visa"

    move(page, "departed")
    refused = page.locator("[data-testid=move-refused]")
    assert refused.locator("li[data-gate]").evaluate_all("items => items.map(i => i.dataset.gate)") == ["cohort"]
    assert Placement.objects.get(pk=placement.pk).stage == "visa"
    shot("departure-gate-refused")
    refused.locator("li[data-gate=cohort] a").click()
    page.wait_for_url("**/placements/cohorts/*/")
    depart = page.locator("[data-testid=depart-form]")
    assert depart.locator("#id_depart-on_date").input_value() == today.strftime("%d-%m-%Y")
    submit(page, depart.locator("button[type=submit]"))
    assert page.locator("[data-testid=actual-departure]").inner_text().strip() != "–"
    assert (
        page.locator(f"[data-testid=cohort-members] tr[data-placement='{placement.pk}'] [data-stage]").get_attribute(
            "data-stage"
        )
        == "departed"
    )
    shot("cohort-departed")

    # --- the placement's page tells the whole story --------------------------------------------------
    page.click(f"[data-testid=cohort-members] a[href='/placements/{placement.pk}/']")
    page.wait_for_url(f"**/placements/{placement.pk}/")
    placement = Placement.objects.get(pk=placement.pk)
    assert (placement.stage, placement.departed_on) == ("departed", today)
    events = list(placement.stage_events.order_by("moved_at", "pk").values_list("to_stage", "moved_by"))
    assert events == [(stage, serang_staff.pk) for stage in PIPELINE]
    history = page.locator("[data-testid=stage-history] tbody tr")
    assert history.count() == len(PIPELINE)
    shown = history.locator("td:nth-child(3)").all_inner_texts()
    assert {"Terdaftar", "Dokumen terverifikasi", "Dalam pelatihan", "Siap", "Berangkat"} <= set(shown)
    assert "Berangkat" in page.locator("h1 + [data-stage]").inner_text()
    shot("departed")
    assert page.console_errors == []
