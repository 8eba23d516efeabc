"""Writes with rules: partners, agreements and their stage moves, programmes and their demand.

Every function takes the acting user and checks it through accounts.access: the permission, and
a record of the user's own municipality (national records: superusers only). A new record's
municipality is the user's own; only a superuser chooses (None: national).
"""

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.access import new_record_owner, require_write
from core.models import Municipality

from .models import Agreement, AgreementStage, AgreementStageEvent, Occupation, Partner, Programme, ProgrammeDemand
from .validators import validate_pdf

PARTNER_FIELDS = ["name", "local_name", "country", "level", "website", "contact"]
AGREEMENT_FIELDS = [
    "government_body",
    "partner",
    "title",
    "kind",
    "valid_from",
    "valid_until",
    "auto_renew",
    "summary",
]


def _apply(instance, data: dict[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise TypeError(f"fields not editable here: {sorted(unknown)}")
    for name, value in data.items():
        setattr(instance, name, value)


# --- partners -----------------------------------------------------------------------------------


@transaction.atomic
def partner_create(*, user, data: dict[str, Any], municipality: Municipality | None = None) -> Partner:
    partner = Partner(municipality=new_record_owner(user, "programmes.add_partner", municipality))
    _apply(partner, data, PARTNER_FIELDS)
    partner.full_clean()
    partner.save()
    return partner


@transaction.atomic
def partner_update(*, user, partner: Partner, data: dict[str, Any]) -> Partner:
    require_write(user, "programmes.change_partner", partner.municipality_id)
    _apply(partner, data, PARTNER_FIELDS)
    partner.full_clean()
    partner.save()
    return partner


# --- agreements ---------------------------------------------------------------------------------


def _check_partner(agreement: Agreement) -> None:
    """A municipality's agreement names its own partner or a national one, never another office's."""
    owner = agreement.partner.municipality_id
    if owner is not None and owner != agreement.municipality_id:
        raise ValidationError({"partner": _("This partner belongs to another municipality.")})


@transaction.atomic
def agreement_create(
    *,
    user,
    data: dict[str, Any],
    stage: str,
    stage_entered_on: date,
    note: str = "",
    municipality: Municipality | None = None,
) -> Agreement:
    """A new agreement in its first stage, with that stage's event on the timeline."""
    municipality = new_record_owner(user, "programmes.add_agreement", municipality)
    agreement = Agreement(municipality=municipality, stage=stage, stage_entered_on=stage_entered_on)
    _apply(agreement, data, AGREEMENT_FIELDS)
    if stage_entered_on > timezone.localdate():
        raise ValidationError({"stage_entered_on": _("The date cannot be in the future.")})
    agreement.full_clean()
    _check_partner(agreement)
    agreement.save()
    AgreementStageEvent.objects.create(
        agreement=agreement, stage=stage, occurred_on=stage_entered_on, note=note, recorded_by=user
    )
    return agreement


@transaction.atomic
def agreement_update(*, user, agreement: Agreement, data: dict[str, Any]) -> Agreement:
    """Edit the agreement's facts; its stage changes only through agreement_move_stage."""
    require_write(user, "programmes.change_agreement", agreement.municipality_id)
    _apply(agreement, data, AGREEMENT_FIELDS)
    agreement.full_clean()
    _check_partner(agreement)
    agreement.save()
    return agreement


def stage_move_kind(current: str, target: str) -> str:
    """'forward', 'backward' or 'interruption' (suspending or terminating)."""
    if target in AgreementStage.interruptions():
        return "interruption"
    return "forward" if AgreementStage.order(target) > AgreementStage.order(current) else "backward"


def _pdf_download_name(name: str | None) -> str:
    """The user's file name reduced to a download name: no folders, no control characters, and
    ending in .pdf, which is what the file is ("mou.pdf.php" becomes "mou.pdf.pdf")."""
    base = re.split(r"[/\\]", name or "")[-1]
    base = re.sub(r"[\x00-\x1f\x7f]", "", base)
    stem = base.rsplit(".", 1)[0] if "." in base.lstrip(".") else base
    return f"{stem.strip(' .')[:200] or 'document'}.pdf"


@dataclass(frozen=True)
class PassedOver:
    """What a move records for a procedure stage it skips: its date (with the signed document when
    the stage has one), or the reason it was passed over."""

    occurred_on: date | None = None
    document: UploadedFile | None = None
    reason: str = ""


def passed_over_field(stage: str, part: str) -> str:
    """The name of a passed-over stage's input ("on", "document", "reason"), on the form and in errors."""
    return f"skip_{stage}_{part}"


def _check_passed_over(locked: Agreement, stage: str, occurred_on: date | None, given, add) -> list[tuple[str, Any]]:
    """Each stage the move skips, checked: [(stage, PassedOver)] in order. Only a regional government's
    agreement follows the KSDPL procedure; a ministry's agreement has no DPRD or Kemendagri stage."""
    if locked.municipality_id is None:
        return []
    skipped = AgreementStage.passed_over(locked.stage, stage)
    recorded, earliest = [], locked.stage_entered_on
    for step in skipped:
        entry = given.get(step) or PassedOver()
        label = AgreementStage(step).label
        reason = (entry.reason or "").strip()
        on = entry.occurred_on
        if on is not None:
            if on > timezone.localdate() or (occurred_on is not None and on > occurred_on):
                add(passed_over_field(step, "on"), _("The date cannot be after the date of this move."))
            elif on < earliest:
                add(
                    passed_over_field(step, "on"),
                    _("The date cannot be before the stage before it (%(date)s).")
                    % {"date": date_format(earliest, "j M Y")},
                )
            else:
                earliest = on
        if entry.document is not None:
            try:
                validate_pdf(entry.document)
            except ValidationError as e:
                for message in e.messages:
                    add(passed_over_field(step, "document"), message)
        if not reason and on is None:
            add(
                passed_over_field(step, "on"),
                _("This move skips “%(stage)s”: enter the date it happened, or the reason it was passed over.")
                % {"stage": label},
            )
        elif not reason and step in AgreementStage.with_document() and entry.document is None:
            add(
                passed_over_field(step, "document"),
                _("Attach the signed document of “%(stage)s”, or give the reason it was passed over.")
                % {"stage": label},
            )
        recorded.append((step, PassedOver(occurred_on=on, document=entry.document, reason=reason)))
    return recorded


def _attach(event: AgreementStageEvent, document: UploadedFile | None) -> None:
    if document is not None:
        # Stored under a random name: the original name can carry personal data and must not
        # decide where the file lands. It is kept only for the download's file name.
        event.document_name = _pdf_download_name(document.name)
        document.name = f"{uuid.uuid4().hex}.pdf"
        event.document = document


@transaction.atomic
def agreement_move_stage(
    *,
    agreement: Agreement,
    stage: str,
    occurred_on: date | None,
    note: str = "",
    reason: str = "",
    document: UploadedFile | None = None,
    passed_over: Mapping[str, PassedOver] | None = None,
    user,
) -> AgreementStageEvent:
    """Move the agreement to `stage` and record the event.

    Forward needs a date and a note; back, suspending or terminating needs a reason. The date may
    not be in the future nor before the current stage began. The document must be a PDF. A forward
    move that skips stages of the procedure records each of them (`passed_over`, by stage): with
    its date, and its signed document where it has one, or with the reason it was passed over.
    """
    require_write(user, "programmes.change_agreement", agreement.municipality_id)
    # Lock the row: two admins moving the same agreement at once would otherwise both succeed.
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    note, reason = (note or "").strip(), (reason or "").strip()
    errors: dict[str, list[str]] = {}

    def add(name, message):
        errors.setdefault(name, []).append(message)

    if stage not in AgreementStage.values:
        add("stage", _("Choose a stage."))
    elif stage == locked.stage:
        add("stage", _("The agreement is already at this stage."))
    if occurred_on is None:
        add("occurred_on", _("Enter the date of this step."))
    else:
        if occurred_on > timezone.localdate():
            add("occurred_on", _("The date cannot be in the future."))
        if occurred_on < locked.stage_entered_on:
            add(
                "occurred_on",
                _("The date cannot be before the current stage began (%(date)s).")
                % {"date": date_format(locked.stage_entered_on, "j M Y")},
            )
    if "stage" not in errors:
        if stage_move_kind(locked.stage, stage) == "forward":
            if not note:
                add("note", _("Moving forward needs a note on what happened."))
        elif not reason:
            add("reason", _("Moving back, suspending or terminating needs a reason."))
    if document is not None:
        try:
            validate_pdf(document)
        except ValidationError as e:
            errors.setdefault("document", []).extend(e.messages)
    skipped = [] if "stage" in errors else _check_passed_over(locked, stage, occurred_on, passed_over or {}, add)
    if errors:
        raise ValidationError(errors)

    previous = locked.stage
    for step, entry in skipped:
        passed = AgreementStageEvent(
            agreement=locked,
            stage=step,
            previous_stage=previous,
            occurred_on=entry.occurred_on or occurred_on,
            note=_("Recorded with the move to “%(stage)s”.") % {"stage": AgreementStage(stage).label},
            reason=entry.reason,
            recorded_by=user,
        )
        _attach(passed, entry.document)
        passed.full_clean()
        passed.save()
        previous = step

    event = AgreementStageEvent(
        agreement=locked,
        stage=stage,
        previous_stage=previous,
        occurred_on=occurred_on,
        note=note,
        reason=reason,
        recorded_by=user,
    )
    _attach(event, document)
    event.full_clean()
    event.save()

    locked.stage = stage
    locked.stage_entered_on = occurred_on
    locked.full_clean()
    locked.save(update_fields=["stage", "stage_entered_on", "updated_at"])
    agreement.stage, agreement.stage_entered_on = locked.stage, locked.stage_entered_on
    return event


# --- programmes ---------------------------------------------------------------------------------

PROGRAMME_FIELDS = [
    f.name for f in Programme._meta.concrete_fields if f.name not in {"id", "agreement", "created_at", "updated_at"}
]


def _set_demands(programme: Programme, demands: Iterable[tuple[Occupation, int]]) -> None:
    """Replace the programme's demand per occupation with `demands`."""
    wanted: dict[int, int] = {}
    for occupation, requested in demands:
        if occupation.pk in wanted:
            raise ValidationError(_("%(occupation)s is listed twice.") % {"occupation": occupation})
        wanted[occupation.pk] = requested
    programme.demands.exclude(occupation_id__in=wanted).delete()
    existing = {d.occupation_id: d for d in programme.demands.all()}
    for occupation_id, requested in wanted.items():
        demand = existing.get(occupation_id) or ProgrammeDemand(programme=programme, occupation_id=occupation_id)
        demand.requested = requested
        demand.full_clean()
        demand.save()


@transaction.atomic
def programme_create(
    *, user, agreement: Agreement, data: dict[str, Any], demands: Iterable[tuple[Occupation, int]] = ()
) -> Programme:
    # Under an agreement the user may write (accounts.access.writable_q): their own, or any for a superuser.
    require_write(user, "programmes.add_programme", agreement.municipality_id)
    programme = Programme(agreement=agreement)
    _apply(programme, data, PROGRAMME_FIELDS)
    programme.full_clean()
    programme.save()
    _set_demands(programme, demands)
    return programme


@transaction.atomic
def programme_update(
    *,
    user,
    programme: Programme,
    data: dict[str, Any],
    demands: Iterable[tuple[Occupation, int]] | None = None,
) -> Programme:
    """Edit the programme; `demands`, when given, replaces its demand per occupation."""
    require_write(user, "programmes.change_programme", programme.agreement.municipality_id)
    if "agreement" in data:
        require_write(user, "programmes.change_programme", data["agreement"].municipality_id)
    _apply(programme, {k: v for k, v in data.items() if k != "agreement"}, PROGRAMME_FIELDS)
    if "agreement" in data:
        programme.agreement = data["agreement"]
    programme.full_clean()
    programme.save()
    if demands is not None:
        _set_demands(programme, demands)
    return programme
