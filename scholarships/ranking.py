"""A round's ranking: each criterion's average over the reviewers who may score the applicant (a
reviewer with a declared conflict, or no longer on the round, does not count), the weighted total,
and the rank with ties broken by a stated rule. Pure over the rows passed in, so the round page,
the approval and the tests compute it the same way."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from .models import Application, Criterion

TIE_RULE = _(
    "Equal totals: the higher need score ranks first, then the earlier application (date, then registration order)."
)
CENT = Decimal("0.01")


@dataclass
class Ranked:
    application: Application
    averages: dict[str, Decimal | None] = field(default_factory=dict)
    reviewers: int = 0
    total: Decimal | None = None
    rank: int | None = None
    outcome: str = ""

    @property
    def complete(self) -> bool:
        return self.total is not None


def rank_applications(
    applications: Sequence[Application],
    scores: Iterable[tuple[int, int, str, Decimal]],
    *,
    weights: dict[str, int],
    reviewer_ids: set[int],
    conflicts: set[tuple[int, int]],
    quota: int,
    reserve_size: int,
) -> list[Ranked]:
    """`scores`: (application id, reviewer id, criterion, value); `conflicts`: (application id,
    reviewer id). Ranked first, in rank order; applicants missing a weighted criterion after them."""
    values: dict[int, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    who: dict[int, set[int]] = defaultdict(set)
    for app_id, reviewer_id, criterion, value in scores:
        if reviewer_id not in reviewer_ids or (app_id, reviewer_id) in conflicts:
            continue
        values[app_id][criterion].append(Decimal(value))
        who[app_id].add(reviewer_id)
    weighted = {c: w for c, w in weights.items() if w}
    weight_sum = sum(weighted.values())
    rows = []
    for app in applications:
        per = values.get(app.pk, {})
        averages = {
            c: (sum(per[c]) / len(per[c])).quantize(CENT, ROUND_HALF_UP) if per.get(c) else None
            for c in Criterion.values
        }
        row = Ranked(app, averages, len(who.get(app.pk, ())))
        if weight_sum and all(averages[c] is not None for c in weighted):
            total = sum(Decimal(w) * averages[c] for c, w in weighted.items()) / weight_sum
            row.total = total.quantize(CENT, ROUND_HALF_UP)
        rows.append(row)
    ranked = sorted(
        (r for r in rows if r.complete),
        key=lambda r: (-r.total, -(r.averages.get(Criterion.NEED) or 0), r.application.applied_on, r.application.pk),
    )
    for position, row in enumerate(ranked, start=1):
        row.rank = position
        if position <= quota:
            row.outcome = Application.Outcome.AWARDED
        elif position <= quota + reserve_size:
            row.outcome = Application.Outcome.RESERVE
        else:
            row.outcome = Application.Outcome.NOT_AWARDED
    return ranked + [r for r in rows if not r.complete]
