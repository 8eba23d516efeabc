"""Helpers shared by the placement views: query strings, pagination, bulk-action reports."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.utils.translation import ngettext

from programmes.forms import add_service_errors as form_error  # noqa: F401 - used by the views

PER_PAGE = 50
# At most this many placements are offered as checkboxes (enrol, add to a cohort); a search narrows them.
CHOICES_SHOWN = 100
# At most this many refusals are spelled out in messages after a bulk action.
REFUSALS_SHOWN = 15


def querystring(params, **changes) -> str:
    """The query string of `params` (a QueryDict) with `changes` applied and the page dropped."""
    query = params.copy()
    query.pop("page", None)
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


def paginate(request, qs, per_page: int = PER_PAGE):
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


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
