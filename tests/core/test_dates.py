from datetime import date

import pytest
from django.db.models import DateField, IntegerField, Value

from core.dates import AddMonths, add_months, age_on
from core.models import Municipality

# Pure functions: no database.


def test_add_months_clamps_to_the_end_of_a_shorter_month():
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2027, 1, 31), 13) == date(2028, 2, 29)
    assert add_months(date(2027, 3, 31), -1) == date(2027, 2, 28)


def test_add_months_crosses_years_both_ways():
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
    assert add_months(date(2026, 1, 15), -12 * 18) == date(2008, 1, 15)


def test_age_counts_a_birthday_on_the_day_itself():
    born = date(2000, 6, 15)
    assert age_on(born, date(2018, 6, 14)) == 17
    assert age_on(born, date(2018, 6, 15)) == 18


def test_age_of_someone_born_on_29_february():
    assert age_on(date(2004, 2, 29), date(2022, 2, 28)) == 17
    assert age_on(date(2004, 2, 29), date(2022, 3, 1)) == 18


CASES = [
    (date(2027, 1, 31), 1),
    (date(2027, 1, 31), 13),
    (date(2028, 2, 29), 12),
    (date(2026, 8, 31), 6),
    (date(2026, 12, 31), 2),
    (date(2026, 5, 10), -7),
    (date(2026, 3, 31), -1),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("day", "months"), CASES)
def test_the_sql_twin_gives_the_same_date_as_python(day, months):
    row = (
        Municipality.objects.annotate(
            later=AddMonths(Value(day, output_field=DateField()), Value(months, output_field=IntegerField()))
        )
        .values_list("later", flat=True)
        .first()
    )
    assert row == add_months(day, months)
