"""Programme list, create and edit (demand per occupation as an inline formset), and the facts panel."""

from datetime import date

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from programmes.models import Programme, ProgrammeDemand
from programmes.selectors import get_programme_for_user
from tests.factories import OccupationFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db
EN = {"language": "en"}


def _form_data(agreement, **extra):
    data = {
        "agreement": agreement.pk,
        "name": "Serang–Changnyeong EPS",
        "scheme": "eps_e9",
        "status": "recruiting",
        "destination_country": "KR",
        "destination_city": "Changnyeong",
        "application_opens": "2026-01-05",
        "application_closes": "2027-06-30",
        "planned_departure": "2027-03-01",
        "target_min": "300",
        "target": "500",
        "target_max": "1000",
        "min_age": "18",
        "max_age": "39",
        "required_sex": "",
        "min_education": "sma",
        "language_test": "eps_topik",
        "min_language_score": "80",
        "min_training_hours": "240",
        "health_certificate_required": "on",
        "passport_months_beyond_return": "6",
        "required_documents": ["ktp", "passport"],
        "training_paid_by": "local_government",
        "travel_paid_by": "partner",
        "insurance_paid_by": "employer",
        "visa_paid_by": "partner",
        "season_months_abroad": "",
        "season_rest_months": "",
        "season_periods": "",
        "contract_months": "36",
        "description": "",
        "demands-TOTAL_FORMS": "2",
        "demands-INITIAL_FORMS": "0",
        "demands-MIN_NUM_FORMS": "0",
        "demands-MAX_NUM_FORMS": "1000",
        "demands-0-occupation": "",
        "demands-0-requested": "",
        "demands-1-occupation": "",
        "demands-1-requested": "",
    }
    data.update(extra)
    return data


# --- list ----------------------------------------------------------------------------------------


def test_list_is_scoped_and_filterable(official_client, serang_programme, blitar_programme, national_programme):
    ProgrammeFactory(agreement=serang_programme.agreement, name="Serang closed", status="closed")
    body = official_client.get("/programmes/", **EN).content.decode()
    assert serang_programme.name in body and national_programme.name in body
    assert blitar_programme.name not in body
    body = official_client.get("/programmes/?status=closed").content.decode()
    assert "Serang closed" in body and serang_programme.name not in body


def test_list_filters_by_scheme_and_country(official_client, serang_agreement):
    ProgrammeFactory(agreement=serang_agreement, name="Alpha programme", scheme="eps_e9", destination_country="KR")
    ProgrammeFactory(agreement=serang_agreement, name="Beta programme", scheme="ssw", destination_country="JP")
    body = official_client.get("/programmes/?scheme=ssw").content.decode()
    assert "Beta programme" in body and "Alpha programme" not in body
    body = official_client.get("/programmes/?country=KR").content.decode()
    assert "Alpha programme" in body and "Beta programme" not in body


def test_list_answers_405_to_post(official_client):
    assert official_client.post("/programmes/").status_code == 405


# --- create and edit -------------------------------------------------------------------------------


def test_admin_creates_a_programme_with_its_demand(admin_client_serang, serang_agreement):
    nurse, courier = OccupationFactory(name="Asisten perawat"), OccupationFactory(name="Kurir")
    data = _form_data(
        serang_agreement,
        **{
            "demands-0-occupation": nurse.pk,
            "demands-0-requested": "150",
            "demands-1-occupation": courier.pk,
            "demands-1-requested": "200",
        },
    )
    response = admin_client_serang.post("/programmes/new/", data)
    programme = Programme.objects.get(name="Serang–Changnyeong EPS")
    assert response.status_code == 302 and response["Location"] == f"/programmes/{programme.pk}/"
    assert dict(programme.demands.values_list("occupation__name", "requested")) == {
        "Asisten perawat": 150,
        "Kurir": 200,
    }
    assert programme.required_documents == ["ktp", "passport"]
    assert (programme.target_min, programme.target, programme.target_max) == (300, 500, 1000)


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"target_min": "600"}, "target_min"),
        ({"target_max": "400"}, "target_max"),
        ({"min_age": "40", "max_age": "39"}, "max_age"),
        ({"application_closes": "2025-01-01"}, "application_closes"),
        ({"language_test": "jlpt", "min_language_score": "6"}, "min_language_score"),
        ({"language_test": "", "min_language_score": "80"}, "language_test"),
        ({"season_months_abroad": "5", "season_periods": ""}, "season_periods"),
    ],
)
def test_broken_rules_are_shown_next_to_their_field_and_nothing_is_saved(
    admin_client_serang, serang_agreement, fields, error_field
):
    response = admin_client_serang.post("/programmes/new/", _form_data(serang_agreement, **fields), **EN)
    body = response.content.decode()
    assert response.status_code == 200
    assert f'data-field-error="{error_field}"' in body
    assert not Programme.objects.exists()


