"""Demo protection data, made through the services: the demo app calls seed_protection_demo for
each office after its cohorts have departed.

On the office's first placements abroad: a wage dispute settled (the worker stays), an illness
ending in an early return, one absconding, welfare contacts for most of the others and none for
the last two (so their contact is overdue). Running it again adds nothing.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from placements.models import Placement, PlacementStage
from placements.selectors import placement_list

from . import services
from .models import Case, Contact

CHANNELS = [Contact.Channel.MESSAGING, Contact.Channel.PHONE, Contact.Channel.VIDEO]


def _at(day, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _after_departure(placement: Placement, days_ago: int, today):
    """`days_ago` before today, but never before the departure."""
    day = today - timedelta(days=days_ago)
    return max(day, placement.departed_on) if placement.departed_on else day


def seed_protection_demo(*, user, today=None) -> dict[str, int]:
    """Cases and contacts on the placements abroad that `user` may see; returns what was made."""
    today = today or timezone.localdate()
    abroad = list(placement_list(user=user).filter(stage=PlacementStage.ABROAD).order_by("pk"))
    made = {"cases": 0, "contacts": 0}
    if not abroad or Case.objects.filter(placement__in=abroad).exists():
        return made

    def case(placement, days_ago, **fields):
        reported = _at(_after_departure(placement, days_ago, today))
        made["cases"] += 1
        return services.case_open(user=user, placement=placement, reported_at=reported, **fields)

    def step(service, c, days_ago, **fields):
        c.refresh_from_db()
        on = _after_departure(c.placement, days_ago, today)
        return service(case=c, user=user, acted_on=on, version=c.version, **fields)

    if len(abroad) >= 1:
        wages = case(
            abroad[0],
            40,
            case_type=Case.Type.WAGES,
            severity=Case.Severity.NORMAL,
            reported_by=Case.Reporter.WORKER,
            summary="Overtime of two months not paid",
        )
        step(
            services.case_add_action,
            wages,
            38,
            what="Asked the partner county's labour desk to check the payslips",
            next_step="Call the worker after the next payday",
        )
        step(
            services.case_resolve, wages, 20, outcome=Case.Outcome.CONTINUES, what="Employer paid the overtime in full"
        )
        step(services.case_close, wages, 18, what="Worker confirmed the payment")
    if len(abroad) >= 2:
        sick = abroad[1]
        services.contact_create(
            user=user,
            placement=sick,
            contacted_on=_after_departure(sick, 12, today),
            channel=Contact.Channel.PHONE,
            wellbeing=Contact.Wellbeing.SERIOUS,
            note="Fever for a week",
        )
        made["contacts"] += 1
        illness = case(
            sick,
            12,
            case_type=Case.Type.ILLNESS,
            severity=Case.Severity.HIGH,
            reported_by=Case.Reporter.WORKER,
            summary="Hospitalised, asks to come home",
        )
        step(
            services.case_escalate,
            illness,
            11,
            to=Case.EscalatedTo.PARTNER,
            what="Partner arranged the hospital and the insurer",
            next_step="Book the flight home",
        )
        step(
            services.case_resolve,
            illness,
            5,
            outcome=Case.Outcome.EARLY_RETURN,
            what="Flew home; the employer paid the ticket",
        )
    if len(abroad) >= 3:
        gone = case(
            abroad[2],
            8,
            case_type=Case.Type.ABSCONDING,
            severity=Case.Severity.CRITICAL,
            reported_by=Case.Reporter.EMPLOYER,
            summary="Left the farm at night, phone off",
        )
        step(
            services.case_escalate, gone, 8, to=Case.EscalatedTo.EMBASSY, what="Reported to the embassy and the partner"
        )
        step(
            services.case_resolve,
            gone,
            6,
            outcome=Case.Outcome.ABSCONDED,
            what="Not found after 48 hours; reported as absconded to the partner",
        )
    for index, placement in enumerate(abroad[3:-2] if len(abroad) > 5 else abroad[3:]):
        services.contact_record_save(user=user, placement=placement, emergency_contact_relation="Orang tua")
        services.contact_create(
            user=user,
            placement=placement,
            contacted_on=_after_departure(placement, 3 + index % 10, today),
            channel=CHANNELS[index % len(CHANNELS)],
            wellbeing=Contact.Wellbeing.CONCERN if index % 7 == 3 else Contact.Wellbeing.GOOD,
        )
        made["contacts"] += 1
    return made
