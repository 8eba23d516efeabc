"""The "done when" journey: Serang staff take a candidate from registered to departed through the pages,
seeing each gate's message while something is missing."""

from datetime import timedelta

import pytest

from candidates.models import Document
from placements.models import Cohort, Placement
from programmes.services import PassedOver, agreement_move_stage
from tests.factories import (
    CandidateFactory,
    ProgrammeFactory,
    TrainingBatchFactory,
    TrainingProviderFactory,
    document_upload_data,
    today,
)

pytestmark = pytest.mark.django_db
EN = {"language": "en"}


@pytest.fixture
def changnyeong(serang):
    """The demo's Serang–Changnyeong programme rules."""
    return ProgrammeFactory(
        agreement__municipality=serang,
        name="Serang–Changnyeong",
        min_age=18,
        max_age=39,
        min_education="sma",
        language_test="eps_topik",
        min_language_score=80,
        min_training_hours=240,
        passport_months_beyond_return=6,
        contract_months=36,
        required_documents=["ktp", "kk", "passport", "skck", "health", "family_consent"],
    )


def test_serang_staff_take_a_candidate_from_registered_to_departed(
    staff_client, serang_staff, serang_admin, changnyeong, serang
):
    client = staff_client
    candidate = CandidateFactory(municipality=serang, education="sma", birth_date=today() - timedelta(days=25 * 365))
    batch = TrainingBatchFactory(
        provider=TrainingProviderFactory(name="LPK Hana Korea"), programme=changnyeong, hours=240, capacity=40
    )

    def move(stage, **extra):
        placement = Placement.objects.get(candidate=candidate)
        return client.post(
            f"/placements/{placement.pk}/move/", {"to_stage": stage, "version": placement.version, **extra}, **EN
        )

    def refused(response, *messages):
        assert response.status_code == 200
        body = response.content.decode()
        assert 'data-testid="move-refused"' in body
        for message in messages:
            assert message in body, message
        return body

    def moved(response, stage):
        assert response.status_code == 302, response.content.decode()[:2000]
        assert Placement.objects.get(candidate=candidate).stage == stage

    def add_document(doc_type, expires_in_days=None):
        data = {"doc_type": doc_type, "number": f"{doc_type.upper()}123", "issued_on": today().isoformat()}
        if expires_in_days:
            data["expires_on"] = (today() + timedelta(days=expires_in_days)).isoformat()
        assert client.post(f"/candidates/{candidate.pk}/documents/new/", document_upload_data(data)).status_code == 302
        document = Document.objects.filter(candidate=candidate, doc_type=doc_type).latest("pk")
        assert client.post(f"/candidates/documents/{document.pk}/verify/").status_code == 302

    # Registered: started from the shortlist's form; one person goes on to their new placement.
    response = client.post("/placements/start/", {"programme": changnyeong.pk, "candidates": [candidate.pk]})
    placement = Placement.objects.get(candidate=candidate)
    assert response["Location"] == f"/placements/{placement.pk}/"
    assert (placement.stage, placement.municipality) == ("registered", serang)

    moved(move("screened"), "screened")

    # Documents: the gate names what is missing and links to the candidate's page.
    body = refused(move("documents_verified"), "Documents: missing Identity card (KTP), Family card (KK), Passport")
    assert f'href="/candidates/{candidate.pk}/"' in body
    for doc_type in ["ktp", "kk", "skck", "health", "family_consent"]:
        add_document(doc_type, expires_in_days=365 if doc_type in ("skck", "health") else None)
    add_document("passport", expires_in_days=2 * 365)  # too short for the visa gate, as it turns out
    moved(move("documents_verified"), "documents_verified")

    # Training: not enrolled, then enrolled (which moves it on), then passed with a language result.
    refused(move("in_training"), "Training: not enrolled in a training batch yet.")
    client.post(f"/placements/training/{batch.pk}/enrol/", {"placements": [placement.pk]})
    assert Placement.objects.get(candidate=candidate).stage == "in_training"
    refused(move("ready"), "Training: no passed training yet.", "Language: no valid EPS-TOPIK (score) result")
    enrolment = batch.enrolments.get()
    client.post(
        f"/placements/training/{batch.pk}/results/",
        {
            "form-TOTAL_FORMS": 1,
            "form-INITIAL_FORMS": 1,
            "form-0-id": enrolment.pk,
            "form-0-attended_hours": 240,
            "form-0-final_score": "86",
            "form-0-result": "passed",
            "form-0-certificate_number": "SERT/2026/001",
        },
    )
    client.post(
        f"/placements/{placement.pk}/language/", {"test": "eps_topik", "score": 120, "taken_on": today().isoformat()}
    )
    moved(move("ready"), "ready")

    # Selected: employer and contract dates.
    refused(
        move("selected"), "Selection: no employer recorded.", "Selection: contract start and end dates are missing."
    )
    departure = today() + timedelta(days=10)
    current = Placement.objects.get(candidate=candidate)
    client.post(
        f"/placements/{placement.pk}/edit/",
        {
            "employer": "Changnyeong-gun Medical Center",
            "contract_start": departure.isoformat(),
            "contract_end": (departure + timedelta(days=3 * 365)).isoformat(),
            "version": current.version,
        },
    )
    moved(move("selected"), "selected")

    # A cohort formed from selected placements; its return date follows the 36-month contract.
    client.post(
        "/placements/cohorts/new/",
        {"name": "Kloter 1 Changnyeong", "programme": changnyeong.pk, "planned_departure": departure.isoformat()},
    )
    cohort = Cohort.objects.get(name="Kloter 1 Changnyeong")
    assert cohort.return_due_on == departure.replace(year=departure.year + 3)
    client.post(f"/placements/cohorts/{cohort.pk}/add/", {"placements": [placement.pk]})

    # Visa: the passport must outlast the return by six months.
    refused(move("visa"), "Passport: expires on", "6 months beyond the planned return")
    add_document("passport", expires_in_days=10 * 365)
    moved(move("visa"), "visa")

    # Departed: needs the visa recorded, the cohort's departure confirmed and the agreement signed.
    refused(
        move("departed"),
        "Visa: the visa number and issue date are not recorded.",
        "has not departed yet",
        "departure needs a signed MoU or an active agreement",
    )
    agreement_move_stage(
        agreement=changnyeong.agreement,
        stage="mou_signed",
        occurred_on=today(),
        note="Signed",
        passed_over={"full_power": PassedOver(reason="Signed by the mayor in person.")},
        user=serang_admin,
    )
    current = Placement.objects.get(candidate=candidate)
    client.post(
        f"/placements/{placement.pk}/edit/",
        {
            "employer": current.employer,
            "contract_start": current.contract_start.isoformat(),
            "contract_end": current.contract_end.isoformat(),
            "visa_number": "E9-0001234",
            "visa_issued_on": today().isoformat(),
            "version": current.version,
        },
    )
    client.post(f"/placements/cohorts/{cohort.pk}/depart/", {"depart-on_date": today().isoformat()})

    placement = Placement.objects.get(candidate=candidate)
    assert (placement.stage, placement.departed_on) == ("departed", today())
    path = list(placement.stage_events.values_list("to_stage", "moved_by"))
    stages = ["registered", "screened", "documents_verified", "in_training", "ready", "selected", "visa", "departed"]
    assert path == [(s, serang_staff.pk) for s in stages]
