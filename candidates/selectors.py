"""Reads of candidates and their documents, scoped to the user's municipality."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext as _
from pghistory.models import Events

from accounts.access import get_for_user, require_persons, scope_q, scope_queryset
from core.choices import DocumentType
from core.history import HistoryEntry, history_entries

from . import extensions
from .models import (
    Candidate,
    CandidateEvent,
    Document,
    DocumentEvent,
    LanguageResult,
    LanguageResultEvent,
    Transfer,
    TransferEvent,
)
from .privacy import mask_identifier

# A name this similar (pg_trgm similarity of the upper-cased names, 0–1) with the same birth date
# or the same phone is worth a second look: "NUR AGIS" / "NUR AGIES" scores 0.58.
DUPLICATE_NAME_SIMILARITY = 0.5
EXPIRING_WITHIN_DAYS = 90


def candidate_list(*, user) -> QuerySet[Candidate]:
    """Named persons in the user's scope; 403 for a user who reads counts only (national viewer)."""
    require_persons(user)
    return scope_queryset(Candidate.objects.select_related("municipality"), user, "municipality")


def candidates_to_count(*, user) -> QuerySet[Candidate]:
    """The candidates in the user's scope, for aggregates only (counts per municipality and the
    like): the national viewer counts them but never reads one (candidate_list)."""
    return scope_queryset(Candidate.objects.all(), user, "municipality")


def candidate_list_for_display(*, user) -> QuerySet[Candidate]:
    """The list page's rows: each column registered by another app adds one prefetch query."""
    return candidate_list(user=user).prefetch_related(*(column.prefetch() for column in extensions.list_columns()))


def get_candidate_for_user(user, pk, *, write: bool = False) -> Candidate:
    require_persons(user)
    return get_for_user(
        Candidate.objects.select_related("municipality", "consent_taken_by"),
        user,
        pk,
        field="municipality",
        write_perm="candidates.change_candidate" if write else None,
    )


def get_document_for_user(user, pk, *, write: bool = False) -> Document:
    require_persons(user)
    return get_for_user(
        Document.objects.select_related("candidate", "candidate__municipality"),
        user,
        pk,
        field="candidate__municipality",
        write_perm="candidates.change_document" if write else None,
    )


# --- duplicates ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NikOwner:
    """Who already holds a NIK: the record itself when the user may see it, else only the office."""

    candidate: Candidate | None
    office: str


def candidate_nik_owner(*, user, nik: str, exclude_pk: int | None = None) -> NikOwner | None:
    """Look the NIK up across every municipality (one person, one record), revealing only the office
    name when the record is outside the user's scope."""
    qs = Candidate.objects.select_related("municipality").filter(nik=nik)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    existing = qs.first()
    if existing is None:
        return None
    visible = scope_queryset(Candidate.objects.filter(pk=existing.pk), user, "municipality").exists()
    return NikOwner(candidate=existing if visible else None, office=existing.municipality.name)


def _similar_people(*, full_name: str, birth_date: date | None, phone: str, exclude_pk: int | None):
    """Every registered person resembling the one entered, in any municipality: a similar name
    (pg_trgm, DUPLICATE_NAME_SIMILARITY) with the same birth date or the same phone. A shared phone
    alone is no duplicate (families share one), so the name must be similar too. None: nothing to
    compare. The one rule for the entry form, the API and (as SQL over a whole file) the import."""
    same = Q()
    if birth_date:
        same |= Q(birth_date=birth_date)
    if phone:
        same |= Q(phone=phone)
    if not same or not full_name:
        return None
    qs = (
        Candidate.objects.filter(same)
        .annotate(name_similarity=TrigramSimilarity(Upper("full_name"), full_name.upper()))
        .filter(name_similarity__gte=DUPLICATE_NAME_SIMILARITY)
    )
    return qs.exclude(pk=exclude_pk) if exclude_pk else qs


def candidate_possible_duplicates(
    *, user, full_name: str, birth_date: date | None, phone: str, exclude_pk: int | None = None, limit: int = 10
) -> list[Candidate]:
    """Candidates in the user's scope who resemble the one entered (_similar_people)."""
    qs = _similar_people(full_name=full_name, birth_date=birth_date, phone=phone, exclude_pk=exclude_pk)
    if qs is None:
        return []
    return list(
        qs.filter(scope_q(user, "municipality"))
        .select_related("municipality")
        .order_by("-name_similarity", "pk")[:limit]
    )


