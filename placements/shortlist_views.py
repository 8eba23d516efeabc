"""The eligibility shortlist of a programme, at /programmes/<id>/shortlist/ (see config/urls.py).

A normal request renders a full page; `?partial=1` or an htmx request renders only the list
fragment, for the programme page to embed.
"""

from functools import cached_property
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from programmes.models import Programme
from programmes.selectors import get_programme_for_user

from .eligibility import Criteria

PER_PAGE = 25
LISTS = ("eligible", "missing")


class KnownCountPaginator(Paginator):
    """A paginator told its count, so that it does not run its own COUNT over the filtered list."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


@require_GET
@login_required
def programme_shortlist(request, pk):
    programme = get_programme_for_user(request.user, pk)
    criteria = Criteria.for_programme(programme)
    shown = request.GET.get("list") if request.GET.get("list") in LISTS else "eligible"

    # Two counts: everyone considered, and those who meet every requirement. The missing list's
    # count is the difference, which spares PostgreSQL evaluating "fails any" over every row.
    considered = criteria.candidates(request.user).count()
    eligible_count = criteria.eligible(request.user).count()
    counts = {"eligible": eligible_count, "missing": considered - eligible_count}

    queryset = criteria.eligible(request.user) if shown == "eligible" else criteria.ineligible(request.user)
    page = KnownCountPaginator(queryset, PER_PAGE, count=counts[shown]).get_page(request.GET.get("page"))
    rows = [
        {
            "candidate": c,
            "age": criteria.age_of(c),
            "language": criteria.language_display(c),
            "reasons": criteria.reasons(c),
        }
        for c in page.object_list
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
