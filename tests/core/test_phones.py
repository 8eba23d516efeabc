"""One rule for phone numbers (core/phones.py): normalised to +62, or refused with the reason."""

import pytest
from django.utils import translation

from core.phones import InvalidPhone, normalise_phone, phone_or_error


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    "raw", ["0812-3456-7890", "+62 812 3456 7890", "62 812 3456 7890", "(0812) 3456 7890", "+6281234567890"]
)
def test_indonesian_numbers_are_normalised_to_plus_62(raw):
    assert normalise_phone(raw) == "+6281234567890"


def test_a_foreign_number_keeps_its_country_code():
    assert normalise_phone("+82 10-1234-5678") == "+821012345678"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "No phone number recorded."),
        ("hubungi saya", "“hubungi saya” is not a phone number."),
        ("0812", "“0812” has too few digits."),
        ("0812345678901234567", "“0812345678901234567” has too many digits."),
    ],
)
def test_a_number_that_is_not_valid_is_refused_with_the_reason(raw, reason):
    with pytest.raises(InvalidPhone) as caught:
        normalise_phone(raw)
    assert str(caught.value) == reason


def test_an_optional_field_takes_a_blank_and_explains_a_bad_number():
    assert phone_or_error("  ") == ("", None)
    assert phone_or_error("0812 3456 7890") == ("+6281234567890", None)
    phone, error = phone_or_error("0812")
    assert phone == ""
    assert error == "“0812” has too few digits. Enter e.g. 0812-3456-7890 or +62 812 3456 7890."
