"""Template helpers of the accounts app: the main navigation, and the user's saved filters of the
list a page shows."""

from django import template
from django.utils.translation import get_language

from ..forms import SavedFilterForm

register = template.Library()

NAV_TEMPLATE = "includes/_nav.html"
# The navigation's HTML by everything it depends on; a few hundred entries at most (URL names x
# languages x the three yes/no below), emptied if it ever grows beyond that.
_nav_html: dict[tuple, str] = {}
_NAV_MAX_ENTRIES = 2000


@register.simple_tag(takes_context=True)
def main_nav(context) -> str:
    """includes/_nav.html, rendered once per process for each page, language and kind of user
    rather than on every request (its thirty conditions were a third of a small page's render)."""
    user = context["user"]
    match = getattr(context["request"], "resolver_match", None)
    # What the template reads: the page, the language, the kind of user and their permissions (the
    # set the request has loaded already; any permission the template asks is in it).
    key = (
        get_language(),
        match.url_name if match else None,
        match.namespace if match else None,
        bool(context.get("may_see_persons")),
        bool(user.is_staff),
        getattr(user, "municipality_id", None) is not None,
        # A superuser has every permission without reading them.
        "all" if user.is_superuser else frozenset(user.get_all_permissions()),
    )
    html = _nav_html.get(key)
    if html is None:
        if len(_nav_html) >= _NAV_MAX_ENTRIES:
            _nav_html.clear()
        html = _nav_html[key] = context.template.engine.get_template(NAV_TEMPLATE).render(context)
    return html


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
