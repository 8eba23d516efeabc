"""Hostile URLs: ids that are not numbers or belong to another municipality, absurd page numbers and
filter values on every list. The answer is a 404, or the list with the bad value ignored (or showing
nothing), never a 500."""

import re

import pytest

pytestmark = pytest.mark.django_db

EN = {"language": "en"}
HUGE = "99999999999999999999"  # past PostgreSQL's bigint

# Every list, by the record of serang_world its URL needs (None: a plain list).
LISTS = [
    ("/candidates/", None),
    ("/placements/", None),
    ("/agreements/", None),
    ("/agreements/partners/", None),
    ("/programmes/", None),
    ("/programmes/{programme}/shortlist/", "programme"),
    ("/placements/training/", None),
    ("/placements/training/providers/", None),
    ("/placements/cohorts/", None),
    ("/placements/cohorts/{cohort}/", "cohort"),
    ("/placements/training/{batch}/", "batch"),
]
LIST_IDS = [url.strip("/").replace("/", "-").replace("{", "").replace("}", "") for url, _record in LISTS]


def _url(template: str, world: dict) -> str:
    return template.format(**{key: getattr(value, "pk", None) for key, value in world.items()})


# --- ids ------------------------------------------------------------------------------------------------

DETAIL_URLS = [
    "/candidates/{id}/",
    "/candidates/{id}/edit/",
    "/candidates/{id}/data-report/",
    "/candidates/{id}/documents/new/",
    "/candidates/documents/{id}/download/",
    "/placements/{id}/",
    "/placements/{id}/edit/",
    "/placements/cohorts/{id}/",
    "/placements/training/{id}/",
    "/agreements/{id}/",
    "/agreements/{id}/edit/",
    "/agreements/events/{id}/document/",
    "/programmes/{id}/",
    "/programmes/{id}/edit/",
    "/programmes/{id}/shortlist/",
]


@pytest.mark.parametrize("bad_id", ["abc", "-1", "1.5", "%00", "..%2F..%2F", HUGE, "0"])
@pytest.mark.parametrize("template", DETAIL_URLS)
def test_an_id_that_is_not_a_record_answers_404(superuser_client, serang_world, template, bad_id):
    response = superuser_client.get(template.format(id=bad_id), **EN)
    assert response.status_code == 404


# (URL, the record of serang_world whose id it takes)
SERANG_RECORDS = [
    ("/candidates/{id}/", "candidate"),
    ("/candidates/{id}/edit/", "candidate"),
    ("/candidates/{id}/data-report/", "candidate"),
    ("/candidates/{id}/documents/new/", "candidate"),
    ("/candidates/documents/{id}/download/", "document"),
    ("/placements/{id}/", "placement"),
    ("/placements/{id}/edit/", "placement"),
    ("/placements/cohorts/{id}/", "cohort"),
    ("/placements/cohorts/{id}/edit/", "cohort"),
    ("/placements/training/{id}/", "batch"),
    ("/placements/training/{id}/edit/", "batch"),
    ("/placements/training/providers/{id}/edit/", "provider"),
    ("/agreements/{id}/", "agreement"),
    ("/agreements/{id}/edit/", "agreement"),
    ("/agreements/events/{id}/document/", "stage_event"),
    ("/agreements/partners/{id}/edit/", "partner"),
    ("/programmes/{id}/", "programme"),
    ("/programmes/{id}/edit/", "programme"),
    ("/programmes/{id}/shortlist/", "programme"),
]


@pytest.mark.parametrize(("template", "record"), SERANG_RECORDS, ids=[t for t, _r in SERANG_RECORDS])
def test_another_municipalitys_record_answers_404_as_if_it_did_not_exist(blitar_client, serang_world, template, record):
    url = template.format(id=serang_world[record].pk)
    response = blitar_client.get(url, **EN)
    assert response.status_code == 404
    missing_url = template.format(id=999_999_999)
    missing = blitar_client.get(missing_url, **EN)
    # The same answer as for an id that exists nowhere: nothing tells the two apart. (The house 404
    # page carries the address the user typed, for the language switch, and a fresh CSRF mask.)
    assert missing.status_code == 404
    assert _page_without_request(response, url) == _page_without_request(missing, missing_url)


def _page_without_request(response, url: str) -> str:
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return body.replace(url, "<the address>")


def test_another_municipalitys_ids_in_a_list_filter_show_nothing_of_theirs(blitar_client, serang_world):
    placement = serang_world["placement"]
    for url in (
        f"/placements/?programme={placement.programme_id}",
        f"/placements/?cohort={serang_world['cohort'].pk}&view=list",
        f"/placements/?batch={serang_world['batch'].pk}&view=list",
        f"/placements/cohorts/?programme={placement.programme_id}",
        f"/candidates/?programme={placement.programme_id}",
    ):
        response = blitar_client.get(url, **EN)
        assert response.status_code == 200, url
        assert placement.candidate.full_name not in response.content.decode(), url


def test_next_season_with_another_municipalitys_programme_answers_404(blitar_client, serang_world):
    assert blitar_client.get(f"/placements/next-season/?programme={serang_world['programme'].pk}").status_code == 404
    assert blitar_client.get("/placements/next-season/?programme=abc").status_code == 404
    assert blitar_client.get(f"/placements/next-season/?programme={HUGE}").status_code == 404


