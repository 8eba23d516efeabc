"""The NIK rules: 16 digits, a real regency/city, a real birth date (day + 40 for women), a serial."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from candidates.validators import check_birth_and_registration, check_nik, nik_mismatches
from core.phones import phone_or_error

# A fixed set instead of the municipality table, so the property tests need no database.
REGENCIES = {"36.73", "35.72", "31.71", "32.76"}
TODAY = date(2026, 11, 1)


@pytest.mark.parametrize(
    ("nik", "valid", "sex", "birth"),
    [
        ("3673011403950001", True, "M", (14, 3, 95)),
        ("3673015403950001", True, "F", (14, 3, 95)),  # 54 = 14 + 40: a woman
        ("3572027112000123", True, "F", (31, 12, 0)),
        ("3673 0114 0395 0001", True, "M", (14, 3, 95)),  # spaces as people type them
        ("36.73.01.140395.0001", True, "M", (14, 3, 95)),
        ("367301140395000", False, None, None),  # 15 digits
        ("36730114039500012", False, None, None),  # 17 digits
        ("36730114039500A1", False, None, None),
        ("", False, None, None),
        ("9999011403950001", False, "M", (14, 3, 95)),  # no province 99
        ("3699011403950001", False, "M", (14, 3, 95)),  # Banten has no regency 99
        ("3673013202950001", False, None, None),  # 32 February
        ("3673017202950001", False, None, None),  # 72 - 40 = 32: no such day for a woman either
        ("3673011413950001", False, None, None),  # month 13
        ("3673010003950001", False, None, None),  # day 00
        ("3673011403950000", False, "M", (14, 3, 95)),  # serial 0000
        ("3673012902010001", False, None, None),  # 29 February 2001 did not exist
        ("3673012902000001", True, "M", (29, 2, 0)),  # 2000 was a leap year
    ],
)
def test_nik_table(nik, valid, sex, birth):
    check = check_nik(nik, known_regencies=REGENCIES, today=TODAY)
    assert check.valid is valid, check.errors
    assert check.sex == sex
    if birth:
        assert (check.birth_day, check.birth_month, check.birth_yy) == birth


def test_unknown_regency_error_names_the_digits():
    check = check_nik("3699011403950001", known_regencies=REGENCIES, today=TODAY)
    assert any("3699" in e for e in check.errors)


@pytest.mark.django_db
def test_regency_codes_come_from_the_municipality_table():
    from candidates.validators import regency_codes

    codes = regency_codes()
    assert "36.73" in codes and "35.72" in codes
    assert len(codes) > 500  # every regency and city of Indonesia


birth_dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2008, 12, 31))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    birth=birth_dates,
    sex=st.sampled_from(["M", "F"]),
    regency=st.sampled_from(sorted(REGENCIES)),
    kec=st.integers(min_value=1, max_value=99),
    serial=st.integers(min_value=1, max_value=9999),
)
def test_any_well_formed_nik_is_accepted_and_decoded(birth, sex, regency, kec, serial):
    day = birth.day + (40 if sex == "F" else 0)
    nik = f"{regency.replace('.', '')}{kec:02d}{day:02d}{birth:%m%y}{serial:04d}"
    check = check_nik(nik, known_regencies=REGENCIES, today=TODAY)
    assert check.valid, check.errors
    assert check.sex == sex
    assert (check.birth_day, check.birth_month, check.birth_yy) == (birth.day, birth.month, birth.year % 100)
    assert nik_mismatches(check, birth_date=birth, sex=sex) == []


@settings(max_examples=200)
@given(birth=birth_dates, other=birth_dates, sex=st.sampled_from(["M", "F"]))
def test_a_different_birth_date_gives_a_warning_not_an_error(birth, other, sex):
    day = birth.day + (40 if sex == "F" else 0)
    nik = f"367301{day:02d}{birth:%m%y}0001"
    check = check_nik(nik, known_regencies=REGENCIES, today=TODAY)
    warnings = nik_mismatches(check, birth_date=other, sex=sex)
    same = (birth.day, birth.month, birth.year % 100) == (other.day, other.month, other.year % 100)
    assert check.valid
    assert (warnings == []) is same


@settings(max_examples=200)
@given(text=st.text(max_size=20))
def test_random_text_is_rejected_unless_it_is_sixteen_digits(text):
    check = check_nik(text, known_regencies=REGENCIES, today=TODAY)
    digits = "".join(ch for ch in text if ch not in " .-\t\n")
    if not (len(digits) == 16 and digits.isascii() and digits.isdigit()):
        assert not check.valid


@settings(max_examples=200)
@given(day=st.integers(min_value=0, max_value=99), month=st.integers(min_value=0, max_value=99))
def test_impossible_dates_are_rejected(day, month):
    nik = f"367301{day:02d}{month:02d}950001"
    check = check_nik(nik, known_regencies=REGENCIES, today=TODAY)
    real_day = day - 40 if day > 40 else day
    possible = 1 <= month <= 12 and 1 <= real_day <= 31
    if not possible:
        assert not check.valid


def test_wrong_sex_gives_a_warning():
    check = check_nik("3673015403950001", known_regencies=REGENCIES, today=TODAY)  # a woman's NIK
    warnings = nik_mismatches(check, birth_date=date(1995, 3, 14), sex="M")
    assert len(warnings) == 1 and "woman" in warnings[0]


def test_age_must_be_eighteen_on_the_registration_date():
    registered = date(2026, 1, 5)
    assert check_birth_and_registration(birth_date=date(2008, 1, 5), registered_on=registered, today=TODAY) == {}
    errors = check_birth_and_registration(birth_date=date(2008, 1, 6), registered_on=registered, today=TODAY)
    assert "18" in errors["birth_date"]


def test_birth_and_registration_dates_cannot_be_in_the_future():
    errors = check_birth_and_registration(birth_date=date(2027, 1, 1), registered_on=date(2027, 1, 2), today=TODAY)
    assert "future" in errors["birth_date"] and "future" in errors["registered_on"]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("(0254) 123456", "+62254123456"),
        ("", ""),
    ],
)
def test_phone_is_normalised_to_plus_62(typed, stored):
    assert phone_or_error(typed) == (stored, None)


def test_a_phone_that_is_not_indonesian_is_refused():
    phone, error = phone_or_error("12345")
    assert phone == "" and error
