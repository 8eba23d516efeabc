"""Every URL in the URLconf is protected: an anonymous request is sent to a login page, or answers
404/405. A new URL that is neither protected nor on the allow-list below fails the build."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Public on purpose. Keep this list short.
ALLOWED_ANONYMOUS = {
    "accounts:login",
    "healthz",
    "set_language",
    "admin:login",  # Django admin's own sign-in page (axes guards it too)
    "admin:logout",
}

_ARG_SAMPLES = {"int": "999999", "str": "x", "slug": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000000"}


def _walk(resolver: URLResolver, prefix: str = "", namespace: str | None = None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if entry.namespace and namespace:
                ns = f"{namespace}:{entry.namespace}"
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield name, prefix + str(entry.pattern)


def _concrete(pattern: str) -> str:
    """Turn a route or regex into a path with sample arguments."""
    path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: _ARG_SAMPLES.get(m.group(1) or "str", "x"), pattern)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", path)  # regex groups (admin)
    path = re.sub(r"\(\?:[^)]*\)\??", "", path)
    path = path.lstrip("^").rstrip("$").replace("\\", "").replace("^", "").replace("$", "")
    return "/" + path


ALL_URLS = sorted(set(_walk(get_resolver())), key=lambda x: x[1])


def test_the_walker_finds_the_main_areas():
    names = {name for name, _ in ALL_URLS}
    for expected in [
        "home",
        "candidates:candidate_list",
        "programmes:agreement_list",
        "placements:placement_list",
        "protection:dashboard",
        "protection:case_detail",
        "messaging:send_to_list",
        "messaging:broadcast_detail",
        "messaging:consent_give",
        "scholarships:round_detail",
        "scholarships:application_detail",
        "scholarships:announcement",
    ]:
        assert expected in names


@pytest.mark.parametrize(("name", "pattern"), ALL_URLS, ids=[f"{n}|{p}" for n, p in ALL_URLS])
@pytest.mark.django_db
def test_anonymous_request_is_sent_to_login(client, name, pattern):
    if name in ALLOWED_ANONYMOUS or pattern.startswith("static/") or name in API_TOKEN_URLS:
        return
    url = _concrete(pattern)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        if response.status_code in (301, 302):
            location = response["Location"]
            assert "/login/" in location, f"{method.upper()} {url} redirects to {location}, not to a login page"
        else:
            assert response.status_code in (404, 405), (
                f"{method.upper()} {url} answered {response.status_code} to an anonymous user"
            )


@pytest.mark.django_db
def test_delivery_report_addresses_answer_only_what_the_provider_signed(client, settings):
    # No user signs in there: the provider's signature is the authentication (messaging.views.delivery_report).
    assert "messaging:delivery_report" in {name for name, _ in ALL_URLS}
    settings.WHATSAPP_APP_SECRET = settings.VONAGE_SIGNATURE_SECRET = "configured"
    for provider in ("whatsapp_cloud", "vonage"):
        url = f"/messages/delivery/{provider}/"
        assert client.post(url, {"status": "delivered", "messageId": "1"}).status_code == 403
        assert client.get(url, {"status": "delivered", "messageId": "1"}).status_code == 403


@pytest.mark.django_db
def test_allowed_anonymous_urls_are_what_they_claim(client):
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/healthz").json() == {"status": "ok", "database": True}


# --- the API (/api/v1/): tokens instead of the login page ------------------------------------------
# Every API URL but the docs page (HTML, for signed-in staff) answers an anonymous request with 401,
# another municipality's record with 404, and a read-only client's write with 403.

API_URLS = [(name, pattern) for name, pattern in ALL_URLS if pattern.startswith("api/")]
API_TOKEN_URLS = {name for name, _ in API_URLS if name not in ("api:docs", "api:not_found")}


def test_the_walker_finds_the_api():
    names = {name for name, _ in API_URLS}
    assert {"api:candidate-list", "api:candidate-detail", "api:placement-move", "api:statistics"} <= names
    assert len(API_TOKEN_URLS) >= 20


@pytest.mark.parametrize(("name", "pattern"), API_URLS, ids=[f"{n}|{p}" for n, p in API_URLS])
@pytest.mark.django_db
def test_anonymous_api_request_answers_401(client, name, pattern):
    if name not in API_TOKEN_URLS:
        return
    url = _concrete(pattern)
    for method in ("get", "post", "patch"):
        response = getattr(client, method)(url)
        assert response.status_code == 401, f"{method.upper()} {url} answered {response.status_code} anonymously"
        assert response.json()["error"]["code"] == "not_authenticated"


def _blitar_records() -> dict[str, int]:
    """One Blitar record per API resource, by the route's basename."""
    from django.utils import timezone

    from placements.models import PlacementStageEvent
    from tests.factories import (
        CandidateFactory,
        CohortFactory,
        DocumentFactory,
        EnrolmentFactory,
        LanguageResultFactory,
        PlacementFactory,
        TrainingBatchFactory,
        municipality,
    )

    blitar = municipality("35.72")
    placement = PlacementFactory(candidate=CandidateFactory(municipality=blitar))
    event = PlacementStageEvent.objects.create(placement=placement, to_stage="registered", moved_at=timezone.now())
    batch = TrainingBatchFactory(programme=placement.programme, municipality=blitar)
    return {
        "candidate": placement.candidate_id,
        "document": DocumentFactory(candidate=placement.candidate).pk,
        "languageresult": LanguageResultFactory(candidate=placement.candidate).pk,
        "placement": placement.pk,
        "placementevent": event.pk,
        "programme": placement.programme_id,
        "agreement": placement.programme.agreement_id,
        "trainingbatch": batch.pk,
        "enrolment": EnrolmentFactory(batch=batch, placement=placement).pk,
        "cohort": CohortFactory(programme=placement.programme, municipality=blitar).pk,
    }


