"""Next season: returnees of seasonal programmes, invited again in one step."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.access import require_perm
from core.errors import post_only
from core.paging import paginate, querystring
from programmes.selectors import get_programme_for_user, seasonal_programme_list

from .. import extensions, selectors, services
from ..gates import GateRefused


def _back_to_next_season(request, pk) -> str:
    return reverse("placements:next_season")


@require_GET
@login_required
def next_season(request):
    user = request.user
    seasonal = seasonal_programme_list(user=user)
    programme = None
    raw = request.GET.get("programme", "")
    if raw:
        if not raw.isdigit():
            raise Http404
        programme = get_programme_for_user(user, int(raw))
    page = None
    if programme is not None:
        page = paginate(request, selectors.next_season_returnees(user=user, programme=programme))
        # Who is not offered by default, and why (extensions.reinvite_rules): a few queries per page.
        blockers = extensions.reinvite_blockers(page.object_list)
        for placement in page.object_list:
            placement.reinvite_blockers = blockers.get(placement.pk, [])
    return render(
        request,
        "placements/next_season.html",
        {
            "programmes": seasonal,
            "programme": programme,
            "page_obj": page,
            "querystring_without_page": querystring(request.GET),
            "can_invite": user.has_perm("placements.add_placement"),
            "has_rules": bool(extensions.reinvite_rules()),
        },
    )


@post_only(_back_to_next_season)
@login_required
def next_season_invite(request, pk):
    require_perm(request.user, "placements.add_placement")
    placement = selectors.get_placement_for_user(request.user, pk, write=True)
    try:
        invited = services.placement_invite_next_season(
            placement=placement, user=request.user, override_reason=request.POST.get("override_reason", "")
        )
    except GateRefused as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(
            request,
            _("%(name)s is invited to the next season (a new placement at “Registered”).")
            % {"name": invited.candidate.full_name},
        )
    return redirect(reverse("placements:next_season") + f"?programme={placement.programme_id}")
