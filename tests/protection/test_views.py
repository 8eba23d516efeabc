"""Protection pages: roles and scoping, the case forms, contact, holds, exports, print, query counts.

Who may do what: Serang staff write Serang's cases and contacts; the Serang official reads them
(403 on every write); the national viewer sees the dashboard's counts only (403 on cases and
workers); Blitar staff get 404 for Serang's records.
"""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from candidates.models import PersonalDataRead
from placements.models import Placement
from protection import services
from protection.models import Case, Contact, ProgrammeHold
from tests.factories import today
from tests.security.test_no_pii_in_logs import all_log_output

from .conftest import abroad_placement
from .test_services import open_case

pytestmark = pytest.mark.django_db

CANARY = "Bruising on both arms, seen by the embassy nurse"


@pytest.fixture
def case(serang_staff, abroad) -> Case:
    return open_case(abroad, serang_staff, description=CANARY)


def _case_url(name, case):
    return reverse(f"protection:{name}", args=[case.pk])


# --- roles and scoping ---------------------------------------------------------------------------


def test_staff_open_a_case_from_a_placement(staff_client, abroad):
    url = reverse("protection:case_create", args=[abroad.pk])
    assert staff_client.get(url + "?severity=critical").status_code == 200
    response = staff_client.post(
        url,
        {
            "case_type": "wages",
            "severity": "high",
            "reported_by": "worker",
            "reported_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "summary": "Three months unpaid",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == _case_url("case_detail", case)
    assert (case.case_type, case.severity, case.placement) == ("wages", "high", abroad)


def test_a_deadline_in_the_past_is_a_message_on_the_form(staff_client, abroad):
    now = timezone.localtime()
    response = staff_client.post(
        reverse("protection:case_create", args=[abroad.pk]),
        {
            "case_type": "illness",
            "severity": "critical",
            "reported_by": "family",
            "reported_at": now.strftime("%Y-%m-%dT%H:%M"),
            "first_action_due": (now - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            "summary": "Hospital",
        },
    )
    assert response.status_code == 200
    assert "The first-action deadline cannot be in the past." in response.content.decode()
    assert not Case.objects.exists()


def test_officials_read_cases_and_every_write_is_forbidden(official_client, case, abroad):
    assert official_client.get(_case_url("case_detail", case)).status_code == 200
    assert official_client.get(reverse("protection:case_list")).status_code == 200
    for name in ("case_action", "case_escalate", "case_resolve", "case_close"):
        assert official_client.post(_case_url(name, case), {}).status_code == 403
    assert official_client.get(reverse("protection:case_create", args=[abroad.pk])).status_code == 403
    assert official_client.post(reverse("protection:contact_create", args=[abroad.pk]), {}).status_code == 403


def test_the_national_viewer_sees_counts_and_never_a_case(national_client, case):
    assert national_client.get(_case_url("case_detail", case)).status_code == 403
    assert national_client.get(reverse("protection:case_list")).status_code == 403
    assert national_client.get(reverse("protection:worker_list")).status_code == 403
    response = national_client.get(reverse("protection:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="open-cases">1<' in html  # the count, without a link
    assert reverse("protection:case_list") not in html


def test_another_municipality_gets_404(blitar_client, case, abroad):
    assert blitar_client.get(_case_url("case_detail", case)).status_code == 404
    assert blitar_client.get(_case_url("case_print", case)).status_code == 404
    assert blitar_client.post(_case_url("case_action", case), {}).status_code == 404
    assert blitar_client.get(reverse("protection:placement", args=[abroad.pk])).status_code == 404
    assert blitar_client.get(reverse("protection:case_create", args=[abroad.pk])).status_code == 404
    assert blitar_client.get(reverse("protection:cohort_contacts", args=[abroad.cohort_id])).status_code == 404


def test_a_get_of_a_case_action_returns_to_the_case(staff_client, case):
    for name in ("case_action", "case_escalate", "case_resolve", "case_close"):
        assert staff_client.get(_case_url(name, case))["Location"] == _case_url("case_detail", case)
        assert staff_client.put(_case_url(name, case)).status_code == 405


def test_every_opening_of_a_case_is_logged_and_its_notes_never_reach_a_logger(staff_client, case, serang_staff):
    with all_log_output() as lines:
        staff_client.get(_case_url("case_detail", case))
        staff_client.get(_case_url("case_print", case))
        staff_client.post(
            _case_url("case_action", case),
            {"action-version": case.version, "action-acted_on": today().isoformat(), "action-what": CANARY},
        )
        staff_client.get(reverse("protection:case_list") + "?format=xlsx")
    assert lines, "the requests logged nothing at all: the capture is not working"
    assert not [line for line in lines if "embassy nurse" in line]
    opened = PersonalDataRead.objects.filter(kind=PersonalDataRead.Kind.CASE_PAGE, object_id=case.pk, user=serang_staff)
    assert sorted(opened.values_list("route", flat=True)) == ["protection:case_detail", "protection:case_print"]
    assert all(read.candidate_id == case.placement.candidate_id for read in opened)


# --- the case forms ------------------------------------------------------------------------------


def test_escalate_resolve_repatriated_and_close(staff_client, case, abroad):
    def post(name, data):
        fresh = Case.objects.get(pk=case.pk)
        prefix = name.removeprefix("case_")
        fields = {"version": fresh.version, "acted_on": today().isoformat(), **data}
        body = {f"{prefix}-{k}": v for k, v in fields.items()}
        return staff_client.post(_case_url(name, case), body)

    assert post("case_escalate", {"to": "embassy", "what": "Called KBRI"}).status_code == 302
    assert Case.objects.get(pk=case.pk).escalated_to == "embassy"
    assert post("case_resolve", {"outcome": "repatriated", "what": "Flown home"}).status_code == 302
    assert Placement.objects.get(pk=abroad.pk).stage == "repatriated"
    page = staff_client.get(_case_url("case_detail", case)).content.decode()
    assert 'data-testid="placement-stage">Repatriated<' in page
    assert post("case_close", {"what": "Done"}).status_code == 302
    assert Case.objects.get(pk=case.pk).status == "closed"


def test_closing_without_an_outcome_says_so(staff_client, case):
    response = staff_client.post(
        _case_url("case_close", case),
        {"close-version": case.version, "close-acted_on": today().isoformat(), "close-what": "Done"},
    )
    assert response.status_code == 400
    assert "A case cannot be closed without an outcome." in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == "open"


def test_the_second_of_two_editors_is_refused_with_the_usual_message(staff_client, case):
    opened_with = case.version
    body = {"action-version": opened_with, "action-acted_on": today().isoformat(), "action-what": "First"}
    assert staff_client.post(_case_url("case_action", case), body).status_code == 302
    body["action-what"] = "Second"
    response = staff_client.post(_case_url("case_action", case), body)
    assert response.status_code == 409
    assert "Someone else saved this record after you opened it." in response.content.decode()
    assert Case.objects.get(pk=case.pk).actions.count() == 2


def test_the_case_report_prints_the_log(staff_client, case):
    html = staff_client.get(_case_url("case_print", case)).content.decode()
    assert 'data-testid="case-report"' in html and "Admitted to hospital" in html
    assert "Confidential" in html


# --- contact -------------------------------------------------------------------------------------


def test_a_serious_contact_offers_to_open_a_critical_case(staff_client, abroad):
    response = staff_client.post(
        reverse("protection:contact_create", args=[abroad.pk]),
        {
            "contact-contacted_on": today().isoformat(),
            "contact-channel": "messaging",
            "contact-wellbeing": "serious",
            "contact-note": "Not paid",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("?offer_case=critical")
    assert Contact.objects.get().wellbeing == "serious"
    page = staff_client.get(response["Location"]).content.decode()
    assert 'data-testid="offer-case"' in page
    assert reverse("protection:case_create", args=[abroad.pk]) + "?severity=critical" in page


def test_a_group_call_records_a_contact_for_each_one_reached(staff_client, abroad, serang):
    mate = abroad_placement(municipality=serang, programme=abroad.programme, cohort=abroad.cohort)
    url = reverse("protection:cohort_contacts", args=[abroad.cohort_id])
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(
        url,
        {
            "contacted_on": today().isoformat(),
            "channel": "group_call",
            "placements": [abroad.pk, mate.pk],
            f"wellbeing_{abroad.pk}": "good",
            f"wellbeing_{mate.pk}": "concern",
        },
    )
    assert response.status_code == 302
    assert dict(Contact.objects.values_list("placement_id", "wellbeing")) == {abroad.pk: "good", mate.pk: "concern"}


# --- holds ---------------------------------------------------------------------------------------


def test_the_agreement_admin_records_a_hold_and_the_dashboard_says_so(admin_client_serang, staff_client, abroad):
    data = {
        "programme": abroad.programme_id,
        "held_on": today().isoformat(),
        "source": "Changnyeong County letter",
        "reason": "Absconding",
    }
    assert staff_client.post(reverse("protection:hold_list"), data).status_code == 403
    assert admin_client_serang.post(reverse("protection:hold_list"), data).status_code == 302
    assert ProgrammeHold.objects.get().source == "Changnyeong County letter"
    html = staff_client.get(reverse("protection:dashboard")).content.decode()
    assert 'data-testid="hold-banner"' in html and "Changnyeong County letter" in html


# --- dashboard click-through, export and query counts --------------------------------------------


def test_the_absconding_rate_opens_the_list_of_absconders(official_client, serang_staff, serang, abroad):
    absconder = abroad_placement(municipality=serang, programme=abroad.programme, cohort=abroad.cohort)
    services.case_resolve(
        case=open_case(absconder, serang_staff, case_type="absconding"),
        user=serang_staff,
        outcome="absconded",
        acted_on=today(),
        what="Gone",
        version=1,
    )
    html = official_client.get(reverse("protection:dashboard")).content.decode()
    link = f"/protection/workers/?state=absconded&amp;programme={abroad.programme_id}"
    assert f'<a href="{link}" data-testid="absconding-rate">50%</a>' in html
    listed = official_client.get(link.replace("&amp;", "&"))
    assert [p.pk for p in listed.context["page_obj"]] == [absconder.pk]


def test_the_case_export_writes_formulas_as_text(staff_client, abroad, serang_staff):
    open_case(abroad, serang_staff, summary='=HYPERLINK("http://evil.example","x")')
    response = staff_client.get(reverse("protection:case_list") + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=11)
    assert cell.value == '=HYPERLINK("http://evil.example","x")' and cell.data_type == "s"  # text, as typed


def _grow(serang, serang_staff, programme, n):
    for _ in range(n):
        placement = abroad_placement(municipality=serang, programme=programme)
        open_case(placement, serang_staff)
        services.contact_create(
            user=serang_staff, placement=placement, contacted_on=today(), channel="phone", wellbeing="good"
        )


@pytest.mark.parametrize(
    ("url_name", "queries"),
    [
        # Every page: session, user, user and group permissions (the session's activity stamp is
        # written on the warm-up request). Then the case list: count, page (placement, candidate,
        # programme and cohort joined).
        ("protection:case_list", 6),
        # The worker list: count, page (last contact, interval and risk as subqueries).
        ("protection:worker_list", 6),
        # The dashboard: placements per group, cases per group, type x severity, holds in force.
        ("protection:dashboard", 8),
    ],
)
def test_list_pages_cost_the_same_whatever_the_data(
    staff_client, serang, serang_staff, abroad, django_assert_num_queries, url_name, queries
):
    _grow(serang, serang_staff, abroad.programme, 2)
    staff_client.get(reverse(url_name))  # warm-up: the session's activity stamp
    with django_assert_num_queries(queries):
        assert staff_client.get(reverse(url_name)).status_code == 200
    _grow(serang, serang_staff, abroad.programme, 6)
    with django_assert_num_queries(queries):
        assert staff_client.get(reverse(url_name)).status_code == 200
