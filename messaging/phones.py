"""Phone numbers for WhatsApp and SMS: normalised to E.164 (+62…) with phonenumbers."""

import phonenumbers
from django.utils.translation import gettext as _


class InvalidPhone(ValueError):
    """The number is not a valid number; the message says why."""


def normalise_phone(raw: str, region: str = "ID") -> str:
    """'0812-3456-7890' → '+6281234567890'. Raises InvalidPhone with the reason."""
    if not raw or not raw.strip():
        raise InvalidPhone(_("No phone number recorded."))
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        if exc.error_type == phonenumbers.NumberParseException.TOO_LONG:
            raise InvalidPhone(_("“%(raw)s” has too many digits.") % {"raw": raw}) from exc
        if exc.error_type in (
            phonenumbers.NumberParseException.TOO_SHORT_NSN,
            phonenumbers.NumberParseException.TOO_SHORT_AFTER_IDD,
        ):
            raise InvalidPhone(_("“%(raw)s” has too few digits.") % {"raw": raw}) from exc
        raise InvalidPhone(_("“%(raw)s” is not a phone number.") % {"raw": raw}) from exc
    if not phonenumbers.is_valid_number(number):
        reason = phonenumbers.is_possible_number_with_reason(number)
        if reason == phonenumbers.ValidationResult.TOO_SHORT:
            raise InvalidPhone(_("“%(raw)s” has too few digits.") % {"raw": raw})
        if reason == phonenumbers.ValidationResult.TOO_LONG:
            raise InvalidPhone(_("“%(raw)s” has too many digits.") % {"raw": raw})
        raise InvalidPhone(_("“%(raw)s” is not a valid number in any numbering plan.") % {"raw": raw})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
