"""Phone numbers, the one rule for every app: normalised to E.164 (+62… for Indonesian numbers) with
phonenumbers, or refused with the reason. Candidate entry and import store what this returns;
messaging sends to it."""

import phonenumbers
from django.utils.translation import gettext as _

REGION = "ID"  # a number written without a country code is Indonesian


class InvalidPhone(ValueError):
    """The number is not a valid number; the message says why."""


def normalise_phone(raw: str, region: str = REGION) -> str:
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


def phone_or_error(raw: str) -> tuple[str, str | None]:
    """For an optional phone field: (E.164, None), ("", None) when blank, or ("", the reason and an example)."""
    if not (raw or "").strip():
        return "", None
    try:
        return normalise_phone(raw), None
    except InvalidPhone as exc:
        return "", _("%(reason)s Enter e.g. 0812-3456-7890 or +62 812 3456 7890.") % {"reason": exc}
