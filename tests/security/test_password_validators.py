"""Passwords: at least 10 characters, not a common one, not similar to the user's own details."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(serang):
    return User(username="sitinurhaliza", first_name="Siti", last_name="Nurhaliza", email="siti@disnaker.example")


def _codes(password, user):
    with pytest.raises(ValidationError) as excinfo:
        validate_password(password, user)
    return {error.code for error in excinfo.value.error_list}


def test_nine_characters_are_too_short(user):
    assert "password_too_short" in _codes("kopi-susu", user)


def test_a_common_password_is_refused_even_when_long_enough(user):
    assert "password_too_common" in _codes("password123", user)


def test_a_password_like_the_username_is_refused(user):
    assert "password_too_similar" in _codes("sitinurhaliza1", user)


def test_an_all_digit_password_is_refused(user):
    assert "password_entirely_numeric" in _codes("3673010101900001", user)


def test_ten_unrelated_characters_are_accepted(user):
    validate_password("kopi-susu-gula", user)  # raises if refused
