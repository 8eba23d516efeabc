"""Who a send to a list reaches, with each person's placeholder values, and who is skipped and why.

The list is always recomputed from its definition (a batch, a cohort, a candidate filter, a
programme's shortlist, a kind of reminder) in the sender's scope: at preview, and again in the job
that prepares the messages.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import QueryDict
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from candidates.filters import CandidateFilter
from candidates.models import Candidate, Document
from candidates.selectors import candidate_list
from core.choices import DocumentType
from core.phones import InvalidPhone, normalise_phone
from placements.eligibility import Criteria
from placements.models import PlacementStage
from placements.reminders import kind_label as reminder_kind_label
from placements.reminders import reminder_placements
from placements.selectors import batch_enrolments, cohort_members, get_batch_for_user, get_cohort_for_user
from programmes.selectors import get_programme_for_user

from .models import Broadcast, Channel, ContactConsent, MessageTemplate
from .placeholders import placeholders_in

EARLY_ENDS = PlacementStage.early_ends()


@dataclass
class Recipient:
    candidate: Candidate
    values: dict[str, str]
    to: str = ""
    skip_reason: str = ""


@dataclass
class ListPreview:
    label: str
    recipients: list[Recipient] = field(default_factory=list)

    @property
    def to_send(self) -> list[Recipient]:
        return [r for r in self.recipients if not r.skip_reason]

    @property
    def skipped(self) -> list[Recipient]:
        return [r for r in self.recipients if r.skip_reason]

    @property
    def skip_counts(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for r in self.skipped:
            counts[r.skip_reason] = counts.get(r.skip_reason, 0) + 1
        return sorted(counts.items(), key=lambda kv: -kv[1])


def _d(day) -> str:
    return formats.date_format(day, "j F Y") if day else ""


def _with_consent(qs: QuerySet, channel: str) -> QuerySet:
    consents = ContactConsent.objects.in_force().filter(candidate=OuterRef("pk"), channel=channel)
    return qs.annotate(contact_consent=Exists(consents))


def shortlist_label(programme, shown: str) -> str:
    if shown == "missing":
        return _("%(programme)s: missing requirements") % {"programme": programme.name}
    return _("%(programme)s: meet every requirement") % {"programme": programme.name}


def _placements_rows(source: str, source_query: dict, user):
    """(label, placements, the date and place of the list) for a batch, a cohort or a kind of reminder."""
    if source == Broadcast.Source.REMINDERS:
        kind = source_query["kind"]
        placements = reminder_placements(user=user, kind=kind).select_related("programme", "cohort")
        rows = [
            (p, {"date": _d(p.cohort.planned_departure), "place": p.cohort.destination_city} if p.cohort else {})
            for p in placements
        ]
        return reminder_kind_label(kind), rows
    if source == Broadcast.Source.BATCH:
        batch = get_batch_for_user(user, source_query["batch"])
        enrolments = batch_enrolments(batch=batch, user=user).exclude(placement__stage__in=EARLY_ENDS)
        placements = [e.placement for e in enrolments.select_related("placement__programme")]
        extra = {"date": _d(batch.starts_on), "place": batch.provider.name}
        return batch.name, [(p, extra) for p in placements]
    cohort = get_cohort_for_user(user, source_query["cohort"])
    placements = list(
        cohort_members(cohort=cohort, user=user).exclude(stage__in=EARLY_ENDS).select_related("programme")
    )
    extra = {"date": _d(cohort.planned_departure), "place": cohort.destination_city}
    return cohort.name, [(p, extra) for p in placements]


def build_list(*, user, template: MessageTemplate, source: str, source_query: dict) -> ListPreview:
    """Everyone on the list once, each with their values, and the reason when they are skipped."""
    needs_documents = "documents_missing" in placeholders_in(template.body + template.subject)
    people: dict[int, tuple[int, dict[str, str]]] = {}
    if source == Broadcast.Source.CANDIDATES:
        data = QueryDict(mutable=True)
        for key, values in source_query.get("filters", {}).items():
            data.setlist(key, values)
        qs = CandidateFilter(data, queryset=candidate_list(user=user), user=user).qs
        label = _("Candidate list")
        ids = list(qs.values_list("pk", flat=True))
        programmes: dict[int, object] = {}
        for pk in ids:
            people[pk] = (None, {"programme": "", "date": "", "place": ""})
    elif source == Broadcast.Source.SHORTLIST:
        programme = get_programme_for_user(user, source_query["programme"])
        criteria = Criteria.for_programme(programme)
        shown = criteria.eligible(user) if source_query.get("list") == "eligible" else criteria.ineligible(user)
        label = shortlist_label(programme, source_query.get("list", "eligible"))
        programmes = {}
        for pk in shown.values_list("pk", flat=True):
            programmes[pk] = programme
            people[pk] = (programme.pk, {"programme": programme.name, "date": "", "place": ""})
    else:
        label, rows = _placements_rows(source, source_query, user)
        programmes = {}
        for placement, extra in rows:
            if placement.candidate_id in people:
                continue
            programmes[placement.candidate_id] = placement.programme
            values = {"programme": placement.programme.name, "date": "", "place": "", **extra}
            people[placement.candidate_id] = (placement.programme_id, values)

    candidates = _with_consent(Candidate.objects.filter(pk__in=list(people)), template.channel).order_by(
        "full_name", "pk"
    )
    if needs_documents:
        candidates = candidates.prefetch_related(
            Prefetch("documents", queryset=Document.objects.only("candidate_id", "doc_type", "expires_on"))
        )
    today = timezone.localdate()
    labels = dict(DocumentType.choices)
    preview = ListPreview(label=label)
    for candidate in candidates:
        values = {"name": candidate.full_name, **people[candidate.pk][1]}
        if needs_documents:
            programme = programmes.get(candidate.pk)
            required = list(getattr(programme, "required_documents", None) or [])
            held = {d.doc_type for d in candidate.documents.all() if d.expires_on is None or d.expires_on >= today}
            values["documents_missing"] = ", ".join(str(labels.get(t, t)) for t in required if t not in held) or "–"
        recipient = Recipient(candidate=candidate, values=values)
        recipient.to, recipient.skip_reason = _address(candidate, template.channel)
        preview.recipients.append(recipient)
    return preview


def _address(candidate: Candidate, channel: str) -> tuple[str, str]:
    """(address, "") or ("", why this person is skipped)."""
    if not candidate.has_consent:
        return "", _("no consent to data processing")
    if candidate.processing_restricted_on or candidate.erased_at:
        return "", _("processing restricted at the person's request")
    if not candidate.contact_consent:
        return "", _("no consent to be contacted by %(channel)s") % {"channel": Channel(channel).label}
    if channel == Channel.EMAIL:
        if not candidate.email:
            return "", _("no e-mail address")
        return candidate.email, ""
    try:
        return normalise_phone(candidate.phone), ""
    except InvalidPhone as exc:
        return "", str(exc)
