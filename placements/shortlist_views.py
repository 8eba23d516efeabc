"""The eligibility shortlist of a programme, at /programmes/<id>/shortlist/ (see config/urls.py).

A normal request renders a full page; `?partial=1` or an htmx request renders only the list
fragment, for the programme page to embed.
"""

from functools import cached_property
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import Count, Window
from django.shortcuts import render
from django.views.decorators.http import require_GET

from programmes.models import Programme
from programmes.selectors import get_programme_for_user

from .eligibility import Criteria

PER_PAGE = 25
# Far past any real list; a larger page number would ask PostgreSQL for an OFFSET beyond bigint.
MAX_PAGE = 1_000_000
LISTS = ("eligible", "missing")


class KnownCountPaginator(Paginator):
    """A paginator told its count, so that it runs no COUNT of its own."""

    def __init__(self, per_page: int, *, count: int):
        super().__init__([], per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def _page_of_ids(queryset, number: str | None) -> Page:
    """One page of candidate ids and the list's length, in one query: COUNT(*) OVER () rides along
    with the page, so the requirements are evaluated once rather than once for a COUNT and again
    for the page."""
    try:
        wanted = min(max(int(number or 1), 1), MAX_PAGE)
    except ValueError:
        wanted = 1
    with_total = queryset.annotate(total=Window(Count("pk"))).values_list("pk", "total")

    def fetch(n: int) -> list[tuple[int, int]]:
        return list(with_total[(n - 1) * PER_PAGE : n * PER_PAGE])

    rows = fetch(wanted)
    if not rows and wanted > 1:
        # Past the end (a stale link): show the last page, as Paginator.get_page does.
        first = fetch(1)
        last = KnownCountPaginator(PER_PAGE, count=first[0][1] if first else 0).num_pages
        wanted, rows = last, (first if last == 1 else fetch(last))
    paginator = KnownCountPaginator(PER_PAGE, count=rows[0][1] if rows else 0)
    return Page([pk for pk, _ in rows], wanted, paginator)


@require_GET
@login_required
def programme_shortlist(request, pk):
    programme = get_programme_for_user(request.user, pk)
    criteria = Criteria.for_programme(programme)
    shown = request.GET.get("list") if request.GET.get("list") in LISTS else "eligible"

    queryset = criteria.eligible(request.user) if shown == "eligible" else criteria.ineligible(request.user)
    page = _page_of_ids(queryset, request.GET.get("page"))
    # The other list's length is the rest of the candidates considered (a cheap count).
    considered = criteria.candidates(request.user).count()
    other = "missing" if shown == "eligible" else "eligible"
    counts = {shown: page.paginator.count, other: considered - page.paginator.count}
    rows = [
        {
            "candidate": c,
            "age": criteria.age_of(c),
            "language": criteria.language_display(c),
            "reasons": criteria.reasons(c),
        }
        for c in criteria.with_reasons(list(page.object_list))
    ]

    can_start = request.user.has_perm("placements.add_placement") and programme.status != Programme.Status.CLOSED
    partial = bool(request.GET.get("partial")) or bool(getattr(request, "htmx", False))
    context = {
        "programme": programme,
        "criteria": criteria,
        "shown": shown,
        "counts": counts,
        "page_obj": page,
        "rows": rows,
        "can_start": can_start,
        "partial": partial,
        "querystring_without_page": urlencode({"list": shown}),
        "occupations": [d.occupation for d in programme.demands.all()],
    }
    template = "placements/includes/_shortlist.html" if partial else "placements/shortlist.html"
    return render(request, template, context)
