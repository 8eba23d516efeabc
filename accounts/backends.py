from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db import connections, router


def _permission_sql(from_name: str) -> str:
    """The ORM's query of ModelBackend._get_permissions (the user's own permissions, or those of
    their groups) as fixed SQL: every signed-in page reads them, and building the two joined
    querysets cost more than running them."""
    from django.contrib.auth import get_user_model

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
        where = (
            f'"{group_permissions}"."group_id" IN '
            f'(SELECT "group_id" FROM "{user_groups.db_table}" WHERE "{user_column}" = %s)'
        )
    return (
        f'SELECT "{content_type}"."app_label", "{permission}"."codename" FROM "{permission}" {join} '
        f'INNER JOIN "{content_type}" ON "{permission}"."content_type_id" = "{content_type}"."id" WHERE {where}'
    )


class ModelBackendWithMunicipality(ModelBackend):
    """Loads the signed-in user with their municipality in one query on every request."""

    _sql: dict[str, str] = {}

    def get_user(self, user_id):
        from django.contrib.auth import get_user_model

        User = get_user_model()
        try:
            user = User._default_manager.select_related("municipality").get(pk=user_id)
        except User.DoesNotExist:
            return None
        # Inactive users lose their session on the next request.
        return user if self.user_can_authenticate(user) else None

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
        if from_name not in self._sql:
            self._sql[from_name] = _permission_sql(from_name)
        with connections[router.db_for_read(Permission)].cursor() as cursor:
            cursor.execute(self._sql[from_name], [user_obj.pk])
            perms = {f"{app_label}.{codename}" for app_label, codename in cursor.fetchall()}
        setattr(user_obj, perm_cache_name, perms)
        return perms
