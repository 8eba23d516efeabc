"""The protection summary of a programme on A4 (dated, scoped, counts only) and the XLSX of the
dashboard, the summary and the holds, formula-safe like every export."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from protection import services
from tests.factories import ProgrammeFactory, today

from .conftest import abroad_placement
from .test_services import open_case

pytestmark = pytest.mark.django_db

SECRET = "Bruised arms, seen by the nurse"


def _sheet(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return [list(row) for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]


@pytest.fixture
def summary_world(serang, serang_staff, abroad):
    absconder = abroad_placement(municipality=serang, programme=abroad.programme, cohort=abroad.cohort)
    services.case_resolve(
        case=open_case(absconder, serang_staff, case_type="absconding", description=SECRET),
        user=serang_staff,
        outcome="absconded",
        acted_on=today(),
        what="Gone",
        version=1,
    )
    open_case(abroad, serang_staff, case_type="wages", severity="high", description=SECRET)
    return abroad


def test_the_summary_is_dated_scoped_and_counts_only(official_client, summary_world):
    url = reverse("protection:programme_summary", args=[summary_world.programme_id])
    html = official_client.get(url).content.decode()
    meta = html[html.index('data-testid="report-meta"') :][:500]
    assert "Kota Serang" in meta and f"Made on {timezone.localtime():%-d %B %Y}" in meta
    total = html[html.index('data-testid="summary-total"') :][:900]
    # departed 2, absconded 1 (50%), abroad 1, one open case (the wage case)
    assert '<td class="text-end">2</td><td class="text-end">1</td><td class="text-end">50%</td>' in total
    assert "Unpaid or underpaid wages" in html
    assert SECRET not in html and summary_world.candidate.full_name not in html
    assert "data-print" in html and 'href="?format=xlsx"' in html


def test_the_dashboard_links_each_programme_to_its_summary(staff_client, summary_world):
    html = staff_client.get(reverse("protection:dashboard")).content.decode()
    url = reverse("protection:programme_summary", args=[summary_world.programme_id])
    assert f'href="{url}" data-testid="programme-summary"' in html


def test_the_summary_of_another_municipalitys_programme_is_404(blitar_client, summary_world, national_client):
    url = reverse("protection:programme_summary", args=[summary_world.programme_id])
    assert blitar_client.get(url).status_code == 404
    assert national_client.get(url).status_code == 200  # counts only: the national viewer reads them


def test_the_summary_counts_only_the_programme(staff_client, serang, serang_staff, summary_world):
    other = abroad_placement(municipality=serang, programme=ProgrammeFactory(agreement__municipality=serang))
    open_case(other, serang_staff)
    response = staff_client.get(reverse("protection:programme_summary", args=[summary_world.programme_id]))
    assert response.context["dashboard"].total.departed == 2
    assert response.context["dashboard"].total.open_cases == 1


def test_the_dashboard_and_summary_export_their_tables(staff_client, summary_world):
    rows = _sheet(staff_client.get(reverse("protection:dashboard") + "?format=xlsx"))
    assert rows[0][:4] == ["Programme", "Departed", "Absconded", "Absconding rate (%)"]
    assert rows[1][:4] == [summary_world.programme.name, 2, 1, 50.0]
    assert rows[-1][0] == "Total"
    rows = _sheet(
        staff_client.get(reverse("protection:programme_summary", args=[summary_world.programme_id]) + "?format=xlsx")
    )
    assert rows[0][0] == "Cohort" and rows[1][:3] == [summary_world.cohort.name, 2, 1]


def test_the_hold_export_writes_formulas_as_text(staff_client, serang_admin, abroad):
    services.hold_create(
        user=serang_admin, programme=abroad.programme, held_on=today(), reason="=1+1", source='=HYPERLINK("x")'
    )
    response = staff_client.get(reverse("protection:hold_list") + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == ["Programme", "On hold since", "Lifted on", "Source", "Reason"]
    source, reason = sheet.cell(row=2, column=4), sheet.cell(row=2, column=5)
    # As typed, in text cells (core.spreadsheets): never a formula.
    assert (source.value, source.data_type) == ('=HYPERLINK("x")', "s")
    assert (reason.value, reason.data_type) == ("=1+1", "s")


def test_a_programme_name_like_a_formula_is_text_in_the_dashboard_export(staff_client, serang, abroad):
    abroad.programme.name = "=cmd|' /C calc'!A0"
    abroad.programme.save()
    rows = _sheet(staff_client.get(reverse("protection:dashboard") + "?format=xlsx"))
    assert rows[1][0] == "=cmd|' /C calc'!A0"  # as named, in a text cell
