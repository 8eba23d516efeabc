"""The candidate list's rows as display values, computed in Python once per page: the template then
writes each cell as one variable. Per row, the template's filters, URL reversing, choice labels,
date formatting and translation tags were most of the list's render time. The HTML is the same."""

from datetime import date

from django.urls import reverse
from django.utils.dates import MONTHS_3
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from core.dates import age_on

from .exports import phone_display
from .models import Candidate
from .privacy import mask_identifier
from .templatetags.candidate_tags import choice_labels, region

_PK = 2_147_483_647  # stands in for a candidate's id in the detail URL reversed once per page


def detail_url_prefix() -> tuple[str, str]:
    """The candidate page's URL around its id: (before, after)."""
    url = reverse("candidates:candidate_detail", args=[_PK])
    before, after = url.split(str(_PK))
    return before, after


def _day_month_year(day: date | None, months: list[str]) -> str:
    # {{ day|date:"j M Y" }}: the day without a leading zero, the month's three letters, the year.
    return f"{day.day} {months[day.month]} {day.year:04d}" if day else ""


def list_rows(candidates, columns, *, today: date) -> list[dict]:
    """What each cell of the candidate list shows, for one page of candidates."""
    before, after = detail_url_prefix()
    sexes = choice_labels(Candidate, "sex")
    educations = choice_labels(Candidate, "education")
    months = ["", *(str(MONTHS_3[month]).title() for month in range(1, 13))]
    select = gettext("Select %(name)s")
    rows = []
    for candidate in candidates:
        pk = str(candidate.pk)
        rows.append(
            {
                "pk": pk,
                "url": f"{before}{pk}{after}",
                "name": str(candidate),
                "record": candidate,
                "has_consent": candidate.has_consent,
                # As {% blocktranslate with name=candidate.full_name %}: the name escaped, the text not.
                "select_label": mark_safe(select % {"name": escape(candidate.full_name)}),  # noqa: S308
                "nik": mask_identifier(candidate.nik or ""),
                "sex": sexes.get(candidate.sex, candidate.sex),
                "age": str(age_on(candidate.birth_date, today)) if candidate.birth_date and today else "",
                "kecamatan": region(candidate.kecamatan_code),
                "education": educations.get(candidate.education, candidate.education),
                "phone": phone_display(candidate.phone or ""),
                "cells": [(column.css_class, column.cell_html(candidate)) for column in columns],
                "registered_on": _day_month_year(candidate.registered_on, months),
            }
        )
    return rows
