from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .access import scope_q
from .models import User


class ScopedAdminMixin:
    """Limits an admin changelist and its objects to the signed-in user's municipality.

    Agreement admins use /admin/ too (DESIGN §5); only superusers see every municipality.
    """

    scope_field = "municipality"
    scope_include_national = False

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(scope_q(request.user, self.scope_field, include_national=self.scope_include_national))


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "get_full_name", "municipality", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "groups", "municipality__province"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("Scope"), {"fields": ["municipality"]}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("Scope"), {"fields": ["municipality"]}),)
