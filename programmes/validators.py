"""Agreement documents are PDFs by content, size-limited."""

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"


def validate_pdf(upload: UploadedFile) -> None:
    """Accept only a PDF (by its first bytes, whatever its name or declared type) of at most 10 MB."""
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."), code="too_large")
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    kind = filetype.guess(head)
    if not head.startswith(PDF_MAGIC) or kind is None or kind.mime != "application/pdf":
        raise ValidationError(_("Only PDF documents are accepted."), code="not_pdf")
