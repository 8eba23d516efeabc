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