def test_target_messages_say_what_is_wrong(admin_client_serang, serang_agreement):
    body = admin_client_serang.post(
        "/programmes/new/", _form_data(serang_agreement, target_min="600", target_max="400"), **EN
    ).content.decode()
    assert "The minimum cannot be above the target." in body
    assert "The maximum cannot be below the target." in body


def test_the_same_occupation_twice_is_refused(admin_client_serang, serang_agreement):
    nurse = OccupationFactory(name="Asisten perawat")
    data = _form_data(
        serang_agreement,
        **{
            "demands-0-occupation": nurse.pk,
            "demands-0-requested": "1",
            "demands-1-occupation": nurse.pk,
            "demands-1-requested": "2",
        },
    )
    response = admin_client_serang.post("/programmes/new/", data, **EN)
    assert response.status_code == 200
    assert not Programme.objects.exists()


def test_admin_edits_a_programme_and_its_demand(admin_client_serang, serang_programme):
    nurse, cleaner = OccupationFactory(name="Asisten perawat"), OccupationFactory(name="Petugas kebersihan")
    old = ProgrammeDemand.objects.create(programme=serang_programme, occupation=nurse, requested=10)
    data = _form_data(
        serang_programme.agreement,
        name="Renamed",
        **{
            "demands-TOTAL_FORMS": "2",
            "demands-INITIAL_FORMS": "1",
            "demands-0-id": old.pk,
            "demands-0-programme": serang_programme.pk,
            "demands-0-occupation": nurse.pk,
            "demands-0-requested": "10",
            "demands-0-DELETE": "on",
            "demands-1-occupation": cleaner.pk,
            "demands-1-requested": "150",
        },
    )
    response = admin_client_serang.post(f"/programmes/{serang_programme.pk}/edit/", data)
    assert response.status_code == 302
    serang_programme.refresh_from_db()
    assert serang_programme.name == "Renamed"
    assert list(serang_programme.demands.values_list("occupation__name", "requested")) == [("Petugas kebersihan", 150)]


def test_only_own_agreements_are_offered(admin_client_serang, serang_agreement, blitar_agreement, national_agreement):
    body = admin_client_serang.get("/programmes/new/").content.decode()
    assert serang_agreement.title in body
    assert blitar_agreement.title not in body
    assert national_agreement.title not in body
    response = admin_client_serang.post("/programmes/new/", _form_data(blitar_agreement))
    assert 'data-field-error="agreement"' in response.content.decode()


def test_a_national_programme_is_read_only_to_a_municipal_admin(admin_client_serang, national_programme):
    assert admin_client_serang.get(f"/programmes/{national_programme.pk}/edit/").status_code == 403


def test_other_municipality_gets_404_on_edit(admin_client_serang, blitar_programme):
    assert admin_client_serang.get(f"/programmes/{blitar_programme.pk}/edit/").status_code == 404


