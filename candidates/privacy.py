"""Masking of NIK and passport numbers (Law 27/2022 on personal data protection).

Who sees what:
- Lists (the candidate list and its page) mask NIKs for everyone: screens in a service hall are
  read over shoulders, and the first and last four digits are enough to tell people apart.
- The detail page, the data report and exports show full numbers only to users who may change
  candidates (Staff); Officials and national viewers always get masked numbers.
"""

from django.core.exceptions import PermissionDenied

from accounts.access import may_see_persons
from core.choices import IDENTITY_AND_HEALTH_DOCUMENTS

MASK = "•"


def mask_identifier(value: str) -> str:
    """3673010101900012 → 3673••••••••0012; a short number keeps its first and last two characters."""
    value = value or ""
    if len(value) >= 12:
        return value[:4] + MASK * (len(value) - 8) + value[-4:]
    if len(value) > 4:
        return value[:2] + MASK * (len(value) - 4) + value[-2:]
    return MASK * len(value)


def sees_full_identifiers(user) -> bool:
    return user.is_authenticated and user.has_perm("candidates.change_candidate")


def shown_identifier(user, value: str) -> str:
    return value if sees_full_identifiers(user) else mask_identifier(value)


def may_download_document(user, *, municipality_id: int | None, document_type: str | None) -> bool:
    """Whether the user may download the file of a person's document (the one home of this rule).

    - Nobody who reads counts only (the national viewer: accounts.access.may_see_persons).
    - Identity and health documents (KTP, KK, passport, SKCK, health certificate, family consent
      letter; core.choices.IDENTITY_AND_HEALTH_DOCUMENTS), and a file without a type (a protection
      case's hospital letter or police report): only staff (who may change candidates) of the
      person's municipality. Officials, agreement admins and superusers see that the document
      exists, its type, validity and verification, not the file.
    - Other documents (competence, language certificates, other): whoever may read the person and
      view documents.
    """
    if not may_see_persons(user):
        return False
    if document_type is None or document_type in IDENTITY_AND_HEALTH_DOCUMENTS:
        return (
            user.municipality_id is not None
            and user.municipality_id == municipality_id
            and user.has_perm("candidates.change_candidate")
        )
    return user.has_perm("candidates.view_document")


def require_document_download(user, *, municipality_id: int | None, document_type: str | None) -> None:
    """may_download_document, for views: PermissionDenied (403) otherwise."""
    if not may_download_document(user, municipality_id=municipality_id, document_type=document_type):
        raise PermissionDenied


# The version of the consent text a candidate signs; bump it when the text changes, so each record
# shows which wording the person agreed to.
CURRENT_CONSENT_VERSION = "2025-01"


# An export that holds full NIKs or passport numbers says so in its file name, so that whoever finds
# the file on a laptop or in a mail knows what it holds (the read log says so too).
FULL_IDENTIFIERS_FILE_MARK = "NIK-lengkap"


def export_file_name(stem: str, fmt: str, *, full_identifiers: bool, date_stamp: str) -> str:
    """candidates-2025-03-01.xlsx, or candidates-2025-03-01-NIK-lengkap.xlsx when it holds full NIKs."""
    mark = f"-{FULL_IDENTIFIERS_FILE_MARK}" if full_identifiers else ""
    return f"{stem}-{date_stamp}{mark}.{fmt}"