def _api_caller(scopes):
    from api.services import SYSTEM, api_client_create
    from core.models import Municipality

    serang = Municipality.objects.get(code="36.73")
    _record, token = api_client_create(user=SYSTEM, name="walker", municipality=serang, scopes=scopes)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.mark.django_db
def test_another_municipalitys_record_answers_404_on_every_api_url(client):
    records = _blitar_records()
    auth = _api_caller(["read", "write", "personal-data"])
    detail = [(name, pattern) for name, pattern in API_URLS if "<int:pk>" in pattern]
    assert len(detail) >= 10
    for name, pattern in detail:
        basename = name.split(":")[1].rsplit("-", 1)[0]
        assert basename in records, f"{name}: add a Blitar record of this kind to _blitar_records"
        url = "/" + pattern.replace("<int:pk>", str(records[basename]))
        for method in ("get", "post", "patch"):
            body = {} if method == "get" else {"data": "{}", "content_type": "application/json"}
            response = getattr(client, method)(url, **body, **auth)
            assert response.status_code in (404, 405), f"{method.upper()} {url} answered {response.status_code}"
            # The method the URL serves (GET; POST for an action) must say 404, not 405.
            if method == ("post" if name.endswith("-move") else "get"):
                assert response.status_code == 404, f"{method.upper()} {url} answered {response.status_code}"


@pytest.mark.django_db
def test_a_read_only_api_client_gets_403_on_every_write(client):
    auth = _api_caller(["read"])
    writable = [(n, p) for n, p in API_URLS if n in API_TOKEN_URLS and n != "api:schema"]
    assert len(writable) >= 20
    for _name, pattern in writable:
        url = _concrete(pattern)
        for method in ("post", "patch", "put", "delete"):
            response = getattr(client, method)(url, data="{}", content_type="application/json", **auth)
            assert response.status_code == 403, f"{method.upper()} {url} answered {response.status_code}"


# --- the personal-data register (/privacy/): municipal, and never the national viewer's ------------

PRIVACY_URLS = [(name, pattern) for name, pattern in ALL_URLS if name and name.startswith("privacy:")]


def _privacy_records():
    """A Serang person with a request and a breach, and each privacy URL filled with them."""
    from django.utils import timezone

    from accounts.models import Role
    from privacy import services
    from privacy.models import DataRequest
    from tests.conftest import make_user
    from tests.factories import CandidateFactory, municipality

    serang = municipality("36.73")
    officer = make_user("walker.dpo", Role.DATA_PROTECTION_OFFICER, serang)
    person = CandidateFactory(municipality=serang)
    now = timezone.now()
    request = services.data_request_create(
        user=officer,
        candidate=person,
        data={
            "kind": DataRequest.Kind.ACCESS,
            "received_at": now,
            "channel": "counter",
            "identity_checked_by": officer,
            "identity_check": "KTP",
        },
    )
    breach = services.breach_create(
        user=officer,
        data={
            "title": "t",
            "categories": ["identity"],
            "occurred_at": now,
            "discovered_at": now,
            "how": "h",
            "measures": "m",
        },
        affected=[person],
    )
    urls = []
    for name, pattern in PRIVACY_URLS:
        pk = breach.pk if pattern.startswith("privacy/breaches/") else request.pk
        path = "/" + pattern.replace("<int:pk>", str(pk)).replace("<int:candidate_pk>", str(person.pk))
        urls.append((name, path))
    return urls


