"""A paginator that never counts more rows than it needs.

An exact COUNT(*) over 100,000 candidates on every page view costs more than the page itself. This
one counts at most a little past the requested page (at least 10,000 rows), so the first pages say
"of 201+" and going deeper extends the count only as far as the reader goes.
"""

from django.core.paginator import Paginator
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

MIN_COUNT_CAP = 10_000
# Far past any real list; without a ceiling ?page=99999999999999999999 asks PostgreSQL for a LIMIT
# beyond bigint.
MAX_PAGE = 1_000_000


class CappedCountPaginator(Paginator):
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
    def num_pages_label(self) -> str:
        pages = number_format(self.num_pages, force_grouping=True)
        if self.count and self.capped:
            return _("of %(pages)s+") % {"pages": pages}
        return _("of %(pages)s") % {"pages": pages}
