"""What needs action: expiring documents and passports, cohorts not ready, stalled agreements, licences.

Each kind is one query (so the list and the count cost five queries whatever the data, and one
more each per kind a higher app adds through extensions.reminder_sources); the list shows at most
LIMIT rows of each kind, the count counts them all.

The count of the two kinds about documents (expiring before departure, passports expiring too
early) reads the reminder facts PostgreSQL keeps per placement (placements.reminder_facts, the
PlacementReminder table): an index scan over the placements that have a reminder, whatever the
number of placements. The querysets below stay the rule's source for the list (names, dates);
tests/placements/test_reminder_facts.py proves the facts agree with them.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, DateField, F, Max, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.access import scope_queryset
from candidates.models import Document
from core.choices import DocumentType
from core.dates import AddMonths
from programmes.models import AgreementStage
from programmes.selectors import stalled_agreements

from . import extensions
from .gates import PIPELINE
from .models import Cohort, Placement, PlacementReminder, PlacementStage
from .selectors import provider_list

LIMIT = 200
COHORT_WINDOW_DAYS = 30
LICENCE_WINDOW_DAYS = 90
BEFORE_DEPARTURE = PIPELINE[: PIPELINE.index(PlacementStage.DEPARTED)]
BEFORE_VISA = PIPELINE[: PIPELINE.index(PlacementStage.VISA)]
# Placements that have a planned return to hold the passport against.
HEADING_ABROAD = PIPELINE[PIPELINE.index(PlacementStage.SELECTED) : PIPELINE.index(PlacementStage.RETURNED)]


class Kind:
    DOCUMENT = "document"
    PASSPORT = "passport"
    COHORT = "cohort"
    AGREEMENT = "agreement"
    LICENCE = "licence"


# The kinds whose reminders are about people (a list of them can be sent a message).
PERSON_KINDS = (Kind.DOCUMENT, Kind.PASSPORT, Kind.COHORT)


@dataclass(frozen=True)
class Reminder:
    kind: str
    municipality_code: str  # "" for national records
    municipality: str
    subject: str
    message: str
    url: str
    due: date | None
    # Kinds from other apps (extensions.reminder_sources) bring their heading and their full list.
    label: str = ""
    list_url: str = ""

    @property
    def kind_label(self) -> str:
        return self.label or kind_label(self.kind)


def kind_label(kind: str) -> str:
    return {
        Kind.DOCUMENT: _("Document expires before departure"),
        Kind.PASSPORT: _("Passport expires too early"),
        Kind.COHORT: _("Cohort departs soon, not everyone has a visa"),
        Kind.AGREEMENT: _("Agreement stalled"),
        Kind.LICENCE: _("Training licence expires"),
    }[kind]


@dataclass
class ScopeUser:
    """A stand-in for a signed-in user when a job runs outside a request: one municipality, or all."""

    municipality_id: int | None = None
    is_authenticated: bool = True
    is_superuser: bool = False

    @property
    def sees_all_municipalities(self) -> bool:
        return self.municipality_id is None

    def has_perm(self, perm: str) -> bool:
        """The jobs send reminders to staff: every kind of reminder is theirs to see."""
        return True


def _d(value: date | None) -> str:
    return date_format(value, "j M Y") if value else "–"


# --- the five queries ----------------------------------------------------------------------------


def _documents(user, *fields: str) -> QuerySet:
    """Per placement in a cohort not yet departed and document type: the newest expiry, when it
    falls before the planned departure (a renewed document clears the reminder). `fields` are the
    columns the list shows; the count asks for none, so it groups on narrow keys only."""
    qs = scope_queryset(Placement.objects.all(), user, "municipality")
    return (
        qs.filter(stage__in=BEFORE_DEPARTURE, cohort__isnull=False, cohort__actual_departure__isnull=True)
        .values("pk", *fields, doc_type=F("candidate__documents__doc_type"))
        .annotate(latest=Max("candidate__documents__expires_on"))
        .filter(latest__lt=F("cohort__planned_departure"))
    )


def _document_list(user) -> QuerySet:
    fields = ("candidate__full_name", "cohort__name", "cohort__planned_departure")
    return _documents(user, *fields, "municipality__code", "municipality__name").order_by("latest", "pk")


def _passports(user) -> QuerySet:
    """Placements heading abroad whose newest passport expires before the planned return plus the
    programme's required months (or who have no passport on file)."""
    qs = scope_queryset(Placement.objects.all(), user, "municipality")
    # The newest passport per candidate, read from the (candidate, doc_type, expires_on) index: no
    # join to every document and no GROUP BY over the placements.
    newest_passport = (
        Document.objects.filter(candidate=OuterRef("candidate_id"), doc_type=DocumentType.PASSPORT)
        .values("candidate")
        .annotate(newest=Max("expires_on"))
        .values("newest")
    )
    return (
        qs.filter(stage__in=HEADING_ABROAD)
        .annotate(planned=Coalesce("cohort__return_due_on", "planned_return_on"))
        .filter(planned__isnull=False)
        .annotate(
            needed=AddMonths(F("planned"), F("programme__passport_months_beyond_return")),
            passport=Subquery(newest_passport, output_field=DateField()),
        )
        # "None on file, or expires too early" as one comparison, so the subquery runs once a row.
        .filter(needed__gt=Coalesce(F("passport"), Value(date.min)))
    )


