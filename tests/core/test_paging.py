from django.http import QueryDict

from core.paging import MAX_PAGE, querystring, requested_page

# Pure functions: no database.


def test_querystring_drops_the_page_and_empty_values():
    params = QueryDict("q=nur&page=3&sex=&stage=ready&stage=visa")
    assert querystring(params) == "q=nur&stage=ready&stage=visa"


def test_querystring_drops_named_keys_and_applies_changes():
    params = QueryDict("q=nur&sort=name&page=2&stage=ready")
    assert querystring(params, "sort") == "q=nur&stage=ready"
    assert querystring(params, stage="visa") == "q=nur&sort=name&stage=visa"
    assert querystring(params, stage=None) == "q=nur&sort=name"


def test_querystring_leaves_the_request_untouched():
    params = QueryDict("q=nur&page=2")
    querystring(params, "q")
    assert params.urlencode() == "q=nur&page=2"


class _Request:
    def __init__(self, query: str):
        self.GET = QueryDict(query)


def test_requested_page_is_one_for_nonsense_and_capped_for_absurd_numbers():
    assert requested_page(_Request("page=4")) == 4
    assert requested_page(_Request("page=abc")) == 1
    assert requested_page(_Request("page=-3")) == 1
    assert requested_page(_Request("")) == 1
    assert requested_page(_Request("page=99999999999999999999999")) == MAX_PAGE


def _pagination(page, **context) -> str:
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override(context.pop("language", "id")):
        return render_to_string("includes/_pagination.html", {"page_obj": page, **context})


def test_every_list_says_page_1_of_9_in_the_users_language():
    from django.core.paginator import Paginator

    page = Paginator(list(range(2000 * 9)), 2000).get_page(1)
    assert "Halaman 1 dari 9" in _pagination(page, querystring_without_page="q=x")
    assert 'href="?q=x&amp;page=2"' in _pagination(page, querystring_without_page="q=x")
    many = Paginator(list(range(1500)), 1).get_page(3)
    assert "Halaman 3 dari 1.500" in _pagination(many)
    assert "Page 3 of 1,500" in _pagination(many, language="en")


def test_an_embedded_list_pages_with_absolute_links_that_htmx_loads():
    from django.core.paginator import Paginator

    page = Paginator(list(range(60)), 25).get_page(2)
    html = _pagination(page, url="/programmes/1/shortlist/", hx_target="#shortlist", querystring_without_page="")
    assert 'href="/programmes/1/shortlist/?page=1"' in html and 'hx-get="/programmes/1/shortlist/?page=3"' in html
    assert 'hx-target="#shortlist"' in html and "Halaman 2 dari 3" in html
