"""Checks every text input goes through, whatever the app."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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
    """Add no_control_characters to every text field of `form` (BootstrapMixin calls it)."""
    for form_field in form.fields.values():
        if isinstance(form_field, forms.CharField) and no_control_characters not in form_field.validators:
            form_field.validators.append(no_control_characters)