@pytest.mark.parametrize("client_name", ["official_client", "staff_client", "national_client"])
def test_read_only_roles_cannot_create_or_edit(request, client_name, serang_programme):
    client = request.getfixturevalue(client_name)
    assert client.get("/programmes/new/").status_code == 403
    assert client.post("/programmes/new/", _form_data(serang_programme.agreement)).status_code == 403
    assert client.post(f"/programmes/{serang_programme.pk}/edit/", {}).status_code == 403


def test_programme_forms_answer_405_to_wrong_methods(admin_client_serang, serang_programme):
    assert admin_client_serang.put("/programmes/new/").status_code == 405
    assert admin_client_serang.delete(f"/programmes/{serang_programme.pk}/edit/").status_code == 405


def test_anonymous_is_sent_to_login(client, serang_programme):
    for url in ["/programmes/", "/programmes/new/", f"/programmes/{serang_programme.pk}/edit/"]:
        assert "/login/" in client.get(url)["Location"]


# --- facts panel -------------------------------------------------------------------------------------


def _facts(programme, user) -> str:
    """The partial as the programme page includes it (RequestContext gives `user` and `perms`)."""
    request = RequestFactory().get("/")
    request.user = user
    with translation.override("en"):
        return render_to_string(
            "programmes/includes/_programme_facts.html",
            {"programme": get_programme_for_user(user, programme.pk)},
            request=request,
        )


def test_facts_panel_shows_everything_about_the_programme(serang_official, serang_agreement):
    programme = ProgrammeFactory(
        agreement=serang_agreement,
        destination_city="Changnyeong",
        application_opens=date(2026, 1, 5),
        application_closes=date(2027, 6, 30),
        planned_departure=date(2027, 3, 1),
        max_age=39,
        min_education="sma",
        language_test="jlpt",
        min_language_score=4,
        min_training_hours=240,
        required_sex="F",
        required_documents=["ktp", "skck"],
        training_paid_by="local_government",
        travel_paid_by="partner",
        contract_months=36,
    )
    ProgrammeDemand.objects.create(programme=programme, occupation=OccupationFactory(name="Kurir"), requested=200)
    html = _facts(programme, serang_official)
    for text in [
        serang_agreement.title,
        "Kemendagri facilitation and LoA",
        "Employment (Korea EPS E-9)",
        "Recruiting",
        "South Korea, Changnyeong",
        "5 Jan 2026 – 30 Jun 2027",
        "1 Mar 2027",
        "36 months",
        "1 Mar 2030",
        "300 minimum · 500 target · up to 1,000",
        "Kurir",
        "200",
        "Age 18–39 at departure",
        "Female only",
        "Education at least Senior secondary (SMA)",
        "JLPT (N5–N1): at least N4",
        "At least 240 training hours",
        "Health certificate",
        "Passport valid 6 months beyond the planned return",
        "Identity card (KTP), Police clearance (SKCK)",
        "Local government",
        "Foreign partner",
    ]:
        assert text in html, text
    assert "/edit/" not in html


def test_facts_panel_shows_a_season_pattern(serang_admin, serang_agreement):
    programme = ProgrammeFactory(
        agreement=serang_agreement,
        contract_months=None,
        season_months_abroad=5,
        season_rest_months=2,
        season_periods=2,
        scheme="seasonal_e8",
    )
    html = _facts(programme, serang_admin)
    assert "2 periods of 5 months abroad, 2 months at home between them" in html
    assert "(12 months in all)" in html
    assert f"/programmes/{programme.pk}/edit/" in html


def test_facts_panel_queries_do_not_grow_with_the_demand(serang_official, serang_programme):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            _facts(serang_programme, serang_official)
        return len(ctx.captured_queries)

    ProgrammeDemand.objects.create(programme=serang_programme, occupation=OccupationFactory(), requested=1)
    count()  # the first render also loads the user's permissions
    one = count()
    for _ in range(5):
        ProgrammeDemand.objects.create(programme=serang_programme, occupation=OccupationFactory(), requested=1)
    # The programme with agreement, partner and municipality joined, and its demand with occupations.
    assert count() == one == 2