def _passport_list(user) -> QuerySet:
    return (
        _passports(user)
        .values(
            "pk", "candidate__full_name", "planned", "needed", "passport", "municipality__code", "municipality__name"
        )
        .order_by("passport", "pk")
    )


def _cohorts(user, today: date) -> QuerySet:
    qs = scope_queryset(Cohort.objects.all(), user, "municipality")
    return (
        qs.filter(actual_departure__isnull=True, planned_departure__lte=today + timedelta(days=COHORT_WINDOW_DAYS))
        .annotate(not_ready=Count("placements", filter=Q(placements__stage__in=BEFORE_VISA)))
        .filter(not_ready__gt=0)
        .values("pk", "name", "planned_departure", "not_ready", "municipality__code", "municipality__name")
        .order_by("planned_departure", "pk")
    )


def _agreements(user, today: date) -> QuerySet:
    return stalled_agreements(user=user, today=today).values(
        "pk", "title", "stage", "days_in_stage", "expected_days", "municipality__code", "municipality__name"
    )


def _licences(user, today: date) -> QuerySet:
    return (
        provider_list(user=user)
        .filter(licence_expires_on__lte=today + timedelta(days=LICENCE_WINDOW_DAYS))
        .values("pk", "name", "licence_number", "licence_expires_on", "municipality__code", "municipality__name")
        .order_by("licence_expires_on", "pk")
    )


# --- public --------------------------------------------------------------------------------------


def _document_count(user) -> int:
    """How many rows _documents(user) holds, from the facts: the sum over the placements with any due."""
    facts = scope_queryset(PlacementReminder.objects.filter(documents_due__gt=0), user, "municipality")
    return facts.aggregate(n=Sum("documents_due"))["n"] or 0


def _passport_count(user) -> int:
    """How many rows _passports(user) holds, from the facts."""
    return scope_queryset(PlacementReminder.objects.filter(passport_due=True), user, "municipality").count()


def reminders_count(*, user, today: date | None = None) -> int:
    """How many reminders the user has (five COUNT queries, and one per registered source); the two
    about documents read the facts PostgreSQL keeps, the three others count small tables."""
    today = today or timezone.localdate()
    own = (
        _document_count(user)
        + _passport_count(user)
        + sum(qs.count() for qs in (_cohorts(user, today), _agreements(user, today), _licences(user, today)))
    )
    return own + sum(source.count(user=user, today=today) for source in extensions.reminder_sources(user))


