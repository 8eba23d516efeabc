"""Next season: returnees of seasonal programmes, invited again in one step."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from accounts.access import persons_only, require_perm
from core.errors import post_only
from core.paging import paginate, querystring
from programmes.selectors import get_programme_for_user, seasonal_programme_list

from .. import extensions, selectors, services
from ..gates import GateRefused
from ._common import report


def _back_to_next_season(request, pk) -> str:
    return reverse("placements:next_season")


@require_GET
@login_required
@persons_only
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
@persons_only
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


# "Invite all" takes at most this many in one request (a season's returnees of one office are far fewer).
INVITE_ALL_MAX = 500


@post_only("placements:next_season")
@login_required
def next_season_invite_bulk(request):
    """Invite the ticked returnees, or all of them: each is checked like a single invitation, the ones
    refused (not offered by default, e.g. an unresolved case) are listed with the reason."""
    require_perm(request.user, "placements.add_placement")
    raw = request.POST.get("programme", "")
    if not raw:
        messages.error(request, _("Choose a seasonal programme first."))
        return redirect("placements:next_season")
    if not raw.isdigit():
        raise Http404
    programme = get_programme_for_user(request.user, int(raw))
    back = reverse("placements:next_season") + f"?programme={programme.pk}"
    returnees = selectors.next_season_returnees(user=request.user, programme=programme)
    if request.POST.get("all"):
        chosen = list(returnees[:INVITE_ALL_MAX])
    else:
        chosen = list(returnees.filter(pk__in=[i for i in request.POST.getlist("placements") if i.isdigit()]))
    if not chosen:
        messages.error(request, _("Tick at least one returnee."))
        return redirect(back)
    invited, refused = 0, []
    for placement in chosen:
        try:
            services.placement_invite_next_season(placement=placement, user=request.user, override_reason="")
        except GateRefused as error:
            refused.append((placement, error.messages))
        else:
            invited += 1
    report(
        request,
        ngettext("%(n)s returnee invited to the next season.", "%(n)s returnees invited to the next season.", invited)
        % {"n": invited}
        if invited
        else "",
        refused,
        name=lambda p: p.candidate.full_name,
    )
    return redirect(back)
