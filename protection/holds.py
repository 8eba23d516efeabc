"""A partner country's hold on a programme, as a departure check (registered with placements'
extension point in apps.py)."""

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from placements.gates import Gate, GateFailure

from .models import ProgrammeHold


def in_force_q(today: date) -> Q:
    return Q(held_on__lte=today) & (Q(lifted_on__isnull=True) | Q(lifted_on__gt=today))


def holds_in_force(*, today: date | None = None) -> QuerySet[ProgrammeHold]:
    return ProgrammeHold.objects.filter(in_force_q(today or timezone.localdate()))


def hold_failures(programme) -> list[GateFailure]:
    """The programme is on hold by its partner: no departure (one query)."""
    hold = holds_in_force().filter(programme_id=programme.pk).order_by("held_on").first()
    if hold is None:
        return []
    return [
        GateFailure(
            Gate.COHORT,
            _("Hold: %(programme)s is on hold by the partner country since %(date)s (%(source)s); no one departs.")
            % {"programme": programme.name, "date": date_format(hold.held_on, "j M Y"), "source": hold.source},
        )
    ]
