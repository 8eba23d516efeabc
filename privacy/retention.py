"""The retention policy applied (`manage.py apply_retention`, and daily through the job scheduler).

Each active RetentionPolicy names a rule and a number of years:
- never placed: a person none of whose placements ever departed, whose record and placements have
  not changed for N years, is erased (the anonymous row stays for the counts);
- documents after return: document files of a person whose latest placement returned N years ago
  (and who has no placement still open) are deleted, the rows (type, dates, verification) stay.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from candidates.models import Candidate, Document
from core.dates import add_months
from placements.gates import PIPELINE
from placements.models import Placement, PlacementStage

from . import services
from .models import RetentionPolicy

DEPARTED_OR_LATER = PIPELINE[PIPELINE.index(PlacementStage.DEPARTED) :]
OPEN_STAGES = PIPELINE[: PIPELINE.index(PlacementStage.RETURNED)]


def never_placed_inactive(years: int, today: date) -> QuerySet[Candidate]:
    """People never sent abroad whose record and placements have been untouched for `years` years."""
    cutoff = add_months(today, -12 * years)
    departed = Placement.objects.filter(candidate=OuterRef("pk")).filter(
        Q(stage__in=DEPARTED_OR_LATER) | Q(departed_on__isnull=False)
    )
    recent = Placement.objects.filter(candidate=OuterRef("pk"), stage_changed_at__date__gte=cutoff)
    return Candidate.objects.filter(erased_at__isnull=True, updated_at__date__lt=cutoff).filter(
        ~Exists(departed), ~Exists(recent)
    )


def documents_after_return(years: int, today: date) -> QuerySet[Document]:
    """Document files of people back home for `years` years, with no placement still open."""
    cutoff = add_months(today, -12 * years)
    open_placement = Placement.objects.filter(candidate=OuterRef("candidate"), stage__in=OPEN_STAGES)
    returned = (
        Candidate.objects.annotate(last_return=Max("placements__returned_on"))
        .filter(last_return__lt=cutoff)
        .values("pk")
    )
    return Document.objects.exclude(file="").filter(candidate__in=returned).filter(~Exists(open_placement))


@dataclass
class RetentionResult:
    """What the policy matches (dry run) or did (commit): {rule: count}."""

    committed: bool
    counts: dict[str, int] = field(default_factory=dict)


def apply_retention(*, user, commit: bool = False, today: date | None = None) -> RetentionResult:
    """Count (dry run) or act on every active policy, all in one transaction."""
    today = today or timezone.localdate()
    result = RetentionResult(committed=commit)
    with transaction.atomic():
        for policy in RetentionPolicy.objects.filter(active=True):
            if policy.rule == RetentionPolicy.Rule.NEVER_PLACED:
                pks = list(never_placed_inactive(policy.years, today).values_list("pk", flat=True))
                if commit:
                    for candidate in Candidate.objects.filter(pk__in=pks):
                        services.candidate_erase(user=user, candidate=candidate, today=today)
                result.counts[policy.rule] = len(pks)
            elif policy.rule == RetentionPolicy.Rule.DOCUMENTS_AFTER_RETURN:
                documents = documents_after_return(policy.years, today)
                if commit:
                    result.counts[policy.rule] = services.documents_files_delete(user=user, documents=documents)
                else:
                    result.counts[policy.rule] = documents.count()
    return result
