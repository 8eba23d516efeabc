"""Template helpers of the placement pages shown inside other apps' pages (a candidate's page)."""

from django import template

from candidates.selectors import candidate_list
from programmes.models import Programme
from programmes.selectors import programme_list

from ..forms import PlacementStartForm

register = template.Library()


@register.simple_tag(takes_context=True)
def start_placement_form(context, candidate):
    """The one-person start form on their page: programme and occupation, posted to the start page."""
    user = context["request"].user
    if not user.has_perm("placements.add_placement"):
        return None
    return PlacementStartForm(
        initial={"candidates": [candidate.pk]},
        programmes=programme_list(user=user).exclude(status=Programme.Status.CLOSED).order_by("name"),
        candidates=candidate_list(user=user),
    )
