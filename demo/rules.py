"""The proof that seeded data obeys the placement rules: each placement is checked, for every stage
it reached, against what that stage's gate requires, on the day it entered the stage.

The gate functions are the app's own (placements.gates); the only rule checked here that the gates
do not yet hold is issue 11's "no departure before the agreement is signed".
"""

import random
from collections.abc import Iterable
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from placements.gates import PIPELINE, requirement_failures, stage_requirements
from placements.models import Placement, PlacementStage, PlacementStageEvent
from placements.requirements import SIGNED_AGREEMENT_STAGES
from programmes.models import Agreement

# Stages up to departure need the candidate's consent on the day of the move (gates.check_move).
CONSENT_UNTIL = PIPELINE.index(PlacementStage.DEPARTED)


def agreement_signed_on(agreement: Agreement) -> date | None:
    """The day the agreement first reached a signed stage, or None while it is not signed now."""
    if agreement.stage not in SIGNED_AGREEMENT_STAGES:
        return None
    days = [e.occurred_on for e in agreement.stage_events.all() if e.stage in SIGNED_AGREEMENT_STAGES]
    return min(days) if days else agreement.stage_entered_on


def placement_rule_failures(placement: Placement, *, today: date, signed: dict[int, date | None]) -> list[str]:
    """What is wrong with this placement's journey; an empty list when every gate held.

    `placement` comes from rules_queryset (events, documents, results and enrolments prefetched);
    `signed` caches agreement_signed_on per agreement id.
    """
    failures: list[str] = []
    events = sorted(placement.stage_events.all(), key=lambda e: (e.moved_at, e.pk))
    if not events or events[0].to_stage != PlacementStage.REGISTERED:
        return ["history: does not start at registered"]
    if events[-1].to_stage != placement.stage:
        failures.append(f"history: ends at {events[-1].to_stage}, the placement is at {placement.stage}")
    candidate, programme = placement.candidate, placement.programme
    for event in events[1:]:
        stage, on = event.to_stage, timezone.localdate(event.moved_at)
        if stage not in PIPELINE:
            if not placement.end_reason.strip():
                failures.append(f"{stage}: no reason")
            continue
        if PIPELINE.index(stage) <= CONSENT_UNTIL and not (
            candidate.consent_given_on
            and candidate.consent_given_on <= on
            and (candidate.consent_withdrawn_on is None or candidate.consent_withdrawn_on >= on)
        ):
            failures.append(f"{stage} on {on}: no consent that day")
        failures += [f"{stage} on {on}: {f.message}" for f in stage_requirements(placement, stage, today=on)]
        if stage == PlacementStage.DEPARTED:
            agreement = programme.agreement
            if agreement.pk not in signed:
                signed[agreement.pk] = agreement_signed_on(agreement)
            since = signed[agreement.pk]
            if since is None or since > on:
                failures.append(f"departed on {on}: the agreement was not signed")
    reached_screening = any(e.to_stage == PlacementStage.SCREENED for e in events)
    not_departed = placement.stage in PIPELINE[: PIPELINE.index(PlacementStage.DEPARTED)]
    if reached_screening and not_departed:
        # Still before departure: the screening requirements hold on its reference date as well (after
        # departure they were checked on the day it departed, above).
        failures += [
            f"screening on its reference date: {f.message}"
            for f in requirement_failures(placement, PlacementStage.SCREENED, today=today)
        ]
    return failures


def rules_queryset(qs: QuerySet[Placement]) -> QuerySet[Placement]:
    """Everything placement_rule_failures reads, in a constant number of queries."""
    return qs.select_related("candidate", "programme__agreement", "cohort").prefetch_related(
        "candidate__documents",
        "candidate__language_results",
        "enrolments",
        Prefetch("stage_events", queryset=PlacementStageEvent.objects.order_by("moved_at", "pk")),
        "programme__agreement__stage_events",
    )


def check_placements(placements: Iterable[Placement], *, today: date | None = None) -> dict[int, list[str]]:
    """{placement id: failures} for the placements that break a rule (empty when all obey)."""
    today = today or timezone.localdate()
    signed: dict[int, date | None] = {}
    found = {}
    for placement in placements:
        failures = placement_rule_failures(placement, today=today, signed=signed)
        if failures:
            found[placement.pk] = failures
    return found


def sample_ids(size: int, *, seed: int = 0) -> list[int]:
    """`size` placement ids drawn at random (all of them when there are fewer)."""
    ids = list(Placement.objects.values_list("pk", flat=True))
    return sorted(random.Random(seed).sample(ids, min(size, len(ids))))


def check_sample(size: int, *, seed: int = 0, today: date | None = None) -> tuple[int, dict[int, list[str]]]:
    """Check `size` placements drawn at random: (how many were checked, the failures found)."""
    ids = sample_ids(size, seed=seed)
    found = {}
    for start in range(0, len(ids), 1000):
        chunk = rules_queryset(Placement.objects.filter(pk__in=ids[start : start + 1000]))
        found.update(check_placements(chunk, today=today))
    return len(ids), found
