def scope(request):
    """The name of what the signed-in user sees, for headers and printed reports."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"user_scope_label": user.municipality.name if user.municipality_id else None}
