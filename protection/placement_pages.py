"""What protection adds to placements' pages (placements.extensions, registered in apps.py): links on
a placement's page, and the next-season defaults."""

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.access import may_write
from placements.extensions import PlacementAction, ReinviteRule

from .selectors import DEPARTED_EVER, reinvite_blockers_for
from .services import reinvite_override_record


def _protection_page(placement, user) -> tuple[str, str] | None:
    """The worker's protection page (contacts, cases, debrief), once the placement left the country."""
    if placement.stage in DEPARTED_EVER and user.has_perm("protection.view_contact"):
        return reverse("protection:placement", args=[placement.pk]), _("Protection: contacts and cases")
    return None


def _open_case(placement, user) -> tuple[str, str] | None:
    """Staff open a case on a placement abroad or after its return (what case_open accepts)."""
    if placement.stage in DEPARTED_EVER and may_write(user, "protection.add_case", placement.municipality_id):
        return reverse("protection:case_create", args=[placement.pk]), _("Open a protection case")
    return None


PROTECTION_PAGE = PlacementAction(key="protection_page", link=_protection_page)
OPEN_CASE = PlacementAction(key="protection_open_case", link=_open_case)
REINVITE_DEFAULTS = ReinviteRule(key="protection", blockers=reinvite_blockers_for, overridden=reinvite_override_record)
