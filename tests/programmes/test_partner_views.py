"""Partners: name in Latin and local script, country, level. Admins write their own; others read."""

import pytest

from programmes.models import Partner
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db
EN = {"language": "en"}

DATA = {
    "name": "Changnyeong County",
    "local_name": "창녕군",
    "country": "KR",
    "level": "county",
    "website": "",
    "contact": "",
}


def test_list_shows_own_and_national_partners_only(official_client, serang, blitar):
    PartnerFactory(municipality=serang, name="Changnyeong County", local_name="창녕군")
    PartnerFactory(municipality=blitar, name="Yeongdeok County")
    PartnerFactory(municipality=None, name="JOE Cooperative")
    body = official_client.get("/agreements/partners/", **EN).content.decode()
    assert "Changnyeong County" in body and "창녕군" in body and "JOE Cooperative" in body
    assert "Yeongdeok County" not in body


def test_list_filters_by_country(official_client, serang):
    PartnerFactory(municipality=serang, name="Changnyeong County", country="KR")
    PartnerFactory(municipality=serang, name="Osaka Prefecture", country="JP")
    body = official_client.get("/agreements/partners/?country=JP").content.decode()
    assert "Osaka Prefecture" in body and "Changnyeong County" not in body


def test_admin_creates_a_partner_for_their_municipality(admin_client_serang, serang):
    response = admin_client_serang.post("/agreements/partners/new/", DATA)
    assert response.status_code == 302
    partner = Partner.objects.get(name="Changnyeong County")
    assert (partner.municipality, partner.local_name, partner.level) == (serang, "창녕군", "county")


def test_a_partner_needs_a_name_shown_next_to_the_field(admin_client_serang):
    response = admin_client_serang.post("/agreements/partners/new/", {**DATA, "name": ""})
    assert 'data-field-error="name"' in response.content.decode()
    assert not Partner.objects.exists()


def test_admin_edits_own_partner_only(admin_client_serang, serang, blitar):
    own = PartnerFactory(municipality=serang)
    national = PartnerFactory(municipality=None)
    other = PartnerFactory(municipality=blitar)
    assert admin_client_serang.post(f"/agreements/partners/{own.pk}/edit/", DATA).status_code == 302
    own.refresh_from_db()
    assert own.name == "Changnyeong County"
    assert admin_client_serang.post(f"/agreements/partners/{national.pk}/edit/", DATA).status_code == 403
    assert admin_client_serang.get(f"/agreements/partners/{other.pk}/edit/").status_code == 404


def test_edit_links_only_on_partners_the_user_may_edit(admin_client_serang, official_client, serang):
    own = PartnerFactory(municipality=serang)
    national = PartnerFactory(municipality=None)
    body = admin_client_serang.get("/agreements/partners/").content.decode()
    assert f"/agreements/partners/{own.pk}/edit/" in body
    assert f"/agreements/partners/{national.pk}/edit/" not in body
    assert "/edit/" not in official_client.get("/agreements/partners/").content.decode()


@pytest.mark.parametrize("client_name", ["official_client", "staff_client", "national_client"])
def test_read_only_roles_cannot_write_partners(request, client_name, serang):
    client = request.getfixturevalue(client_name)
    partner = PartnerFactory(municipality=serang)
    assert client.get("/agreements/partners/new/").status_code == 403
    assert client.post("/agreements/partners/new/", DATA).status_code == 403
    assert client.post(f"/agreements/partners/{partner.pk}/edit/", DATA).status_code == 403


def test_partner_pages_answer_405_to_wrong_methods(admin_client_serang, serang):
    partner = PartnerFactory(municipality=serang)
    assert admin_client_serang.post("/agreements/partners/").status_code == 405
    assert admin_client_serang.put("/agreements/partners/new/").status_code == 405
    assert admin_client_serang.delete(f"/agreements/partners/{partner.pk}/edit/").status_code == 405


def test_anonymous_is_sent_to_login(client):
    for url in ["/agreements/partners/", "/agreements/partners/new/"]:
        assert "/login/" in client.get(url)["Location"]
