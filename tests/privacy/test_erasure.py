"""Erasure (on request, or by the retention policy) removes the personal fields and files and keeps
an anonymous row, so every dashboard number is the same before and after (Law 27/2022; issue 13 item 5)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.utils import timezone

from candidates.models import Candidate, CandidateEvent, Document, DocumentEvent
from core.dates import age_band_of, age_band_q
from dashboards import reports
from dashboards.selectors import home_dashboard, national_overview, programme_dashboard
from placements.models import Placement
from privacy import services
from privacy.models import DataRequest
from tests.factories import CandidateFactory, DocumentFactory, OccupationFactory, PlacementFactory, ProgrammeFactory

from .conftest import make_request

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _born(years: int, days: int = 0) -> date:
    return date(TODAY.year - years, TODAY.month, min(TODAY.day, 28)) - timedelta(days=days)


@pytest.fixture
def programme(serang, blitar):
    """A Serang programme with people of every age band, both sexes, two kecamatan, three education
    levels, at every kind of stage (registered, departed, returned, ended early) in two occupations,
    and a Blitar person for the national view."""
    programme = ProgrammeFactory(agreement__municipality=serang)
    occupations = [OccupationFactory(), OccupationFactory()]
    stages = ["registered", "screened", "in_training", "departed", "abroad", "returned", "withdrawn", "absconded"]
    ages = [19, 23, 26, 31, 36, 41, 46, 24, 28, 33]
    for i, age in enumerate(ages):
        candidate = CandidateFactory(
            municipality=serang,
            birth_date=_born(age, days=i),
            sex="MF"[i % 2],
            education=["sma", "smk", "d3"][i % 3],
            registered_on=TODAY - timedelta(days=40 * i),
        )
        stage = stages[i % len(stages)]
        departed = stage in ("departed", "abroad", "returned", "absconded")
        PlacementFactory(
            candidate=candidate,
            programme=programme,
            occupation=occupations[i % 2],
            stage=stage,
            registered_on=TODAY - timedelta(days=40 * i),
            departed_on=TODAY - timedelta(days=10 * i) if departed else None,
            returned_on=TODAY - timedelta(days=i) if stage == "returned" else None,
            visa_number="V99" if departed else "",
        )
        DocumentFactory(candidate=candidate, file=ContentFile(b"%PDF-1.4 test", name=f"doc{i}.pdf"))
    PlacementFactory(candidate=CandidateFactory(municipality=blitar), programme__agreement__municipality=blitar)
    return programme


def _figures(user, superuser, programme):
    """Every number of the home, programme and national dashboards, as their tables print them."""
    home = home_dashboard(user=user, today=TODAY)
    prog = programme_dashboard(user=user, programme=programme, today=TODAY)
    national = national_overview(user=superuser)
    tables = [reports.programmes_table(home.programmes), reports.cohorts_table(home.cohorts)]
    tables += reports.programme_tables(prog)
    tables.append(reports.municipalities_table(national))
    printed = [[[str(getattr(c, "value", c)) for c in row] for row in t.rows] for t in tables]
    return {
        "home": (home.programmes, home.cohorts, home.reminders),
        "programme": (prog.funnel, prog.occupations, prog.sex, prog.age, prog.kecamatan, prog.education),
        "programme_more": (prog.months, prog.providers, prog.median_days, prog.median_count, prog.projection),
        "national": national,
        "tables": printed,
    }


def test_every_dashboard_number_is_the_same_after_erasing_several_people(programme, serang_staff, superuser):
    before = _figures(serang_staff, superuser, programme)
    # The breakdowns are not trivially empty: several age bands, both sexes, departures.
    ages = [b for b in before["programme"][3] if b.count]
    assert len(ages) >= 5
    people = list(Candidate.objects.filter(placements__programme=programme).order_by("pk"))
    erased = people[::3]  # registered, abroad, absconded, ...: 4 people across bands and stages
    assert len(erased) == 4
    for person in erased:
        services.candidate_erase(user=serang_staff, candidate=person)
    assert Candidate.objects.filter(erased_at__isnull=False).count() == 4
    after = _figures(serang_staff, superuser, programme)
    assert after == before


def test_the_age_band_filters_count_an_erased_person_in_their_kept_band(programme, serang_staff):
    person = Candidate.objects.filter(placements__programme=programme).order_by("pk")[1]
    band = age_band_of(person.birth_date, TODAY)
    placements_in_band = Placement.objects.filter(age_band_q(band, TODAY, field="candidate__birth_date"))
    before = placements_in_band.count()
    services.candidate_erase(user=serang_staff, candidate=person)
    person.refresh_from_db()
    assert person.birth_date is None and person.erased_age_band == band
    assert Placement.objects.filter(age_band_q(band, TODAY, field="candidate__birth_date")).count() == before
    assert Candidate.objects.filter(age_band_q(band, TODAY), pk=person.pk).exists()


def test_erasure_removes_personal_fields_files_and_history_values(
    programme, serang_staff, private_storage, django_capture_on_commit_callbacks
):
    person = Candidate.objects.filter(placements__programme=programme, placements__visa_number="V99").first()
    kept = (person.sex, person.kecamatan_code, person.education, person.registered_on, person.municipality_id)
    nik = person.nik
    document = person.documents.get()
    stored = private_storage / document.file.name
    assert stored.is_file()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.candidate_erase(user=serang_staff, candidate=person)
    assert stored.is_file()  # the file goes only once the erasure has committed
    for callback in callbacks:
        callback()

    person.refresh_from_db()
    assert (person.nik, person.full_name, person.birth_date, person.phone, person.address) == (None, "", None, "", "")
    assert person.kelurahan_code == "" and person.birth_place == "" and person.erased_at is not None
    assert (person.sex, person.kecamatan_code, person.education, person.registered_on, person.municipality_id) == kept
    assert not stored.exists()
    document = Document.objects.get(pk=document.pk)
    assert (document.file.name, document.number, document.original_filename) == ("", "", "")
    assert Placement.objects.get(candidate=person).visa_number == ""
    # The history says who erased when, and no snapshot keeps a value.
    events = CandidateEvent.objects.filter(pgh_obj_id=person.pk)
    assert events.count() >= 2
    assert not events.filter(nik=nik).exists() and not events.exclude(full_name="").exists()
    assert not DocumentEvent.objects.filter(candidate_id=person.pk).exclude(number="").exists()
    assert str(person) == f"Erased person #{person.pk}"


def test_an_erasure_request_answered_erased_erases_the_person(serang_dpo, person):
    request = make_request(user=serang_dpo, candidate=person, kind=DataRequest.Kind.ERASURE)
    services.data_request_answer(user=serang_dpo, request=request, outcome="erased", note="")
    person.refresh_from_db()
    assert person.is_erased and person.nik is None
    request.refresh_from_db()
    assert request.outcome == "erased" and request.answered_by == serang_dpo


def test_erasure_is_all_or_nothing(serang_dpo, person, monkeypatch):
    from candidates import extensions

    def failing(*, candidate):
        raise RuntimeError("listener failed")

    extensions.register_erasure_listener("test-failing", failing)
    try:
        request = make_request(user=serang_dpo, candidate=person, kind=DataRequest.Kind.ERASURE)
        with pytest.raises(RuntimeError):
            services.data_request_answer(user=serang_dpo, request=request, outcome="erased", note="")
    finally:
        extensions._erasure_listeners.pop("test-failing")
    person.refresh_from_db()
    request.refresh_from_db()
    assert person.nik and not person.is_erased and request.answered_at is None


def test_only_the_persons_office_may_erase(blitar_staff, serang_official, person):
    for user in (blitar_staff, serang_official):
        with pytest.raises(PermissionDenied):
            services.candidate_erase(user=user, candidate=person)
    person.refresh_from_db()
    assert not person.is_erased


def test_an_erased_person_cannot_be_edited_or_asked_about_again(serang_staff, staff_client, person):
    services.candidate_erase(user=serang_staff, candidate=person)
    page = staff_client.get(f"/candidates/{person.pk}/")
    assert b'data-testid="erased-banner"' in page.content
    response = staff_client.post(f"/candidates/{person.pk}/edit/", {"full_name": "Back again"})
    person.refresh_from_db()
    assert person.full_name == "" and response.status_code in (200, 400)


def test_erasure_reaches_what_protection_holds_through_its_listener(serang_staff, person):
    from protection.models import ContactRecord

    placement = PlacementFactory(candidate=person, stage="abroad", departed_on=TODAY - timedelta(days=30))
    ContactRecord.objects.create(
        placement=placement, phone_abroad="+821012345678", emergency_contact_name="Ibu Sri", employer_address="Seoul"
    )
    services.candidate_erase(user=serang_staff, candidate=person)
    record = ContactRecord.objects.get(placement=placement)
    assert (record.phone_abroad, record.emergency_contact_name, record.employer_address) == ("", "", "")


def test_pages_and_exports_that_list_people_show_an_erased_person_by_number(programme, serang_staff, staff_client):
    person = Candidate.objects.filter(placements__programme=programme).order_by("pk").first()
    services.candidate_erase(user=serang_staff, candidate=person)
    label = f"Erased person #{person.pk}"
    for url in ("/candidates/", f"/placements/?programme={programme.pk}", f"/candidates/{person.pk}/"):
        response = staff_client.get(url)
        assert response.status_code == 200 and label in response.content.decode(), url
    export = staff_client.get("/candidates/export/?format=csv")
    assert export.status_code == 200
    shortlist = staff_client.get(f"/programmes/{programme.pk}/shortlist/?shown=missing")
    assert shortlist.status_code == 200
    assert staff_client.get(f"/programmes/{programme.pk}/").status_code == 200
