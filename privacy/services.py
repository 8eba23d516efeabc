"""Writes of the personal-data register: requests and their answers, breaches, erasure.

Every service takes the acting `user` keyword-only and checks it (accounts.access): staff and the
data-protection officer of the person's municipality work requests; the officer works breaches.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import require_create, require_write
from candidates import extensions as candidate_extensions
from candidates.models import Candidate, CandidateEvent, Document, DocumentEvent, LanguageResult, LanguageResultEvent
from core.dates import age_band_of
from placements.models import Placement, PlacementEvent

from .models import Breach, DataRequest


@dataclass(frozen=True)
class System:
    """The actor of the retention policy (`apply_retention`, a scheduled job): acts for every office."""

    is_superuser: bool = True
    municipality_id: int | None = None
    pk: None = None

    def has_perm(self, perm: str, obj=None) -> bool:
        return True


RETENTION = System()
REQUEST_WRITE = "privacy.change_datarequest"
BREACH_WRITE = "privacy.change_breach"
# Anything left after erasure is what the counts need: municipality, sex, kecamatan, education,
# registration, the age band, consent dates, placements' stages and dates.
ERASED_VALUES = {
    "nik": None,
    "full_name": "",
    "birth_date": None,
    "birth_place": "",
    "address": "",
    "kelurahan_code": "",
    "phone": "",
    "email": "",
    "notes": "",
}


# --- requests ---------------------------------------------------------------------------------------


@transaction.atomic
def data_request_create(*, user, candidate: Candidate, data: dict) -> DataRequest:
    """Record a request received from `candidate` (kind, received at, channel, identity check)."""
    require_write(user, "privacy.add_datarequest", candidate.municipality_id)
    if candidate.is_erased:
        raise ValidationError(_("This person's data has been erased."))
    received_at = data["received_at"]
    if received_at > timezone.now():
        raise ValidationError({"received_at": _("The request cannot be received in the future.")})
    request = DataRequest(
        municipality_id=candidate.municipality_id,
        candidate=candidate,
        kind=data["kind"],
        received_at=received_at,
        channel=data["channel"],
        identity_checked_by=data["identity_checked_by"],
        identity_check=data["identity_check"],
        details=data.get("details", ""),
        recorded_by=user,
    )
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def data_request_answer(
    *, user, request: DataRequest, outcome: str, note: str, answered_at: datetime | None = None
) -> DataRequest:
    """Record the answer, which stops the clock. An erasure request answered "erased" erases the
    person; a restriction answered "done" restricts their processing from today."""
    require_write(user, REQUEST_WRITE, request.municipality_id)
    locked = DataRequest.objects.select_for_update().select_related("candidate").get(pk=request.pk)
    if locked.is_answered:
        raise ValidationError(_("This request has already been answered."))
    if outcome == DataRequest.Outcome.ERASED and locked.kind != DataRequest.Kind.ERASURE:
        raise ValidationError({"outcome": _("Only an erasure request can be answered with an erasure.")})
    if outcome == DataRequest.Outcome.REFUSED and not note.strip():
        raise ValidationError({"answer_note": _("Say why the request is refused.")})
    locked.answered_at = answered_at or timezone.now()
    locked.answered_by = user
    locked.outcome = outcome
    locked.answer_note = note
    if locked.answered_at < locked.received_at:
        raise ValidationError({"answered_at": _("The answer cannot be before the request was received.")})
    locked.full_clean()
    locked.save()
    if outcome == DataRequest.Outcome.ERASED:
        candidate_erase(user=user, candidate=locked.candidate)
    elif locked.kind == DataRequest.Kind.RESTRICTION and outcome in (
        DataRequest.Outcome.DONE,
        DataRequest.Outcome.PARTLY,
    ):
        candidate = Candidate.objects.select_for_update().get(pk=locked.candidate_id)
        if candidate.processing_restricted_on is None:
            candidate.processing_restricted_on = timezone.localdate(locked.answered_at)
            candidate.save(update_fields=["processing_restricted_on", "updated_at"])
    return locked


# --- breaches -------------------------------------------------------------------------------------


@transaction.atomic
def breach_create(*, user, data: dict, affected: list[Candidate]) -> Breach:
    """Record a breach of the user's municipality with the people it concerns."""
    require_create(user, "privacy.add_breach")
    municipality_id = user.municipality_id
    if any(c.municipality_id != municipality_id for c in affected):
        raise ValidationError({"affected": _("Only people of your office can be listed.")})
    if data["discovered_at"] > timezone.now():
        raise ValidationError({"discovered_at": _("The breach cannot be found in the future.")})
    if data["discovered_at"] < data["occurred_at"]:
        raise ValidationError({"discovered_at": _("A breach cannot be found before it happened.")})
    breach = Breach(
        municipality_id=municipality_id,
        title=data["title"],
        categories=list(data["categories"]),
        occurred_at=data["occurred_at"],
        discovered_at=data["discovered_at"],
        how=data["how"],
        measures=data["measures"],
        recorded_by=user,
    )
    breach.full_clean()
    breach.save()
    breach.affected.set(affected)
    return breach


