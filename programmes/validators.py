"""Checks shared by the forms: no control characters in text; agreement documents are PDFs by
content, size-limited."""

import re

import filetype
from django import forms
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


# C0 and C1 control characters except tab, newline and carriage return (NUL has Django's own
# message), and the bidi embeddings, overrides and isolates, which make text display in another
# order than it is stored.
_CONTROL_CHARACTERS = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def no_control_characters(value) -> None:
    if isinstance(value, str) and _CONTROL_CHARACTERS.search(value):
        raise ValidationError(
            _("Remove the invisible control characters (such as ESC, a bell or a right-to-left override)."),
            code="control_characters",
        )


def refuse_control_characters(form: forms.BaseForm) -> None:
    """Add no_control_characters to every text field of `form` (called by each app's form mixin)."""
    for form_field in form.fields.values():
        if isinstance(form_field, forms.CharField) and no_control_characters not in form_field.validators:
            form_field.validators.append(no_control_characters)
