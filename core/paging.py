"""Pagination and the query strings of list pages: one way for every list."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.http import QueryDict
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

PER_PAGE = 50
MIN_COUNT_CAP = 10_000
# Far past any real list; without a ceiling ?page=99999999999999999999 asks PostgreSQL for a LIMIT
# beyond bigint.
MAX_PAGE = 1_000_000


def querystring(params: QueryDict, *drop: str, **changes) -> str:
    """`params` without the page number, the keys in `drop` and empty values, with `changes` applied
    (a change to None removes the key). For the links a list page writes: sort headers, pages."""
    query = params.copy()
    for key in ("page", *drop):
        query.pop(key, None)
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    for key in [k for k, values in query.lists() if not any(values)]:
        query.pop(key)
    return query.urlencode()


def requested_page(request) -> int:
    """The page number asked for, 1 for anything that is not a number, never past MAX_PAGE."""
    try:
        return min(max(1, int(request.GET.get("page") or 1)), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


def paginate(request, object_list, per_page: int = PER_PAGE, *, paginator_class=Paginator) -> Page:
    """The requested page; a number past the end shows the last page, nonsense shows the first."""
    return paginator_class(object_list, per_page).get_page(requested_page(request))


class CappedCountPaginator(Paginator):
    """A paginator that never counts more rows than it needs.

    An exact COUNT(*) over 100,000 candidates on every page view costs more than the page itself.
    This one counts at most a little past the requested page (at least 10,000 rows), so the first
    pages say "of 201+" and going deeper extends the count only as far as the reader goes.
    """

    def __init__(self, object_list, per_page, *, requested_page=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        try:
            page = min(max(1, int(requested_page or 1)), MAX_PAGE)
        except (TypeError, ValueError):
            page = 1
        self.cap = max(MIN_COUNT_CAP, (page + 2) * per_page)
        self.capped = False

    @cached_property
    def count(self) -> int:
        # SELECT COUNT(*) FROM (SELECT id … LIMIT cap + 1): stops scanning at the cap.
        n = self.object_list.order_by().values("pk")[: self.cap + 1].count()
        self.capped = n > self.cap
        return min(n, self.cap)

    @property
    def count_label(self) -> str:
        text = number_format(self.count, force_grouping=True)
        return f"{text}+" if self.capped else text

    @property
    def pages_label(self) -> str:
        """The number of pages for "Page 1 of 9" (includes/_pagination.html): "201+" while capped."""
        pages = number_format(self.num_pages, force_grouping=True)
        return f"{pages}+" if self.count and self.capped else pages

    @property
    def num_pages_label(self) -> str:
        pages = number_format(self.num_pages, force_grouping=True)
        if self.count and self.capped:
            return _("of %(pages)s+") % {"pages": pages}
        return _("of %(pages)s") % {"pages": pages}


class KnownCountPaginator(Paginator):
    """A paginator told its count, so that it runs no COUNT of its own."""

    def __init__(self, per_page: int, *, count: int):
        super().__init__([], per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def page_of_ids(queryset: QuerySet, number: str | None, per_page: int = PER_PAGE) -> Page:
    """One page of ids and the list's length, in one query: COUNT(*) OVER () rides along with the
    page, so an expensive WHERE is evaluated once rather than once for a COUNT and again for the page.
    A page past the end (a stale link) shows the last page, as Paginator.get_page does."""
    try:
        wanted = min(max(int(number or 1), 1), MAX_PAGE)
    except (TypeError, ValueError):
        wanted = 1
    with_total = queryset.annotate(total=Window(Count("pk"))).values_list("pk", "total")

    def fetch(n: int) -> list[tuple[int, int]]:
        return list(with_total[(n - 1) * per_page : n * per_page])

    rows = fetch(wanted)
    if not rows and wanted > 1:
        first = fetch(1)
        last = KnownCountPaginator(per_page, count=first[0][1] if first else 0).num_pages
        wanted, rows = last, (first if last == 1 else fetch(last))
    paginator = KnownCountPaginator(per_page, count=rows[0][1] if rows else 0)
    return Page([pk for pk, _total in rows], wanted, paginator)
