"""The eligibility shortlist of a programme, at /programmes/<id>/shortlist/ (routed in config/urls.py
beside the programme page it belongs to).

A normal request renders a full page; `?partial=1` or an htmx request renders only the list
fragment, for the programme page to embed.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.access import persons_only
from programmes.selectors import get_programme_for_user

from ..eligibility import can_start_placements, shortlist_page


@require_GET
@login_required
@persons_only
def programme_shortlist(request, pk):
    programme = get_programme_for_user(request.user, pk)
    found = shortlist_page(
        user=request.user, programme=programme, shown=request.GET.get("list"), page=request.GET.get("page")
    )
    partial = bool(request.GET.get("partial")) or bool(getattr(request, "htmx", False))
    context = {
        "programme": programme,
        "criteria": found.criteria,
        "shown": found.shown,
        "counts": found.counts,
        "count_labels": found.count_labels,
        "capped": found.capped,
        "page_obj": found.page,
        "rows": found.rows,
        "can_start": can_start_placements(request.user, programme),
        "partial": partial,
        "querystring_without_page": urlencode({"list": found.shown}),
        "occupations": [d.occupation for d in programme.demands.all()],
    }
    template = "placements/includes/_shortlist.html" if partial else "placements/shortlist.html"
    return render(request, template, context)
