"""Validation rules for candidates shared by the entry form and the bulk import.

Pure functions over values (plus the set of real regency codes), so a 10,000-row import can run
them without a database query per row.
"""

import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from lokal.nik import parse_nik

from core.dates import age_on
from core.models import Municipality

MINIMUM_AGE = 18


def regency_codes() -> set[str]:
    """Every real regency/city code ("36.73") from the municipality table; one query."""
    return set(Municipality.objects.values_list("code", flat=True))


@dataclass
class NikCheck:
    """The outcome of checking a NIK: the digits, errors (reject) and what it encodes."""

    nik: str | None = None
    errors: list[str] = field(default_factory=list)
    regency_code: str | None = None
    # Day, month and two-digit year as encoded (day already without the +40 for women).
    birth_day: int | None = None
    birth_month: int | None = None
    birth_yy: int | None = None
    sex: str | None = None  # "M" / "F"
    birth_date: date | None = None  # the full date, its century read against the check's day
    kecamatan_code: str | None = None  # digits 1-6 as a Kemendagri code, 36.73.01

    def decoded(self) -> dict:
        """What the NIK says about its holder, for pre-filling the entry form (empty when invalid)."""
        if not self.valid:
            return {}
        return {"sex": self.sex, "birth_date": self.birth_date, "kecamatan_code": self.kecamatan_code}

    @property
    def valid(self) -> bool:
        return not self.errors


def check_nik(value: str, *, known_regencies: set[str], today: date | None = None) -> NikCheck:
    """Check the NIK's structure: 16 digits, a real regency/city, a real birth date, a serial."""
    today = today or date.today()
    info = parse_nik(str(value or ""), reference_date=today)
    result = NikCheck()
    if info.nik is None:
        result.errors.append(_("A NIK has exactly 16 digits."))
        return result
    result.nik = info.nik
    result.regency_code = info.regency_code
    result.kecamatan_code = info.district_code
    if info.regency_code not in known_regencies:
        result.errors.append(
            _("The first 4 digits (%(code)s) are not the code of a regency or city.") % {"code": info.nik[:4]}
        )
    if info.birth_date is None:
        result.errors.append(_("Digits 7–12 are not a real date of birth (DDMMYY, day + 40 for women)."))
    else:
        day = int(info.nik[6:8])
        result.sex = "F" if day > 40 else "M"
        result.birth_day = day - 40 if day > 40 else day
        result.birth_month = int(info.nik[8:10])
        result.birth_yy = int(info.nik[10:12])
        # lokal gives the date as ISO text.
        result.birth_date = date.fromisoformat(str(info.birth_date))
    if info.nik[12:] == "0000":
        result.errors.append(_("The last 4 digits (serial number) cannot be 0000."))
    return result


def nik_mismatches(check: NikCheck, *, birth_date: date | None, sex: str | None) -> list[str]:
    """Warnings when the NIK disagrees with the entered birth date or sex.

    Dukcapil records with such mismatches exist, so these are warnings to confirm, not errors.
    The NIK carries a two-digit year, so only day, month and the year's last two digits are compared.
    """
    warnings: list[str] = []
    if not check.valid or check.birth_day is None:
        return warnings
    encoded = (check.birth_day, check.birth_month, check.birth_yy)
    if birth_date is not None and encoded != (birth_date.day, birth_date.month, birth_date.year % 100):
        warnings.append(
            _("The NIK encodes the birth date %(nik_date)s, but the birth date entered is %(entered)s.")
            % {
                "nik_date": f"{check.birth_day:02d}-{check.birth_month:02d}-{check.birth_yy:02d}",
                "entered": date_format(birth_date, "d-m-y"),
            }
        )
    if sex and check.sex and sex != check.sex:
        warnings.append(
            _("The NIK is one issued to a woman (day + 40), but the sex entered is male.")
            if check.sex == "F"
            else _("The NIK is one issued to a man, but the sex entered is female.")
        )
    return warnings


def check_birth_and_registration(*, birth_date: date | None, registered_on: date | None, today: date) -> dict:
    """Errors per field: birth date not in the future, registration not in the future, age ≥ 18."""
    errors: dict[str, str] = {}
    if birth_date and birth_date > today:
        errors["birth_date"] = _("The birth date cannot be in the future.")
    if registered_on and registered_on > today:
        errors["registered_on"] = _("The registration date cannot be in the future.")
    if birth_date and registered_on and "birth_date" not in errors and age_on(birth_date, registered_on) < MINIMUM_AGE:
        errors["birth_date"] = _("The candidate must be at least %(age)d years old on the registration date.") % {
            "age": MINIMUM_AGE
        }
    return errors


# Emoji skin-tone modifiers share the category of the acute accent some people type for an
# apostrophe (Nur´aini), so they are listed; other emoji and symbols are "So", the keycap "Me".
_SKIN_TONES = range(0x1F3FB, 0x1F400)


def validate_person_name(name: str) -> None:
    """Refuse emoji and symbols, and invisible characters (zero-width space, soft hyphen …), in a
    person's name: no Indonesian name has them, and a name is matched against identity documents.
    Control characters and bidi overrides are refused earlier, for every text field."""
    categories = {unicodedata.category(char) for char in name}
    if categories & {"So", "Me"} or any(ord(char) in _SKIN_TONES for char in name):
        raise ValidationError(_("A name cannot contain emoji or symbols."), code="emoji")
    if categories & {"Cc", "Cf", "Co", "Cn", "Cs"}:
        raise ValidationError(
            _("A name cannot contain invisible characters such as a zero-width space; type it again."),
            code="invisible",
        )