def similar_people_elsewhere(
    *, user, full_name: str, birth_date: date | None, phone: str, exclude_pk: int | None = None
) -> list[str]:
    """The names of the other offices (municipalities outside the user's scope) that registered
    someone resembling the one entered (_similar_people). Only the office: never the other record's
    name, NIK, id, address or anything else (Law 27/2022), as for a NIK registered elsewhere."""
    qs = _similar_people(full_name=full_name, birth_date=birth_date, phone=phone, exclude_pk=exclude_pk)
    if qs is None or user.sees_all_municipalities:
        return []
    names = qs.exclude(scope_q(user, "municipality")).values_list("municipality__name", flat=True)
    return sorted(set(names))


def similar_elsewhere_warning(office: str) -> str:
    """The warning at entry (form, API, import) for someone similar registered by another office."""
    return _(
        "Someone with a similar name and the same birth date or phone is registered at %(office)s. "
        "If it is the same person, contact that office (a person has one record)."
    ) % {"office": office}


# --- the detail page ------------------------------------------------------------------------------


def candidate_detail_queryset() -> QuerySet[Candidate]:
    return Candidate.objects.select_related("municipality", "consent_taken_by").prefetch_related(
        Prefetch("documents", queryset=Document.objects.select_related("verified_by", "uploaded_by")),
        Prefetch("language_results", queryset=LanguageResult.objects.order_by("-taken_on")),
        *(lookup for section in extensions.detail_sections() for lookup in section.prefetch()),
    )


def get_candidate_detail_for_user(user, pk) -> Candidate:
    require_persons(user)
    return get_for_user(candidate_detail_queryset(), user, pk, field="municipality")


@dataclass
class DocumentStatus:
    doc_type: str
    label: str
    status: str  # valid | expiring | expired | missing | no_expiry
    document: Document | None = None
    required_by: list[str] = field(default_factory=list)


def document_status(document: Document | None, today: date) -> str:
    if document is None:
        return "missing"
    if document.expires_on is None:
        return "valid"
    if document.expires_on < today:
        return "expired"
    if document.expires_on <= today + timedelta(days=EXPIRING_WITHIN_DAYS):
        return "expiring"
    return "valid"


def candidate_document_statuses(candidate: Candidate, *, today: date | None = None) -> list[DocumentStatus]:
    """One line per document type the candidate holds or a record of another app requires (a
    programme the candidate applied to, through extensions.DetailSection.required_documents).

    Uses the prefetched documents and sections; the best document of a type is the one that
    expires last (no expiry counts as the best).
    """
    today = today or timezone.localdate()
    best: dict[str, Document] = {}
    for doc in candidate.documents.all():
        current = best.get(doc.doc_type)
        if current is None or _expiry_key(doc) > _expiry_key(current):
            best[doc.doc_type] = doc
    required: dict[str, list[str]] = {}
    for section in extensions.detail_sections():
        if section.required_documents is not None:
            for doc_type, names in section.required_documents(candidate).items():
                required.setdefault(doc_type, []).extend(names)
    labels = dict(DocumentType.choices)
    rows = []
    for doc_type in DocumentType.values:
        if doc_type not in best and doc_type not in required:
            continue
        doc = best.get(doc_type)
        rows.append(
            DocumentStatus(
                doc_type=doc_type,
                label=labels[doc_type],
                status=document_status(doc, today),
                document=doc,
                required_by=sorted(set(required.get(doc_type, []))),
            )
        )
    return rows


def _expiry_key(doc: Document) -> date:
    return doc.expires_on or date.max


# --- history --------------------------------------------------------------------------------------


def candidate_history(candidate: Candidate, *, mask_identifiers: bool = True) -> list[HistoryEntry]:
    """Every recorded change to the candidate, its documents, language results and transfers between
    offices, newest first.
    NIK and document numbers are masked unless mask_identifiers is False."""
    events = (
        Events.objects.references(candidate)
        .across(CandidateEvent, DocumentEvent, LanguageResultEvent, TransferEvent)
        .order_by("-pgh_created_at", "-pgh_id")
    )
    return history_entries(
        list(events),
        describe=_history_subject,
        hidden={"candidate", "municipality"},
        masked={"nik", "number"} if mask_identifiers else (),
        mask=mask_identifier,
    )


def _history_subject(model, data: dict) -> str:
    if model is Candidate:
        return _("Profile")
    if model is Transfer:
        return _("Transfer between offices")
    if model is Document:
        return _("Document: %(type)s") % {"type": dict(DocumentType.choices).get(data.get("doc_type"), "")}
    return _("Language result")
