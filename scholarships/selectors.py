"""Reads scoped to the user: rounds, applications (with what the gates read), the dashboard."""

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.access import get_for_user, require_perm, scope_queryset

from .models import Application, SelectionRound, SemesterReport


def with_eligibility_data(qs: QuerySet) -> QuerySet:
    """Applications with the rows the requirements read (a fixed number of queries)."""
    return qs.select_related("candidate", "round", "programme", "programme__agreement").prefetch_related(
        "candidate__documents", "candidate__language_results"
    )


def round_list(*, user) -> QuerySet:
    return (
        scope_queryset(SelectionRound.objects.all(), user)
        .select_related("programme", "municipality")
        .annotate(
            applicants=Count("applications"),
            awarded=Count("applications", filter=Q(applications__outcome=Application.Outcome.AWARDED)),
        )
        .order_by("-opens_on", "pk")
    )


def get_round_for_user(user, pk, *, write: bool = False) -> SelectionRound:
    qs = SelectionRound.objects.select_related("programme", "programme__agreement", "municipality", "approved_by")
    return get_for_user(qs, user, pk, write_perm="scholarships.change_selectionround" if write else None)


def get_application_for_user(user, pk, *, write: bool = False) -> Application:
    """One application in the user's scope; named people need view_application (not the national
    viewer, who sees counts only)."""
    require_perm(user, "scholarships.view_application")
    qs = with_eligibility_data(Application.objects.all())
    return get_for_user(qs, user, pk, write_perm="scholarships.change_application" if write else None)


def application_list(*, user, filters: dict) -> QuerySet:
    require_perm(user, "scholarships.view_application")
    qs = scope_queryset(Application.objects.all(), user).select_related("candidate", "round")
    for key in ("round", "stage", "outcome", "school"):
        if filters.get(key):
            qs = qs.filter(**{key: filters[key]})
    if filters.get("kecamatan"):
        qs = qs.filter(candidate__kecamatan_code=filters["kecamatan"])
    if filters.get("need"):
        from .models import NEED_BANDS

        band = next((b for b in NEED_BANDS if b[0] == filters["need"]), None)
        if band is not None:
            qs = qs.filter(family_income_per_person__gte=band[1])
            if band[2] is not None:
                qs = qs.filter(family_income_per_person__lt=band[2])
    group = filters.get("group")
    if group:
        qs = qs.filter(group_q(group, today=timezone.localdate()))
        if group in ("alerts", "below"):
            from .reminders import alerts_q, with_semester_status

            qs = with_semester_status(qs, timezone.localdate()).filter(
                alerts_q(timezone.localdate()) if group == "alerts" else Q(last_grade__lt=F("min_grade"))
            )
        if group == "reports":
            qs = qs.filter(pk__in=SemesterReport.objects.values("application"))
    return qs.order_by("round", "rank", "applied_on", "pk")


# The dashboard's groups, each the same condition as its count (scholarships.dashboard).
HOLDS_AWARD = ["awarded", "admitted", "visa", "departed", "studying", "graduated", "returned"]
ABROAD = ["departed", "studying"]


def group_q(group: str, *, today) -> Q:
    if group == "awarded":
        return Q(stage__in=HOLDS_AWARD)
    if group in ("abroad", "alerts", "below"):
        return Q(stage__in=ABROAD)
    if group == "graduated":
        return Q(stage__in=["graduated", "returned"])
    if group == "commitment":
        return Q(
            commitment_until__isnull=False, commitment_fulfilled_on__isnull=True, commitment_waived_on__isnull=True
        )
    return Q()


def round_applications(selection_round: SelectionRound) -> list[Application]:
    """The round's applicants with what the requirements and the page read (fixed queries)."""
    return list(
        with_eligibility_data(selection_round.applications.all())
        .prefetch_related(Prefetch("achievements"))
        .order_by("rank", "applied_on", "pk")
    )
