"""Template helpers of the accounts app: the user's saved filters of the list a page shows."""

from django import template

from ..forms import SavedFilterForm

register = template.Library()


@register.inclusion_tag("accounts/includes/_saved_filters.html", takes_context=True)
def saved_filters(context):
    """The user's saved filters of this list, and a form saving the current ones (one query)."""
    request = context["request"]
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "saved": list(request.user.saved_filters.filter(path=request.path)),
        "form": SavedFilterForm(initial={"path": request.path, "querystring": query.urlencode()}),
        "has_filters": bool(query),
        "csrf_token": context.get("csrf_token"),
    }
