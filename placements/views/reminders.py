"""The reminders page (the same list as `python manage.py reminders`)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.access import persons_only

from ..reminders import PERSON_KINDS, reminder_list


@require_GET
@login_required
@persons_only
def reminders(request):
    items = reminder_list(user=request.user)
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(item.kind_label, []).append(item)
    return render(
        request,
        "placements/reminders.html",
        {"groups": groups, "total": len(items), "person_kinds": PERSON_KINDS},
    )
