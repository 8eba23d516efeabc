"""Similar people across offices (issue 13, item 7): at entry (the form, the import preview, the API),
someone with a similar name and the same birth date or phone registered by another municipality gives
a warning that names only that office, never anything of the other record (Law 27/2022)."""

import re
from datetime import date

import pytest
from django.urls import reverse

from candidates.imports import candidate_import_validate
from candidates.models import Candidate
from candidates.privacy import mask_identifier
from candidates.selectors import similar_people_elsewhere
from tests.api.conftest import error_of, make_api_client
from tests.factories import CandidateFactory, candidate_form_data

from .test_imports import HEADERS, csv_file, row

NEW = reverse("candidates:candidate_create")
WARNING = (
    "Someone with a similar name and the same birth date or phone is registered at Kota Blitar. "
    "If it is the same person, contact that office (a person has one record)."
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def blitar_person(blitar):
    """Blitar's record of a "Nur Agies Pratama" born on 14 March 1995 (the form data's birth date)."""
    return CandidateFactory(
        municipality=blitar,
        full_name="NUR AGIES PRATAMA",
        birth_date=date(1995, 3, 14),
        birth_place="Blitar Kulon",
        phone="+6285799990001",
        address="Jl. Merdeka Rahasia 17",
        email="agies.rahasia@example.com",
    )


def _leaks(text: str, other: Candidate) -> list[str]:
    """What of the other office's record appears in `text`."""
    traces = {
        "name": other.full_name,
        "name (as typed there)": other.full_name.title(),
        "NIK": other.nik,
        "masked NIK": mask_identifier(other.nik),
        "NIK's last digits": other.nik[-6:],
        "id in a URL": f"/candidates/{other.pk}/",
        "phone": other.phone,
        "phone (local)": "0857-9999-0001",
        "birth place": other.birth_place,
        "address": other.address,
        "e-mail": other.email,
    }
    return [what for what, value in traces.items() if value and value in text]


def _confirm_token(response) -> str:
    match = re.search(r'name="confirm_warnings" value="([0-9a-f]+)"', response.content.decode())
    assert match, "the form shows no confirmation checkbox"
    return match.group(1)


def test_the_entry_form_names_the_other_office_and_nothing_of_its_record(staff_client, blitar_person):
    data = candidate_form_data(full_name="Nur Agis Pratama")  # a similar name, the same birth date
    first = staff_client.post(NEW, data)
    body = first.content.decode()
    assert first.status_code == 200 and "registered at Kota Blitar" in body
    assert _leaks(body, blitar_person) == []
    assert 'data-testid="possible-duplicates"' not in body  # no record listed, no link
    assert Candidate.objects.count() == 1
    # Checked: the new person is registered here (a person moving between offices is a transfer).
    second = staff_client.post(NEW, {**data, "confirm_warnings": _confirm_token(first)})
    assert second.status_code == 302 and Candidate.objects.count() == 2


def test_the_same_phone_with_a_similar_name_warns_and_a_different_person_does_not(staff_client, blitar_person):
    same_phone = candidate_form_data(full_name="Nur Agis Pratama", birth=date(1996, 7, 1), phone="0857-9999-0001")
    body = staff_client.post(NEW, same_phone).content.decode()
    assert "registered at Kota Blitar" in body and _leaks(body.replace("0857-9999-0001", ""), blitar_person) == []
    # A different name born the same day, or another person entirely: no warning.
    stranger = candidate_form_data(full_name="Siti Rahmawati", sex="F")
    assert staff_client.post(NEW, stranger).status_code == 302


def test_the_selector_returns_office_names_only(serang_staff, blitar_person):
    offices = similar_people_elsewhere(
        user=serang_staff, full_name="Nur Agis Pratama", birth_date=date(1995, 3, 14), phone=""
    )
    assert offices == ["Kota Blitar"]
    # Blitar's own staff get the record itself among their possible duplicates, not an office warning.
    from accounts.models import User

    blitar_staff = User.objects.create_user(
        username="b", password="x-very-long-pass", municipality=blitar_person.municipality
    )
    assert (
        similar_people_elsewhere(
            user=blitar_staff, full_name="Nur Agis Pratama", birth_date=date(1995, 3, 14), phone=""
        )
        == []
    )


def test_editing_a_record_does_not_warn_about_other_offices(staff_client, serang, blitar_person):
    mine = CandidateFactory(municipality=serang, full_name="Nur Agis Pratama", birth_date=date(1995, 3, 14))
    data = candidate_form_data(nik=mine.nik, full_name=mine.full_name, version=mine.version)
    data.update(sex=mine.sex, birth_date=mine.birth_date.isoformat(), phone="081299998888")
    data.update(kecamatan_code=mine.kecamatan_code, kelurahan_code=mine.kelurahan_code)
    assert staff_client.post(reverse("candidates:candidate_edit", args=[mine.pk]), data).status_code == 302


def test_the_import_preview_names_the_other_office_only(serang_staff, serang, blitar, staff_client):
    values = row(serang, 1)
    other = CandidateFactory(
        municipality=blitar,
        full_name=values["nama_lengkap"].upper(),
        birth_date=date(1990, 1, 2),
        birth_place="Blitar Kulon",
        phone="+6285799990001",
    )
    preview = candidate_import_validate(user=serang_staff, uploaded_file=csv_file([values], headers=HEADERS))
    assert preview.error_count == 0 and preview.create_count == 1
    messages = [w.message for w in preview.warnings]
    assert messages == [WARNING]
    assert _leaks(repr(preview.warnings), other) == []


def test_the_api_asks_for_confirmation_naming_the_office_only(serang, blitar_person):
    writer = make_api_client("similar", serang, ["read", "write", "personal-data"])
    data = candidate_form_data(full_name="Nur Agis Pratama")
    data.pop("email")
    response = writer.post("/api/v1/candidates/", data)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "confirmation_required"
    assert error["fields"]["similar_elsewhere"] == ["Kota Blitar"] and error["fields"]["warnings"] == [WARNING]
    assert error["fields"]["possible_duplicates"] == []
    assert _leaks(response.content.decode(), blitar_person) == []
    confirmed = writer.post("/api/v1/candidates/", {**data, "confirm_warnings": True})
    assert confirmed.status_code == 201