def test_the_walker_finds_the_personal_data_register():
    names = {name for name, _ in PRIVACY_URLS}
    assert {
        "privacy:request_list",
        "privacy:request_detail",
        "privacy:request_answer",
        "privacy:breach_letter_person",
    } <= names


@pytest.mark.django_db
def test_the_national_viewer_gets_no_page_of_the_personal_data_register(client):
    from accounts.models import Role
    from tests.conftest import make_user

    urls = _privacy_records()
    assert len(urls) == len(PRIVACY_URLS) >= 10
    client.force_login(make_user("walker.national", Role.NATIONAL_VIEWER, None))
    for _name, url in urls:
        for method in ("get", "post"):
            # A GET of an action returns to the record's page (core.errors.post_only): follow it.
            status = getattr(client, method)(url, follow=True).status_code
            assert status in (403, 404, 405), f"{method.upper()} {url} answered {status} to the national viewer"


@pytest.mark.django_db
def test_another_municipalitys_officer_gets_404_on_every_record_of_the_register(client):
    from accounts.models import Role
    from tests.conftest import make_user
    from tests.factories import municipality

    urls = [(name, url) for name, url in _privacy_records() if any(c.isdigit() for c in url)]
    assert len(urls) >= 8
    client.force_login(make_user("walker.blitar.dpo", Role.DATA_PROTECTION_OFFICER, municipality("35.72")))
    for _name, url in urls:
        for method in ("get", "post"):
            status = getattr(client, method)(url, follow=True).status_code
            assert status in (404, 405), f"{method.upper()} {url} answered {status} to another municipality"


# --- the national viewer: counts only, never a person (Law 27/2022, issue 13) ----------------------
# Every URL of the site, opened by the national viewer with real records of two municipalities behind
# every id: no response names a seeded person (name, NIK, phone), the pages of people answer 403, and
# every number the national dashboards click through to ends at counts (200, no person).

# The kind of record behind each URL's <int:pk>; a new URL with an id must be added here.
PK_KIND = {
    "programmes:agreement_detail": "agreement",
    "programmes:agreement_edit": "agreement",
    "programmes:agreement_move": "agreement",
    "programmes:partner_edit": "partner",
    "programmes:programme_edit": "programme",
    "programme_detail": "programme",
    "programme_shortlist": "programme",
    "protection:programme_summary": "programme",
    "candidates:candidate_detail": "candidate",
    "candidates:candidate_edit": "candidate",
    "candidates:candidate_data_report": "candidate",
    "candidates:consent_record": "candidate",
    "candidates:consent_withdraw": "candidate",
    "candidates:document_create": "candidate",
    "messaging:candidate_section": "candidate",
    "messaging:consent_give": "candidate",
    "messaging:consent_withdraw": "consent",
    "messaging:broadcast_detail": "broadcast",
    "messaging:template_preview": "template",
    "placements:placement_detail": "placement",
    "placements:placement_edit": "placement",
    "placements:placement_language": "placement",
    "placements:placement_move": "placement",
    "placements:placement_return": "placement",
    "placements:next_season_invite": "placement",
    "protection:placement": "placement",
    "protection:case_create": "placement",
    "protection:contact_record_save": "placement",
    "protection:contact_create": "placement",
    "protection:debrief": "placement",
    "protection:follow_up": "placement",
    "placements:cohort_detail": "cohort",
    "placements:cohort_add": "cohort",
    "placements:cohort_arrive": "cohort",
    "placements:cohort_confirmations": "cohort",
    "placements:cohort_confirmations_commit": "cohort",
    "placements:cohort_depart": "cohort",
    "placements:cohort_edit": "cohort",
    "placements:cohort_manifest": "cohort",
    "placements:cohort_remove": "cohort",
    "placements:cohort_national_export": "cohort",
    "protection:cohort_contacts": "cohort",
    "placements:training_detail": "batch",
    "placements:batch_edit": "batch",
    "placements:batch_enrol": "batch",
    "placements:batch_results": "batch",
    "placements:training_roster": "batch",
    "placements:provider_edit": "provider",
    "protection:case_detail": "case",
    "protection:case_action": "case",
    "protection:case_close": "case",
    "protection:case_document_add": "case",
    "protection:case_document_download": "case",
    "protection:case_escalate": "case",
    "protection:case_print": "case",
    "protection:case_resolve": "case",
    "protection:hold_lift": "hold",
    "placements:placement_enrol": "placement",
    "accounts:saved_filter_delete": "saved_filter",
    "candidates:transfer_detail": "transfer",
    "candidates:transfer_accept": "transfer",
    "candidates:transfer_cancel": "transfer",
    "candidates:transfer_refuse": "transfer",
    "privacy:request_detail": "data_request",
    "privacy:request_answer": "data_request",
    "privacy:request_report_xlsx": "data_request",
    "privacy:breach_detail": "breach",
    "privacy:breach_letter_authority": "breach",
    "privacy:breach_letter_person": "breach",
    "privacy:breach_notified": "breach",
    "scholarships:round_detail": "round",
    "scholarships:round_action": "round",
    "scholarships:round_reviewers": "round",
    "scholarships:application_register": "round",
    "scholarships:announcement": "round",
    "scholarships:results_xlsx": "round",
    "scholarships:application_detail": "application",
    "scholarships:application_move": "application",
    "scholarships:application_score": "application",
    "scholarships:application_conflict": "application",
    "scholarships:semester_report": "application",
    "scholarships:commitment": "application",
}
# Other arguments, by name (doc_id depends on the area).
OTHER_ARG = {"placement_pk": "placement", "month": None, "event_id": None}