# --- page numbers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "expected"),
    [("-1", 1), ("0", 1), (HUGE, "last"), ("abc", 1), ("1.5", 1), ("", 1), ("%00", 1), ("2", "last"), ("1e9", 1)],
    ids=["negative", "zero", "huge", "letters", "fraction", "empty", "nul", "past-the-end", "exponent"],
)
@pytest.mark.parametrize(("template", "record"), LISTS, ids=LIST_IDS)
def test_an_absurd_page_number_shows_the_first_or_the_last_page(
    staff_client, serang_world, template, record, page, expected
):
    url = _url(template, serang_world)
    response = staff_client.get(f"{url}?page={page}", **EN)
    assert response.status_code == 200
    page_obj = response.context.get("page_obj")
    if page_obj is None:
        return  # a list shown whole (a cohort's or batch's detail with few members)
    wanted = page_obj.paginator.num_pages if expected == "last" else expected
    assert page_obj.number == wanted


# --- filter values -------------------------------------------------------------------------------------------

ABSURD_FILTERS = [
    "sex=X",
    "age_band=999",
    "kecamatan=../../",
    "programme=abc",
    f"programme={HUGE}",
    "sort=password",
    "stage=<script>alert(1)</script>",
    "reached=nowhere",
    "q=%00",
    "q=" + "x" * 4000,
    "q=%27%3B%20DROP%20TABLE%20candidates_candidate%3B%20--",
    "municipality=abc",
    f"municipality={HUGE}",
    "education=phd",
    "language=jlpt:99999",
    "passport_valid=maybe",
    "registered_month=9999-99",
    "departed_month=2026-13",
    f"cohort={HUGE}",
    "batch=-1",
    "occupation=abc",
    "status=closed%27",
    "scheme=x",
    "country=ZZ",
    "stalled=maybe",
    "course_kind=x",
    "list=../../",
    "view=<b>",
    "export=../../etc/passwd",
    "sex=M&sex=F&sex=X",
]


@pytest.mark.parametrize("query", ABSURD_FILTERS)
@pytest.mark.parametrize(("template", "record"), LISTS, ids=LIST_IDS)
def test_an_absurd_filter_value_is_ignored_or_shows_nothing_never_a_500(
    staff_client, serang_world, template, record, query
):
    url = _url(template, serang_world)
    response = staff_client.get(f"{url}?{query}", **EN)
    assert response.status_code in (200, 400)
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body and "<b>" not in body


@pytest.mark.parametrize("query", ["sex=X", "age_band=999", "kecamatan=../../", "sort=password", "programme=abc"])
def test_the_candidate_list_ignores_an_unknown_filter_value(staff_client, serang_world, query):
    response = staff_client.get(f"/candidates/?{query}", **EN)
    assert response.status_code == 200
    assert serang_world["candidate"].full_name in response.content.decode()


@pytest.mark.parametrize("query", ["sex=X", "age_band=999", "programme=abc", "registered_month=9999-99"])
def test_the_placement_list_shows_nothing_for_an_unknown_filter_value_and_says_so(staff_client, serang_world, query):
    response = staff_client.get(f"/placements/?{query}&view=list", **EN)
    assert response.status_code == 200
    assert serang_world["candidate"].full_name not in response.content.decode()
    assert response.context["filter"].errors


def test_the_training_page_ignores_an_unknown_stage_and_a_nul_in_the_search(staff_client, serang_world):
    batch = serang_world["batch"]
    response = staff_client.get(f"/placements/training/{batch.pk}/?stage=password&q=%00", **EN)
    assert response.status_code == 200
    assert response.context["stage"] == "password" and response.context["q"] == ""


def test_a_placement_filtered_by_an_out_of_range_cohort_shows_nothing(staff_client, serang_world):
    response = staff_client.get(f"/placements/?cohort={HUGE}&view=list", **EN)
    assert response.status_code == 200
    assert serang_world["candidate"].full_name not in response.content.decode()


def test_the_dashboard_answers_404_to_an_unknown_export(staff_client, serang_world):
    assert staff_client.get("/?export=../../etc/passwd").status_code == 404
    assert staff_client.get(f"/programmes/{serang_world['programme'].pk}/?export=nothing").status_code == 404


@pytest.mark.parametrize("fmt", ["pdf", "../../etc/passwd", "%00", "xlsx%00"])
def test_the_export_and_template_answer_404_or_a_file_to_unknown_formats(staff_client, fmt):
    assert staff_client.get(f"/candidates/export/?format={fmt}").status_code == 404
    template = staff_client.get(f"/candidates/import/template.{fmt}")
    assert template.status_code in (200, 404)
    if template.status_code == 200:
        assert template["Content-Disposition"] == 'attachment; filename="template-kandidat.xlsx"'


@pytest.mark.parametrize("code", ["../../", "36.73.01'--", "%00", "9" * 4000])
def test_the_kelurahan_options_ignore_a_bad_kecamatan_code(staff_client, code):
    response = staff_client.get(f"/candidates/wilayah/kelurahan/?kecamatan_code={code}")
    assert response.status_code == 200
    assert "<option" not in response.content.decode().replace('<option value="">', "")


@pytest.mark.parametrize("token", ["abc", "../../etc/passwd", "0" * 32, "%00", "A" * 4000])
def test_an_unknown_import_token_answers_404(staff_client, token):
    assert staff_client.get(f"/candidates/import/{token}/").status_code == 404
    assert staff_client.post(f"/candidates/import/{token}/commit/", {"on_existing": "skip"}).status_code == 404
    assert staff_client.post(f"/candidates/import/{token}/cancel/").status_code == 404
