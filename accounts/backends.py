import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import connections, router


@functools.cache
def _permission_sql(from_name: str) -> str:
    """The ORM's query of ModelBackend._get_permissions (the user's own permissions, or those of
    their groups) as fixed SQL: every signed-in page reads them, and building the two joined
    querysets cost more than running them."""
    user_model = get_user_model()
    permission = Permission._meta.db_table
    content_type = Permission._meta.get_field("content_type").related_model._meta.db_table
    if from_name == "user":
        through = user_model.user_permissions.through._meta
        user_column = through.get_field(user_model._meta.model_name).column
        where = f'"{through.db_table}"."{user_column}" = %s'
        join = f'INNER JOIN "{through.db_table}" ON "{permission}"."id" = "{through.db_table}"."permission_id"'
    else:
        group_permissions = Permission.group_set.through._meta.db_table
        user_groups = user_model.groups.through._meta
        user_column = user_groups.get_field(user_model._meta.model_name).column
        join = f'INNER JOIN "{group_permissions}" ON "{permission}"."id" = "{group_permissions}"."permission_id"'
        groups = f'SELECT "group_id" FROM "{user_groups.db_table}" WHERE "{user_column}" = %s'  # noqa: S608 - names
        where = f'"{group_permissions}"."group_id" IN ({groups})'
    return (
        f'SELECT "{content_type}"."app_label", "{permission}"."codename" FROM "{permission}" {join} '  # noqa: S608
        f'INNER JOIN "{content_type}" ON "{permission}"."content_type_id" = "{content_type}"."id" WHERE {where}'
    )


@functools.cache
def _user_sql() -> str:
    """User.objects.select_related("municipality").get(pk=...) as fixed SQL."""
    user_model = get_user_model()
    field = user_model._meta.get_field("municipality")
    users, municipalities = user_model._meta.db_table, field.related_model._meta.db_table
    columns = [f'"{users}"."{f.column}"' for f in user_model._meta.concrete_fields] + [
        f'"{municipalities}"."{f.column}"' for f in field.related_model._meta.concrete_fields
    ]
    return (
        f'SELECT {", ".join(columns)} FROM "{users}" LEFT OUTER JOIN "{municipalities}" '  # noqa: S608 - names
        f'ON "{users}"."{field.column}" = "{municipalities}"."{field.target_field.column}" '
        f'WHERE "{users}"."{user_model._meta.pk.column}" = %s'
    )


def _user_with_municipality(user_id):
    """The user with their municipality (one query, as select_related), or None."""
    user_model = get_user_model()
    field = user_model._meta.get_field("municipality")
    user_fields = user_model._meta.concrete_fields
    try:
        user_id = user_model._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    db = router.db_for_read(user_model)
    with connections[db].cursor() as cursor:
        cursor.execute(_user_sql(), [user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    n = len(user_fields)
    user = user_model.from_db(db, [f.attname for f in user_fields], row[:n])
    municipality = None
    if user.municipality_id is not None:
        municipality_fields = field.related_model._meta.concrete_fields
        municipality = field.related_model.from_db(db, [f.attname for f in municipality_fields], row[n:])
    field.set_cached_value(user, municipality)
    return user


class ModelBackendWithMunicipality(ModelBackend):
    """Loads the signed-in user with their municipality in one query on every request."""

    def get_user(self, user_id):
        user = _user_with_municipality(user_id)
        # Inactive users lose their session on the next request.
        return user if user is not None and self.user_can_authenticate(user) else None

    def _get_permissions(self, user_obj, obj, from_name):
        # As ModelBackend's (the same two queries, the same caches on the user), in fixed SQL for
        # the common case; superusers and anything unusual go through the ORM.
        perm_cache_name = f"_{from_name}_perm_cache"
        if (
            hasattr(user_obj, perm_cache_name)
            or from_name not in ("user", "group")
            or obj is not None
            or not user_obj.is_active
            or user_obj.is_anonymous
            or user_obj.is_superuser
        ):
            return super()._get_permissions(user_obj, obj, from_name)
        with connections[router.db_for_read(Permission)].cursor() as cursor:
            cursor.execute(_permission_sql(from_name), [user_obj.pk])
            perms = {f"{app_label}.{codename}" for app_label, codename in cursor.fetchall()}
        setattr(user_obj, perm_cache_name, perms)
        return perms