# Pages of named people: the national viewer gets 403 (not a list, not a 404 that could mean "no one").
PERSON_PAGES = [
    "candidates:candidate_list",
    "candidates:candidate_detail",
    "candidates:candidate_data_report",
    "candidates:candidate_export",
    "candidates:document_download",
    "messaging:candidate_section",
    "messaging:broadcast_list",
    "messaging:broadcast_detail",
    "messaging:template_preview",
    "placements:placement_detail",
    "placements:cohort_detail",
    "placements:cohort_manifest",
    "placements:training_detail",
    "placements:training_roster",
    "placements:next_season",
    "placements:reminders",
    "programme_shortlist",
    "protection:case_list",
    "protection:case_detail",
    "protection:case_document_download",
    "protection:worker_list",
    "protection:placement",
    "privacy:request_list",
    "privacy:request_detail",
    "privacy:breach_detail",
    "scholarships:application_list",
    "scholarships:application_detail",
]

WEB_URLS = [
    (name, pattern)
    for name, pattern in ALL_URLS
    if name
    and not name.startswith(("admin:", "api:"))
    and name not in ALLOWED_ANONYMOUS
    and name != "accounts:logout"  # would end the walk's session
    and not pattern.startswith(("static/", "admin/"))
]


@pytest.fixture
def private_storage(settings, tmp_path):
    """Documents land in a fresh folder, never in var/private."""
    root = tmp_path / "private"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root)}},
    }
    return root


