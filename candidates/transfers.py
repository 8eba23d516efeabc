"""Transfers between offices: a person who moves to another city or regency.

The NEW office asks (its staff type the NIK again: it is never carried in a URL or a link), the OLD
office accepts or refuses with a reason; the requesting office may cancel while the request is open.
Until acceptance the new office learns only which office holds the NIK (as at entry) and its own
request's status: never the person's name or any other field.

On acceptance the person's record moves to the new office: its municipality changes, and with it
everything hanging on the record (documents and their files, language results, consent, the change
history). Placements are records of the old office's programmes and stay with it. A placement still
open (not returned, not ended) blocks acceptance: the old office finishes or withdraws it first,
since its training batch, cohort and quota belong to the old office (apps above candidates say which
placements are open through `register_transfer_check`).

Writes take the acting `user` keyword-only and check it with accounts.access.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from pghistory.models import Events

from accounts.access import require_create, require_write
from core.history import HistoryEntry, history_entries
from core.locking import bump_version, lock_version

from . import extensions
from .models import Candidate, Transfer, TransferEvent
from .privacy import mask_identifier

Status = Transfer.Status

# --- checks registered by apps above --------------------------------------------------------------

# check(candidate) -> messages of what blocks the transfer (an open placement); [] when nothing does.
TransferCheck = Callable[[Candidate], list[str]]
_checks: dict[str, TransferCheck] = {}


def register_transfer_check(key: str, check: TransferCheck) -> None:
    _checks[key] = check


def transfer_blockers(candidate: Candidate) -> list[str]:
    return [message for check in _checks.values() for message in check(candidate)]


# --- writes -----------------------------------------------------------------------------------------


@transaction.atomic
def transfer_request(*, user, nik: str, reason: str) -> Transfer:
    """The new office asks for the person holding `nik`. Refused (ValidationError on `nik` or
    `reason`) when nobody holds it, when the user's own office does, or when a request is open."""
    require_create(user, "candidates.add_candidate")
    if not user.municipality_id:
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the person moves (e.g. their new address).")})
    candidate = Candidate.objects.select_related("municipality").filter(nik=nik).first()
    if candidate is None:
        raise ValidationError({"nik": _("No office has registered this NIK: register the person instead.")})
    if candidate.municipality_id == user.municipality_id:
        raise ValidationError({"nik": _("This NIK is already registered at your office.")})
    transfer = Transfer(
        candidate=candidate,
        from_municipality_id=candidate.municipality_id,
        to_municipality_id=user.municipality_id,
        requested_by=user,
        requested_at=timezone.now(),
        reason=reason,
    )
    try:
        with transaction.atomic():
            transfer.save()
    except IntegrityError as exc:
        raise ValidationError({"nik": _("A transfer request for this NIK is already open.")}) from exc
    return transfer


@transaction.atomic
def transfer_accept(*, user, transfer: Transfer, note: str = "") -> Transfer:
    """The old office accepts: the record moves to the new office with its documents and history."""
    transfer = _lock_open(transfer)
    require_write(user, "candidates.change_candidate", transfer.from_municipality_id)
    candidate = lock_version(Candidate.objects.all(), transfer.candidate_id, None)
    if candidate.municipality_id != transfer.from_municipality_id:
        raise ValidationError(_("The person is no longer registered at your office."))
    blockers = transfer_blockers(candidate)
    if blockers:
        raise ValidationError(
            [
                _("The person cannot move while a placement of your office is open: finish or withdraw it first."),
                *blockers,
            ]
        )
    candidate.municipality_id = transfer.to_municipality_id
    bump_version(candidate)
    candidate.save(update_fields=["municipality", "version", "updated_at"])
    _decide(transfer, user=user, status=Status.ACCEPTED, reason=note)
    extensions.candidate_changed(candidate=candidate, created=False)
    return transfer


@transaction.atomic
def transfer_refuse(*, user, transfer: Transfer, reason: str) -> Transfer:
    """The old office refuses, saying why."""
    transfer = _lock_open(transfer)
    require_write(user, "candidates.change_candidate", transfer.from_municipality_id)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the transfer is refused.")})
    _decide(transfer, user=user, status=Status.REFUSED, reason=reason.strip())
    return transfer


@transaction.atomic
def transfer_cancel(*, user, transfer: Transfer) -> Transfer:
    """The requesting office withdraws its open request."""
    transfer = _lock_open(transfer)
    require_write(user, "candidates.add_candidate", transfer.to_municipality_id)
    _decide(transfer, user=user, status=Status.CANCELLED, reason="")
    return transfer


def _lock_open(transfer: Transfer) -> Transfer:
    locked = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if locked.status != Status.REQUESTED:
        raise ValidationError(_("This transfer request was already decided."))
    return locked


def _decide(transfer: Transfer, *, user, status: str, reason: str) -> None:
    transfer.status = status
    transfer.decided_by = user
    transfer.decided_at = timezone.now()
    transfer.decision_reason = reason
    transfer.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])


# --- reads ------------------------------------------------------------------------------------------


def transfers_for_user(user) -> QuerySet[Transfer]:
    """Transfers the user's office is party to (from or to); the superuser sees every one."""
    qs = Transfer.objects.select_related(
        "candidate", "from_municipality", "to_municipality", "requested_by", "decided_by"
    )
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    if not user.municipality_id:
        return qs.none()  # the national viewer reads aggregates, not people moving between offices
    return qs.filter(Q(from_municipality_id=user.municipality_id) | Q(to_municipality_id=user.municipality_id))


def get_transfer_for_user(user, pk) -> Transfer:
    """One transfer of the user's office (404 for any other)."""
    return get_object_or_404(transfers_for_user(user), pk=pk)


def incoming_request_count(user) -> int:
    """Open requests the user's office has to decide (other offices asking for its people)."""
    if not user.is_authenticated or not user.municipality_id:
        return 0
    return Transfer.objects.filter(from_municipality_id=user.municipality_id, status=Status.REQUESTED).count()


@dataclass(frozen=True)
class TransferView:
    """What a user may see of a transfer: the person only once they are, or were, the user's."""

    transfer: Transfer
    shows_person: bool
    masked_nik: str
    is_incoming: bool  # the user's office holds the person and decides
    is_outgoing_request: bool  # the user's office asked


def view_for(user, transfer: Transfer) -> TransferView:
    mine = user.municipality_id
    holds = transfer.from_municipality_id == mine
    asked = transfer.to_municipality_id == mine
    shows = holds or user.is_superuser or (asked and transfer.status == Status.ACCEPTED)
    return TransferView(
        transfer=transfer,
        shows_person=shows,
        masked_nik=mask_identifier(transfer.candidate.nik),
        is_incoming=holds,
        is_outgoing_request=asked,
    )


def transfer_history(transfer: Transfer) -> list[HistoryEntry]:
    """The request and its decision, as change-history lines (who, when, what changed)."""
    events = Events.objects.tracks(transfer).across(TransferEvent).order_by("-pgh_created_at", "-pgh_id")
    return history_entries(list(events), describe=lambda model, data: _("Transfer"), hidden={"candidate"})


def incoming_requests(*, user, limit: int) -> list[Transfer]:
    """The open requests the user's office has to decide, oldest first (one query)."""
    if not user.is_authenticated or not user.municipality_id:
        return []
    qs = Transfer.objects.filter(from_municipality_id=user.municipality_id, status=Status.REQUESTED)
    return list(qs.select_related("candidate", "from_municipality", "to_municipality").order_by("requested_at")[:limit])