@transaction.atomic
def breach_notified(*, user, breach: Breach, notified_at: datetime | None = None) -> Breach:
    """Record that the people affected and the authority were notified; the clock stops."""
    require_write(user, BREACH_WRITE, breach.municipality_id)
    locked = Breach.objects.select_for_update().get(pk=breach.pk)
    if locked.notified_at is not None:
        raise ValidationError(_("The notification is already recorded."))
    locked.notified_at = notified_at or timezone.now()
    locked.notified_by = user
    if locked.notified_at < locked.discovered_at:
        raise ValidationError({"notified_at": _("The notification cannot be before the breach was found.")})
    locked.full_clean()
    locked.save()
    return locked


# --- erasure --------------------------------------------------------------------------------------


@transaction.atomic
def candidate_erase(*, user, candidate: Candidate, today=None) -> Candidate:
    """Erase a person's data and keep the anonymous row every count needs (sex, age band on the day
    of erasure, kecamatan, education, registration, placements' stages and outcomes). Document files
    leave the storage when the transaction commits; the history keeps who and when, no values."""
    require_write(user, REQUEST_WRITE, candidate.municipality_id)
    return _erase(candidate.pk, today=today or timezone.localdate())


def _erase(pk: int, *, today) -> Candidate:
    locked = Candidate.objects.select_for_update().get(pk=pk)
    if locked.is_erased:
        return locked
    candidate_extensions.candidate_erased(candidate=locked)
    band = age_band_of(locked.birth_date, today)
    _delete_document_files(Document.objects.filter(candidate=locked))
    LanguageResult.objects.filter(candidate=locked).update(certificate_number="")
    Placement.objects.filter(candidate=locked).update(visa_number="", end_reason="")
    # The earlier snapshots of the history lose their values too (who changed what when stays).
    CandidateEvent.objects.filter(pgh_obj_id=locked.pk).update(**ERASED_VALUES)
    DocumentEvent.objects.filter(candidate_id=locked.pk).update(number="", file="", original_filename="")
    LanguageResultEvent.objects.filter(candidate_id=locked.pk).update(certificate_number="")
    PlacementEvent.objects.filter(candidate_id=locked.pk).update(visa_number="", end_reason="")
    for name, value in ERASED_VALUES.items():
        setattr(locked, name, value)
    locked.erased_at = timezone.now()
    locked.erased_age_band = band
    locked.version += 1
    locked.validate_constraints()
    locked.save()
    return locked


def _delete_document_files(documents) -> None:
    """Blank the documents' numbers and files; the files leave the storage once the erasure commits."""
    names = [(d.file.storage, d.file.name) for d in documents if d.file]
    documents.update(number="", file="", original_filename="", content_type="", size=0)

    def delete_files():
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(delete_files)


@transaction.atomic
def documents_files_delete(*, user, documents) -> int:
    """The retention of document files: delete the files (and numbers) of `documents`, keep the rows."""
    if not user.is_superuser:  # the retention policy's actor, or a superuser
        raise PermissionDenied
    documents = documents.exclude(file="")
    count = documents.count()
    _delete_document_files(documents)
    return count