def _seed_people():
    """Two municipalities' worth of records of every kind; returns (ids by kind, the people's strings)."""
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from accounts.models import Role, SavedFilter
    from candidates import transfers
    from messaging import services as messaging_services
    from placements.models import PlacementStageEvent
    from privacy import services as privacy_services
    from privacy.models import DataRequest
    from protection import services as protection_services
    from protection.models import Case, CaseDocument, ProgrammeHold
    from scholarships import services as scholarship_services
    from tests.conftest import make_user
    from tests.factories import (
        CandidateFactory,
        CohortFactory,
        DocumentFactory,
        EnrolmentFactory,
        PlacementFactory,
        ProgrammeFactory,
        SelectionRoundFactory,
        TrainingBatchFactory,
        TrainingProviderFactory,
        application_data,
        consent,
        municipality,
        ready_template,
        scholarship_programme,
    )

    ids: dict[str, int] = {}
    people: list[str] = []
    today = timezone.localdate()
    serang_nik = ""  # Serang's person, whom Blitar asks to take over (Serang comes first below)
    for code, name in (("36.73", "Sitinurbaya Penjelajahwati"), ("35.72", "Bambang Jelajahsuryo")):
        muni = municipality(code)
        staff = make_user(f"walker.{code}", Role.STAFF, muni)
        programme = ProgrammeFactory(agreement__municipality=muni)
        departed = today - timedelta(days=40)
        cohort = CohortFactory(
            programme=programme,
            municipality=muni,
            planned_departure=departed,
            actual_departure=departed,
            arrival_confirmed_on=departed,
            return_due_on=departed + timedelta(days=365),
        )
        candidate = CandidateFactory(municipality=muni, full_name=name, phone=f"+6281298{code[:2]}{code[3:]}0077")
        placement = PlacementFactory(
            candidate=candidate,
            programme=programme,
            stage="abroad",
            cohort=cohort,
            departed_on=departed,
            employer="Changnyeong Farm",
        )
        PlacementStageEvent.objects.create(placement=placement, to_stage="abroad", moved_at=timezone.now())
        batch = TrainingBatchFactory(
            programme=programme, municipality=muni, provider=TrainingProviderFactory(municipality=muni)
        )
        EnrolmentFactory(batch=batch, placement=placement)
        document = DocumentFactory(candidate=candidate, doc_type="ktp", number=candidate.nik)
        document.file.save("ktp.pdf", ContentFile(b"%PDF-1.4 walker"), save=True)
        case = protection_services.case_open(
            user=staff,
            placement=placement,
            case_type=Case.Type.ILLNESS,
            severity=Case.Severity.HIGH,
            reported_by=Case.Reporter.FAMILY,
            reported_at=timezone.now() - timedelta(hours=2),
            summary="Admitted to hospital",
            description="",
        )
        case_document = CaseDocument(
            case=case, title="Hospital letter", uploaded_by=staff, content_type="application/pdf"
        )
        case_document.original_filename, case_document.size = "letter.pdf", 15
        case_document.file.save("letter.pdf", ContentFile(b"%PDF-1.4 walker"), save=True)
        hold = ProgrammeHold.objects.create(
            programme=programme, held_on=today, reason="Walker hold", source="partner", recorded_by=staff
        )
        given = consent(candidate, "whatsapp", staff)
        broadcast = messaging_services.broadcast_create(
            user=staff,
            template=ready_template(),
            source="cohort",
            source_query={"cohort": str(cohort.pk)},
            label=cohort.name,
        )
        officer = make_user(f"walker.dpo.{code}", Role.DATA_PROTECTION_OFFICER, muni)
        now = timezone.now()
        data_request = privacy_services.data_request_create(
            user=officer,
            candidate=candidate,
            data={
                "kind": DataRequest.Kind.ACCESS,
                "received_at": now,
                "channel": "counter",
                "identity_checked_by": officer,
                "identity_check": "KTP",
            },
        )
        breach = privacy_services.breach_create(
            user=officer,
            data={
                "title": "Walker breach",
                "categories": ["identity"],
                "occurred_at": now,
                "discovered_at": now,
                "how": "h",
                "measures": "m",
            },
            affected=[candidate],
        )
        selection_round = SelectionRoundFactory(programme=scholarship_programme(agreement__municipality=muni))
        application = scholarship_services.application_register(
            user=staff, selection_round=selection_round, candidate=candidate, data=application_data()
        )
        saved_filter = SavedFilter.objects.create(user=staff, name="Walker", path="/candidates/", querystring="q=x")
        if code == "35.72":  # Blitar asks Serang for its person: the transfer's pages
            transfer = transfers.transfer_request(user=staff, nik=serang_nik, reason="Pindah domisili")
            ids.update(transfer=transfer.pk)
        if code == "36.73":  # the ids the walker puts in the URLs; Blitar's records are there to be counted
            serang_nik = candidate.nik
            ids.update(
                saved_filter=saved_filter.pk,
                data_request=data_request.pk,
                breach=breach.pk,
                round=selection_round.pk,
                application=application.pk,
                agreement=programme.agreement_id,
                partner=programme.agreement.partner_id,
                programme=programme.pk,
                candidate=candidate.pk,
                document=document.pk,
                placement=placement.pk,
                cohort=cohort.pk,
                batch=batch.pk,
                provider=batch.provider_id,
                case=case.pk,
                case_document=case_document.pk,
                hold=hold.pk,
                consent=given.pk,
                broadcast=broadcast.pk,
                template=ready_template().pk,
            )
        people += [candidate.full_name, candidate.nik, candidate.phone, candidate.phone.replace("+62", "0", 1)]
    return ids, people


