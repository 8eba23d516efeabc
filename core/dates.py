"""Calendar arithmetic, in Python and its SQL twin side by side, so both give the same answer."""

import calendar
from datetime import date

from django.db.models import DateField, Func


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the end of a shorter month (31 Jan + 1 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class AddMonths(Func):
    """add_months in PostgreSQL: date + make_interval(months => n), which clamps the same way."""

    output_field = DateField()

    def as_sql(self, compiler, connection, **extra):
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        months_sql, months_params = compiler.compile(self.source_expressions[1])
        return f"(({date_sql}) + make_interval(months => ({months_sql})::int))::date", (*date_params, *months_params)


def age_on(birth_date: date, day: date) -> int:
    """Whole years between `birth_date` and `day` (a birthday on `day` counts)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
