"""Reads of placements, training and cohorts, scoped to the user's municipality."""

from django.db.models import Count, QuerySet

from accounts.access import get_for_user, scope_queryset

from .models import Cohort, Placement, TrainingBatch, TrainingProvider


def placement_list(*, user) -> QuerySet[Placement]:
    qs = Placement.objects.select_related("candidate", "programme", "occupation")
    return scope_queryset(qs, user, "municipality")


def get_placement_for_user(user, pk, *, write: bool = False) -> Placement:
    return get_for_user(
        Placement.objects.select_related("candidate", "programme", "programme__agreement", "occupation", "cohort"),
        user,
        pk,
        field="municipality",
        write_perm="placements.change_placement" if write else None,
    )


def stage_counts_by_programme(*, user, programme_ids=None) -> dict[int, dict[str, int]]:
    """{programme_id: {stage: count}} for the user's placements, in one aggregate query."""
    qs = scope_queryset(Placement.objects.all(), user, "municipality")
    if programme_ids is not None:
        qs = qs.filter(programme_id__in=programme_ids)
    counts: dict[int, dict[str, int]] = {}
    for row in qs.values("programme_id", "stage").annotate(n=Count("id")).order_by():
        counts.setdefault(row["programme_id"], {})[row["stage"]] = row["n"]
    return counts


def provider_list(*, user) -> QuerySet[TrainingProvider]:
    return scope_queryset(TrainingProvider.objects.all(), user, "municipality", include_national=True)


def get_provider_for_user(user, pk, *, write: bool = False) -> TrainingProvider:
    return get_for_user(
        TrainingProvider.objects.all(),
        user,
        pk,
        field="municipality",
        include_national=True,
        write_perm="placements.change_trainingprovider" if write else None,
    )


def batch_list(*, user) -> QuerySet[TrainingBatch]:
    qs = TrainingBatch.objects.select_related("provider", "programme")
    return scope_queryset(qs, user, "municipality", include_national=True)


def get_batch_for_user(user, pk, *, write: bool = False) -> TrainingBatch:
    return get_for_user(
        TrainingBatch.objects.select_related("provider", "programme"),
        user,
        pk,
        field="municipality",
        include_national=True,
        write_perm="placements.change_trainingbatch" if write else None,
    )


def cohort_list(*, user) -> QuerySet[Cohort]:
    return scope_queryset(Cohort.objects.select_related("programme"), user, "municipality")


def get_cohort_for_user(user, pk, *, write: bool = False) -> Cohort:
    return get_for_user(
        Cohort.objects.select_related("programme"),
        user,
        pk,
        field="municipality",
        write_perm="placements.change_cohort" if write else None,
    )
