"""The eligibility shortlist of a programme, at /programmes/<id>/shortlist/ (see config/urls.py)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from programmes.selectors import get_programme_for_user


@require_GET
@login_required
def programme_shortlist(request, pk):
    programme = get_programme_for_user(request.user, pk)
    return HttpResponse(programme.name)
