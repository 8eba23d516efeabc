"""Writes to the candidate registry. Every save bumps Candidate.version (optimistic locking).

The bulk import lives in candidates.imports (candidate_import_validate / candidate_import_commit).
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import require_perm
from core.locking import bump_version, lock_version

from . import extensions
from .files import CheckedFile, random_storage_name, safe_original_name
from .models import CANDIDATE_DATA_FIELDS, Candidate, Document


@transaction.atomic
def candidate_create(*, user, data: dict) -> Candidate:
    """Register a candidate in the user's municipality. `data` holds CANDIDATE_DATA_FIELDS, already validated."""
    require_perm(user, "candidates.add_candidate")
    if not user.municipality_id:
        raise PermissionDenied  # candidates belong to a municipality; superusers use the admin
    candidate = Candidate(municipality_id=user.municipality_id, **{k: data[k] for k in CANDIDATE_DATA_FIELDS})
    candidate.version = 1
    candidate.full_clean()
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError as exc:  # a concurrent save of the same NIK got there first
        raise ValidationError({"nik": _("This NIK is already registered.")}) from exc
    extensions.candidate_changed(candidate=candidate, created=True)
    return candidate


@transaction.atomic
def candidate_update(*, user, candidate: Candidate, data: dict, expected_version: int | None) -> Candidate:
    """Save an edit, refusing it when someone else saved the record since the form was opened."""
    require_perm(user, "candidates.change_candidate")
    locked = _lock(candidate, expected_version)
    if locked.erased_at is not None:
        raise ValidationError(_("This person's data has been erased."))
    for name in CANDIDATE_DATA_FIELDS:
        if name in data:
            setattr(locked, name, data[name])
    saved = _save(locked)
    extensions.candidate_changed(candidate=saved, created=False)
    return saved


@transaction.atomic
def candidate_consent_record(*, user, candidate: Candidate, given_on: date, version: str) -> Candidate:
    """Record consent to data processing (Law 27/2022): date, text version, who took it.

    Giving consent again after a withdrawal starts a new consent; the history keeps the old one.
    """
    require_perm(user, "candidates.change_candidate")
    locked = _lock(candidate, None)
    locked.consent_given_on = given_on
    locked.consent_version = version
    locked.consent_taken_by = user
    locked.consent_withdrawn_on = None
    return _save(locked)


@transaction.atomic
def candidate_consent_withdraw(*, user, candidate: Candidate, withdrawn_on: date) -> Candidate:
    """Record a withdrawal; the candidate is then left out of new placements (Candidate.has_consent)."""
    require_perm(user, "candidates.change_candidate")
    locked = _lock(candidate, None)
    if locked.consent_given_on is None:
        raise ValidationError(_("There is no consent to withdraw."))
    if locked.consent_withdrawn_on is not None:
        raise ValidationError(_("The consent was already withdrawn."))
    if withdrawn_on < locked.consent_given_on:
        raise ValidationError({"withdrawn_on": _("The withdrawal cannot be before the consent was given.")})
    locked.consent_withdrawn_on = withdrawn_on
    return _save(locked)


def _lock(candidate: Candidate, expected_version: int | None) -> Candidate:
    return lock_version(Candidate.objects.all(), candidate.pk, expected_version)


def _save(candidate: Candidate) -> Candidate:
    bump_version(candidate)
    candidate.full_clean()
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError as exc:
        raise ValidationError({"nik": _("This NIK is already registered.")}) from exc
    return candidate


# --- documents -----------------------------------------------------------------------------------


@transaction.atomic
def document_create(
    *,
    user,
    candidate: Candidate,
    data: dict,
    upload: UploadedFile | None = None,
    checked: CheckedFile | None = None,
    verified: bool = False,
) -> Document:
    """Add a document; the file (already checked by content) is stored under a random name.
    `verified`: checked against the original in the same step (needs the right to verify)."""
    require_perm(user, "candidates.add_document")
    if candidate.erased_at is not None:
        raise ValidationError(_("This person's data has been erased."))
    if verified:
        require_perm(user, "candidates.change_document")
    document = Document(
        candidate=candidate,
        doc_type=data["doc_type"],
        number=data.get("number", ""),
        issued_on=data.get("issued_on"),
        expires_on=data.get("expires_on"),
        uploaded_by=user,
    )
    if verified:
        document.verified_by, document.verified_at = user, timezone.now()
    if upload is not None:
        if checked is None:
            raise ValueError("an upload must be checked with files.check_document_file first")
        upload.seek(0)
        document.file.save(random_storage_name(checked.extension), upload, save=False)
        document.original_filename = safe_original_name(upload.name, checked.extension)
        document.content_type = checked.content_type
        document.size = checked.size
    try:
        document.full_clean()
        document.save()
    except Exception:
        if document.file:
            document.file.delete(save=False)
        raise
    return document


def document_create_bulk(*, user, candidate: Candidate, rows: list[dict]) -> list[Document]:
    """Add several documents at once, all or none. Each row: data (doc_type, number, issued_on,
    expires_on), upload and checked (or None), verified. A stored file is removed when the whole
    save fails, so a refused batch leaves nothing behind."""
    require_perm(user, "candidates.add_document")
    created: list[Document] = []
    try:
        with transaction.atomic():
            for index, row in enumerate(rows):
                try:
                    created.append(
                        document_create(
                            user=user,
                            candidate=candidate,
                            data=row["data"],
                            upload=row.get("upload"),
                            checked=row.get("checked"),
                            verified=row.get("verified", False),
                        )
                    )
                except ValidationError as error:
                    error.row = index  # the form shows it next to that row
                    raise
    except Exception:
        for document in created:
            if document.file:
                document.file.delete(save=False)
        raise
    return created


@transaction.atomic
def document_verify(*, user, document: Document) -> Document:
    """Mark a document as checked against the original, by whom and when."""
    require_perm(user, "candidates.change_document")
    document = Document.objects.select_for_update().get(pk=document.pk)
    document.verified_by = user
    document.verified_at = timezone.now()
    document.full_clean()
    document.save(update_fields=["verified_by", "verified_at", "updated_at"])
    return document