def reminder_list(*, user, today: date | None = None) -> list[Reminder]:
    """Every reminder in the user's scope (at most LIMIT of each kind), soonest first within a kind."""
    today = today or timezone.localdate()
    out: list[Reminder] = []

    def add(kind, row, subject, message, url, due):
        out.append(
            Reminder(
                kind=kind,
                municipality_code=row["municipality__code"] or "",
                municipality=row["municipality__name"] or _("National"),
                subject=subject,
                message=message,
                url=url,
                due=due,
            )
        )

    for row in _document_list(user)[:LIMIT]:
        label = DocumentType(row["doc_type"]).label if row["doc_type"] in DocumentType.values else row["doc_type"]
        add(
            Kind.DOCUMENT,
            row,
            row["candidate__full_name"],
            _("%(document)s expires on %(expires)s, before %(cohort)s departs on %(departure)s.")
            % {
                "document": label,
                "expires": _d(row["latest"]),
                "cohort": row["cohort__name"],
                "departure": _d(row["cohort__planned_departure"]),
            },
            reverse("placements:placement_detail", args=[row["pk"]]),
            row["latest"],
        )
    for row in _passport_list(user)[:LIMIT]:
        if row["passport"] is None:
            message = _("No passport on file; it must be valid until %(needed)s.") % {"needed": _d(row["needed"])}
        else:
            message = _("Passport expires on %(expires)s; it must be valid until %(needed)s (return %(planned)s).") % {
                "expires": _d(row["passport"]),
                "needed": _d(row["needed"]),
                "planned": _d(row["planned"]),
            }
        add(
            Kind.PASSPORT,
            row,
            row["candidate__full_name"],
            message,
            reverse("placements:placement_detail", args=[row["pk"]]),
            row["passport"],
        )
    for row in _cohorts(user, today)[:LIMIT]:
        add(
            Kind.COHORT,
            row,
            row["name"],
            _("Departs on %(departure)s; %(count)s placements are not at “Visa” yet.")
            % {"departure": _d(row["planned_departure"]), "count": row["not_ready"]},
            reverse("placements:cohort_detail", args=[row["pk"]]),
            row["planned_departure"],
        )
    for row in _agreements(user, today)[:LIMIT]:
        add(
            Kind.AGREEMENT,
            row,
            row["title"],
            _("%(days)s days at “%(stage)s”, expected %(expected)s.")
            % {
                "days": row["days_in_stage"],
                "stage": AgreementStage(row["stage"]).label,
                "expected": row["expected_days"],
            },
            reverse("programmes:agreement_detail", args=[row["pk"]]),
            None,
        )
    for row in _licences(user, today)[:LIMIT]:
        expires = row["licence_expires_on"]
        template = (
            _("Licence %(number)s expired on %(date)s.")
            if expires < today
            else _("Licence %(number)s expires on %(date)s.")
        )
        add(
            Kind.LICENCE,
            row,
            row["name"],
            template % {"number": row["licence_number"] or "–", "date": _d(expires)},
            reverse("placements:provider_list"),
            expires,
        )
    for source in extensions.reminder_sources(user):
        out.extend(source.items(user=user, today=today, limit=LIMIT))
    return out


def reminder_placements(*, user, kind: str, today: date | None = None) -> QuerySet[Placement]:
    """The placements a person-kind's reminders are about (every one, not only the LIMIT listed): for
    a cohort departing soon, its placements not yet at "Visa"."""
    today = today or timezone.localdate()
    placements = scope_queryset(Placement.objects.all(), user, "municipality")
    if kind == Kind.DOCUMENT:
        return placements.filter(pk__in={row["pk"] for row in _documents(user)})
    if kind == Kind.PASSPORT:
        return placements.filter(pk__in=_passports(user).values("pk"))
    if kind == Kind.COHORT:
        return placements.filter(cohort__in=_cohorts(user, today).values("pk"), stage__in=BEFORE_VISA)
    raise ValueError(f"not a reminder about people: {kind}")
