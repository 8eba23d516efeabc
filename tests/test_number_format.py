"""Issue 18.4: numbers read "12.345" in Bahasa Indonesia and "12,345" in English on every page,
while ids and data attributes keep the bare digits."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from dashboards.tables import Cell
from dashboards.templatetags.dashboards import dash_cell
from tests.factories import AgreementFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def _in(client, language: str) -> None:
    client.post("/i18n/setlang/", {"language": language, "next": "/"})


@pytest.mark.parametrize(
    ("language", "target", "low", "high"), [("id", "12.345", "10.000", "20.000"), ("en", "12,345", "10,000", "20,000")]
)
def test_the_programme_dashboard_and_facts_group_the_target(official_client, serang, language, target, low, high):
    programme = ProgrammeFactory(
        agreement=AgreementFactory(municipality=serang), target_min=10000, target=12345, target_max=20000
    )
    _in(official_client, language)
    html = official_client.get(reverse("programme_detail", args=[programme.pk])).content.decode()
    assert target in html and low in html and high in html
    assert 'high="12345"' in html  # the meter's attributes keep plain digits
    # The programme's facts (same page) and the target figure.
    facts = html.split('data-testid="programme-target">', 1)[1].split("</dd>", 1)[0]
    assert low in facts and target in facts and high in facts
    listing = official_client.get(reverse("programmes:programme_list")).content.decode()
    assert f"{low} / {target} / {high}" in listing


@pytest.mark.parametrize(("language", "shown"), [("id", "12.345"), ("en", "12,345")])
def test_dashboard_table_cells_group_digits_but_not_their_data(language, shown):
    with translation.override(language):
        html = str(dash_cell(Cell(12345, "/placements/?stage=ready", kind="number")))
    assert f">{shown}</a>" in html
    assert 'data-count="12345"' in html
    assert "stage=ready" in html


@pytest.mark.parametrize(("language", "shown"), [("id", "12.345"), ("en", "12,345")])
def test_the_attention_card_groups_reminders_and_counts(serang_official, language, shown):
    dashboard = {"reminders": 12345, "overdue_contacts": 23456, "data_requests": None, "stalled": [], "expiring": []}
    with translation.override(language):
        html = render_to_string("dashboards/includes/_attention.html", {"dashboard": dashboard})
    assert f'data-testid="reminders-count">{shown}</a>' in html
    assert f'data-testid="overdue-contacts">{shown.replace("12", "23", 1).replace("345", "456")}</a>' in html


@pytest.mark.parametrize(("language", "shown"), [("id", "1.234"), ("en", "1,234")])
def test_protection_dashboard_numbers_are_grouped(language, shown):
    with translation.override(language):
        html = render_to_string(
            "protection/includes/_number.html", {"value": 1234, "links": True, "url": "/protection/workers/?x=1234"}
        )
    assert f">{shown}</a>" in html
    assert 'href="/protection/workers/?x=1234"' in html
