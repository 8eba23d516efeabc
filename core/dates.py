"""Calendar arithmetic, in Python and its SQL twin side by side, so both give the same answer."""

import calendar
from datetime import date

from django.db.models import Case, DateField, F, Func, Q, Value, When


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


def latest_birth_date(day: date, age: int) -> date:
    """The last birth date of someone who is at least `age` on `day`: the SQL side of age_on
    (birth_date <= latest_birth_date(day, age) ⇔ age_on(birth_date, day) >= age)."""
    return add_months(day, -12 * age)


# (key, youngest age, oldest age): the bands of every list filter and dashboard; "<18" catches data errors.
AGE_BANDS: list[tuple[str, int, int | None]] = [
    ("<18", 0, 17),
    ("18-24", 18, 24),
    ("25-29", 25, 29),
    ("30-34", 30, 34),
    ("35-39", 35, 39),
    ("40-44", 40, 44),
    ("45+", 45, None),
]


# An erased person's row (candidates) has no birth date but keeps the band it was in on the day of
# erasure, in the field of this name beside `birth_date`. The two functions below are the only
# places that turn a birth date into a band in SQL, so every count by age band reads it.
ERASED_BAND_FIELD = "erased_age_band"


def _erased_band_path(field: str) -> str:
    return field[: -len("birth_date")] + ERASED_BAND_FIELD


def age_band_of(birth_date: date, day: date) -> str:
    """The key of the band someone born on `birth_date` is in on `day`."""
    age = age_on(birth_date, day)
    return next(key for key, youngest, oldest in AGE_BANDS if age >= youngest and (oldest is None or age <= oldest))


def age_band_q(key: str, day: date, *, field: str = "birth_date") -> Q:
    """Rows whose `field` (a birth date) puts them in age band `key` on `day`; erased rows by their kept band."""
    _key, youngest, oldest = next(band for band in AGE_BANDS if band[0] == key)
    q = Q(**{f"{field}__lte": latest_birth_date(day, youngest)})
    if oldest is not None:
        q &= Q(**{f"{field}__gt": latest_birth_date(day, oldest + 1)})
    return q | Q(**{_erased_band_path(field): key})


def age_band_case(day: date, *, field: str = "birth_date") -> Case:
    """The band key of each row on `day`, in SQL (the dashboards' GROUP BY); erased rows by their kept band."""
    erased = _erased_band_path(field)
    # Bands in age order: the first whose upper bound the person is under wins.
    whens = [
        # Younger than hi + 1 years: born after the day hi + 1 years ago.
        When(**{f"{field}__gt": latest_birth_date(day, hi + 1)}, then=Value(key))
        for key, _lo, hi in AGE_BANDS
        if hi is not None
    ]
    return Case(When(**{f"{erased}__gt": ""}, then=F(erased)), *whens, default=Value(AGE_BANDS[-1][0]))
