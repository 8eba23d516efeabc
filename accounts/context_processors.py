from .access import may_see_persons


def scope(request):
    """The name of what the signed-in user sees, for headers and printed reports, and whether the
    user may see named persons at all (pages hide links to lists of people for the national viewer)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "user_scope_label": user.municipality.name if user.municipality_id else None,
        "may_see_persons": may_see_persons(user),
    }
