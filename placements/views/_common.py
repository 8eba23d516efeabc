"""Helpers shared by the placement views: bulk-action reports."""

from django.contrib import messages
from django.utils.translation import ngettext

# At most this many placements are offered as checkboxes (enrol, add to a cohort); a search narrows them.
CHOICES_SHOWN = 100
# At most this many refusals are spelled out in messages after a bulk action.
REFUSALS_SHOWN = 15


def report(request, done_message: str, refused: list[tuple[object, list[str]]], name=str) -> None:
    """One success message, then one warning per refusal (the first REFUSALS_SHOWN of them)."""
    if done_message:
        messages.success(request, done_message)
    for obj, reasons in refused[:REFUSALS_SHOWN]:
        messages.warning(request, f"{name(obj)}: {' '.join(reasons)}")
    if len(refused) > REFUSALS_SHOWN:
        hidden = len(refused) - REFUSALS_SHOWN
        messages.warning(
            request, ngettext("…and %(n)s more refused.", "…and %(n)s more refused.", hidden) % {"n": hidden}
        )