def _national_url(name: str, pattern: str, ids: dict[str, int]) -> str:
    def arg(match):
        converter, key = match.group(1) or "str", match.group(2)
        if key == "pk" and converter == "int":
            return str(ids[PK_KIND[name]])
        if key == "doc_id":
            return str(ids["case_document" if name.startswith("protection:") else "document"])
        if key in OTHER_ARG:
            kind = OTHER_ARG[key]
            return str(ids[kind]) if kind else "3"
        if key == "fmt":
            return "xlsx"
        return _ARG_SAMPLES.get(converter, "x")

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", arg, pattern)


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", "replace")


def _assert_no_person(body: str, people: list[str], where: str) -> None:
    for value in people:
        assert value not in body, f"{where} shows {value!r} to the national viewer"


def test_every_url_with_an_id_names_the_kind_of_its_record():
    with_ids = {name for name, pattern in WEB_URLS if re.search(r"<int:pk>", pattern)}
    assert len(with_ids) >= 40
    assert with_ids <= set(PK_KIND), f"add to PK_KIND: {sorted(with_ids - set(PK_KIND))}"
    assert set(PERSON_PAGES) <= {name for name, _ in WEB_URLS}


@pytest.mark.django_db
def test_the_national_viewer_sees_no_person_on_any_url(national_client, private_storage):
    ids, people = _seed_people()
    assert len(people) == 8 and len(WEB_URLS) >= 90
    statuses: dict[str, int] = {}
    for name, pattern in WEB_URLS:
        url = _national_url(name, pattern, ids)
        for method in ("get", "post"):
            response = getattr(national_client, method)(url)
            assert response.status_code in (200, 302, 403, 404, 405), f"{method.upper()} {url}: {response.status_code}"
            if response.status_code == 302:
                # Only to the login page of a re-authentication or to a page that itself passed this walk.
                assert not any(p in response["Location"] for p in people)
            _assert_no_person(_body(response), people, f"{method.upper()} {url}")
            if method == "get":
                statuses[name] = response.status_code
    refused = {name: statuses[name] for name in PERSON_PAGES}
    assert set(refused.values()) == {403}, refused
    # What it may read answers: the dashboards, the national view, programme pages, the placement counts.
    for name in ("home", "national", "programme_detail", "placements:placement_list", "protection:dashboard"):
        assert statuses[name] == 200, name


@pytest.mark.django_db
def test_the_national_dashboards_click_through_to_counts_only(national_client, private_storage):
    ids, people = _seed_people()
    pages = ["/", "/national/", f"/programmes/{ids['programme']}/", "/protection/"]
    links: set[str] = set()
    for page in pages:
        body = _body(national_client.get(page))
        _assert_no_person(body, people, page)
        links |= {
            href.replace("&amp;", "&")
            for href in re.findall(r'href="(/[^"#]*)"', body)
            if not href.startswith(("/static/", "/accounts/", "/i18n/", "/admin/"))
        }
    drill_down = {link for link in links if link.startswith("/placements/?")}
    assert len(drill_down) >= 5, links
    for link in sorted(links):
        response = national_client.get(link)
        assert response.status_code == 200, f"{link} answered {response.status_code}: a click-through that fails"
        body = _body(response)
        _assert_no_person(body, people, link)
    # The placement list, for the national viewer, is counts per municipality, programme and stage.
    counts = _body(national_client.get("/placements/?reached=departed"))
    assert 'data-testid="placement-counts"' in counts and "Kota Serang" in counts and "Kota Blitar" in counts


@pytest.mark.django_db
def test_a_national_api_client_reads_statistics_only_and_no_person(client, private_storage):
    from api.services import SYSTEM, api_client_create

    ids, people = _seed_people()
    _record, token = api_client_create(user=SYSTEM, name="national-walker", municipality=None, scopes=["read"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    kinds = {
        "languageresult": "candidate",
        "placementevent": "placement",
        "trainingbatch": "batch",
        "enrolment": "placement",
    }
    seen = 0
    for name, pattern in API_URLS:
        if name not in API_TOKEN_URLS or name == "api:schema":
            continue
        basename = name.split(":")[1].rsplit("-", 1)[0]
        url = "/" + pattern.replace("<int:pk>", str(ids.get(kinds.get(basename, basename), 999999)))
        response = client.get(url, **auth)
        body = _body(response)
        _assert_no_person(body, people, url)
        expected = 200 if name == "api:statistics" else 403
        assert response.status_code == expected, f"GET {url} answered {response.status_code}"
        seen += 1
    assert seen >= 15
