"""The candidate list's rows, written in Python once per page: per row, the template's variables,
filters, URL reversing, choice labels, date formatting, include and translation tags were most of
the list's render time (fifty rows of a dozen cells). The HTML is the template's, to the byte but
for the indentation of a demo badge (tests/candidates/test_candidate_list.py compares them)."""

import html
from datetime import date

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.dates import MONTHS_3
from django.utils.html import format_html
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext

from core.dates import age_on

from .exports import phone_display
from .models import Candidate
from .privacy import mask_identifier
from .templatetags.candidate_tags import choice_labels, region

# The candidate's fields the rows read (list_rows, Candidate.__str__): the page loads no others, and
# not the municipality the list query joins for its other readers (the export).
LIST_FIELDS = (
    "full_name",
    "is_demo",
    "consent_given_on",
    "consent_withdrawn_on",
    "nik",
    "sex",
    "birth_date",
    "kecamatan_code",
    "education",
    "phone",
    "registered_on",
)
_PK = 2_147_483_647  # stands in for a candidate's id in the detail URL reversed once per page


def escape(value) -> str:
    """conditional_escape() without its lazy-string wrapper: called a dozen times per row."""
    return str(value) if isinstance(value, SafeData) else html.escape(str(value))


def detail_url_prefix() -> tuple[str, str]:
    """The candidate page's URL around its id: (before, after)."""
    url = reverse("candidates:candidate_detail", args=[_PK])
    before, after = url.split(str(_PK))
    return before, after


def _day_month_year(day: date | None, months: list[str]) -> str:
    # {{ day|date:"j M Y" }}: the day without a leading zero, the month's three letters, the year.
    return f"{day.day} {months[day.month]} {day.year:04d}" if day else ""


# A row's cells after its checkbox, as the template wrote them (candidates/candidate_list.html).
_CELLS = """<td>
        <a href="{url}">{name}</a>
        {demo}
        {consent}
      </td>
      <td class="font-monospace small" data-testid="nik">{nik}</td>
      <td>{sex}</td>
      <td class="text-end">{age}</td>
      <td>{kecamatan}</td>
      <td>{education}</td>
      <td class="text-nowrap">{phone}</td>
      {columns}<td class="text-nowrap">{registered_on}</td>"""
_COLUMN = """<td{css}>
        {html}
      </td>
      """


def _badges() -> tuple[str, str]:
    """The demo badge (includes/_demo_badge.html) and the no-consent badge, in the current language."""
    demo = render_to_string("includes/_demo_badge.html", {"record": {"is_demo": True}}).strip()
    consent = format_html(
        '<span class="badge text-bg-secondary" title="{}">{}</span>',
        gettext("No consent to data processing: left out of new placements"),
        gettext("no consent"),
    )
    return demo, consent


def list_rows(candidates, columns, *, today: date) -> list[dict]:
    """Each row of one page of the candidate list: its id, the checkbox's label and the HTML of its
    cells (every value escaped here, as the template's variables were)."""
    before, after = detail_url_prefix()
    sexes = choice_labels(Candidate, "sex")
    educations = choice_labels(Candidate, "education")
    months = ["", *(str(MONTHS_3[month]).title() for month in range(1, 13))]
    select = gettext("Select %(name)s")
    demo, consent = _badges()
    rows = []
    for candidate in candidates:
        pk = str(candidate.pk)
        age = age_on(candidate.birth_date, today) if candidate.birth_date and today else ""
        cells = "".join(
            _COLUMN.format(
                css=f' class="{escape(column.css_class)}"' if column.css_class else "", html=column.cell_html(candidate)
            )
            for column in columns
        )
        html = _CELLS.format(
            url=escape(f"{before}{pk}{after}"),
            name=escape(candidate),
            demo=demo if candidate.is_demo else "",
            consent="" if candidate.has_consent else consent,
            nik=escape(mask_identifier(candidate.nik or "")),
            sex=escape(sexes.get(candidate.sex, candidate.sex)),
            age=age,
            kecamatan=escape(region(candidate.kecamatan_code)),
            education=escape(educations.get(candidate.education, candidate.education)),
            phone=escape(phone_display(candidate.phone or "")),
            columns=cells,
            registered_on=escape(_day_month_year(candidate.registered_on, months)),
        )
        rows.append(
            {
                "pk": pk,
                # As {% blocktranslate with name=candidate.full_name %}: the name escaped, the text not.
                "select_label": mark_safe(select % {"name": escape(candidate.full_name)}),  # noqa: S308
                "cells": mark_safe(html),  # noqa: S308 - every value escaped above
            }
        )
    return rows
