"""Occupation codes: ISCO-08 is four digits (the database refuses anything else), KBJI 2014 four
digits or four digits, a dot and two."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from programmes.models import Occupation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("isco, kbji", [("5321", "5321"), ("5321", "5321.01"), ("0110", ""), ("", "")])
def test_valid_codes_are_accepted(isco, kbji):
    Occupation(name="Asisten perawat", isco_code=isco, kbji_code=kbji).full_clean()


@pytest.mark.parametrize(
    "field, value", [("isco_code", "532"), ("isco_code", "53A1"), ("kbji_code", "5321.1"), ("kbji_code", "53-21")]
)
def test_malformed_codes_are_refused_with_a_message(field, value):
    with pytest.raises(ValidationError) as refused:
        Occupation(name="Asisten perawat", **{field: value}).full_clean()
    assert field in refused.value.message_dict


def test_the_database_refuses_a_malformed_isco_code():
    with pytest.raises(IntegrityError), transaction.atomic():
        Occupation.objects.create(name="Kurir", isco_code="96a1")
