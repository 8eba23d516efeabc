"""Every count on a dashboard links to the filtered placement list that produced it, and that list
shows the same count (its `data-testid="result-count"`)."""

import html
import re

import pytest
from django.core.management import call_command

from accounts.models import User
from programmes.models import Programme

pytestmark = pytest.mark.django_db

COUNT_LINK = re.compile(r'<a href="([^"]+)" data-count="(\d+)">')
RESULT_COUNT = re.compile(r'data-testid="result-count">\s*([\d.,\s]+?)\s*<')


def count_links(client, url) -> list[tuple[str, int]]:
    response = client.get(url, language="en")
    assert response.status_code == 200
    links = [(html.unescape(href), int(n)) for href, n in COUNT_LINK.findall(response.content.decode())]
    assert links, f"no counts on {url}"
    return links


def listed_count(client, href) -> int:
    response = client.get(href, language="en")
    assert response.status_code == 200, href
    found = RESULT_COUNT.findall(response.content.decode())
    assert found, f"{href} shows no result count"
    return int(re.sub(r"\D", "", found[0]))


def assert_links_match(client, url) -> int:
    checked = {}
    for href, n in count_links(client, url):
        if href not in checked:
            checked[href] = listed_count(client, href)
        assert checked[href] == n, f"{url}: {n} links to {href}, which lists {checked[href]}"
    return len(checked)


def test_programme_dashboard_counts_match_their_lists(official_client, data):
    checked = assert_links_match(official_client, f"/programmes/{data.programme.pk}/")
    # funnel, occupations (3 rows + total), sex, age, kecamatan, education, months, early ends
    assert checked > 60


def test_ministry_programme_counts_for_serang_match_serang_lists(official_client, data):
    assert_links_match(official_client, f"/programmes/{data.national_programme.pk}/")


def test_home_counts_match_their_lists(official_client, data):
    assert assert_links_match(official_client, "/") > 10


def test_national_view_counts_match_their_lists(national_client, data):
    assert assert_links_match(national_client, "/") > 10


def test_demo_data_counts_match_for_the_serang_official(client):
    """The "done when" of the dashboards: serang.official on the demo data."""
    call_command("seed_demo")
    client.force_login(User.objects.get(username="serang.official"))
    serang_programme = Programme.objects.get(name__startswith="Serang–Changnyeong")
    assert assert_links_match(client, "/") > 10
    assert assert_links_match(client, f"/programmes/{serang_programme.pk}/") > 50
