"""Who may work the personal-data register (DESIGN §2): staff and the data-protection officer of the
person's municipality work requests; the officer alone works breaches; an official reads requests
and gets 403 on every write; another municipality's record answers 404; the national viewer gets
403 everywhere (the register names people)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from privacy import services
from tests.clients import LanguageClient as Client

from .conftest import make_request

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def records(serang_dpo, person):
    request = make_request(user=serang_dpo, candidate=person)
    now = timezone.now()
    breach = services.breach_create(
        user=serang_dpo,
        data={
            "title": "Laptop stolen",
            "categories": ["identity"],
            "occurred_at": now,
            "discovered_at": now,
            "how": "Stolen from a car",
            "measures": "Passwords changed",
        },
        affected=[person],
    )
    return request, breach


def _reads(request, breach, person):
    return [
        reverse("privacy:request_list"),
        reverse("privacy:request_detail", args=[request.pk]),
        reverse("privacy:breach_list"),
        reverse("privacy:breach_detail", args=[breach.pk]),
    ]


def _writes(request, breach, person):
    """(method, url) of every write and of the pages that produce personal data for the person."""
    return [
        ("get", reverse("privacy:request_create", args=[person.pk])),
        ("post", reverse("privacy:request_answer", args=[request.pk])),
        ("get", reverse("privacy:request_report_xlsx", args=[request.pk])),
        ("get", reverse("privacy:breach_create")),
        ("post", reverse("privacy:breach_notified", args=[breach.pk])),
        ("get", reverse("privacy:breach_letter_authority", args=[breach.pk])),
        ("get", reverse("privacy:breach_letter_person", args=[breach.pk, person.pk])),
    ]


def test_the_officer_reads_and_works_everything_of_the_municipality(serang_dpo, records, person):
    request, breach = records
    client = _client(serang_dpo)
    for url in _reads(request, breach, person):
        response = client.get(url)
        assert response.status_code == 200, url
    assert client.get(reverse("privacy:request_create", args=[person.pk])).status_code == 200
    assert client.get(reverse("privacy:breach_letter_authority", args=[breach.pk])).status_code == 200
    assert client.get(reverse("privacy:request_report_xlsx", args=[request.pk])).status_code == 200
    assert client.post(reverse("privacy:breach_notified", args=[breach.pk])).status_code == 302
    breach.refresh_from_db()
    assert breach.notified_by == serang_dpo


def test_staff_work_requests_but_not_breaches(serang_staff, records, person):
    request, breach = records
    client = _client(serang_staff)
    assert client.get(reverse("privacy:request_detail", args=[request.pk])).context["form"] is not None
    assert client.post(reverse("privacy:request_answer", args=[request.pk]), {"outcome": "done"}).status_code == 302
    assert client.get(reverse("privacy:breach_list")).status_code == 403
    assert client.post(reverse("privacy:breach_notified", args=[breach.pk])).status_code == 403


def test_an_official_reads_requests_and_every_write_answers_403(serang_official, records, person):
    request, breach = records
    client = _client(serang_official)
    page = client.get(reverse("privacy:request_detail", args=[request.pk]))
    assert page.status_code == 200 and page.context["form"] is None
    for method, url in _writes(request, breach, person):
        assert getattr(client, method)(url).status_code == 403, url
    request.refresh_from_db()
    assert request.answered_at is None


def test_another_municipality_gets_404_on_every_record(blitar_dpo, blitar_staff, records, person):
    request, breach = records
    breach_urls = {reverse("privacy:breach_notified", args=[breach.pk])} | {
        url for _m, url in _writes(request, breach, person) if "letters" in url
    }
    for user in (blitar_dpo, blitar_staff):
        client = _client(user)
        assert client.get(reverse("privacy:request_list")).context["page_obj"].paginator.count == 0
        assert client.get(reverse("privacy:request_detail", args=[request.pk])).status_code == 404
        for method, url in _writes(request, breach, person):
            if url == reverse("privacy:breach_create"):
                continue  # the form of their own office
            expected = 403 if (url in breach_urls and user == blitar_staff) else 404  # staff hold no breach perm
            assert getattr(client, method)(url).status_code == expected, url
    client = _client(blitar_dpo)
    assert client.get(reverse("privacy:breach_list")).context["page_obj"].paginator.count == 0
    assert client.get(reverse("privacy:breach_detail", args=[breach.pk])).status_code == 404


def test_the_national_viewer_has_no_access_at_all(national_viewer, records, person):
    request, breach = records
    client = _client(national_viewer)
    for url in _reads(request, breach, person):
        assert client.get(url).status_code == 403, url
    for method, url in _writes(request, breach, person):
        assert getattr(client, method)(url).status_code in (403, 404), url
    assert b'href="/privacy/"' not in client.get(reverse("candidates:candidate_list")).content


def test_the_officer_changes_no_candidate(serang_dpo, person):
    client = _client(serang_dpo)
    assert client.get(reverse("candidates:candidate_detail", args=[person.pk])).status_code == 200
    assert client.get(reverse("candidates:candidate_edit", args=[person.pk])).status_code == 403
    assert client.get(reverse("candidates:candidate_create")).status_code == 403
