from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import reauth
from .access import scope_q
from .models import User
from .services import user_deactivate


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
    """Users, their roles (groups) and municipality.

    Every page that can change a user's access (add, change, delete, set password) needs a fresh password
    confirmation (accounts.reauth); deactivating a user ends their sessions at once.
    """

    list_display = ["username", "get_full_name", "municipality", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "groups", "municipality__province"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("Scope"), {"fields": ["municipality"]}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("Scope"), {"fields": ["municipality"]}),)
    actions = ["deactivate_users"]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Both add_view and change_view end here, for GET and POST alike.
        if not reauth.recently_confirmed(request):
            return reauth.redirect_to_confirm(request)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        if not reauth.recently_confirmed(request):
            return reauth.redirect_to_confirm(request)
        return super().delete_view(request, object_id, extra_context)

    def user_change_password(self, request, id, form_url=""):
        if not reauth.recently_confirmed(request):
            return reauth.redirect_to_confirm(request)
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        deactivating = change and "is_active" in form.changed_data and not obj.is_active
        super().save_model(request, obj, form, change)
        if deactivating:
            user_deactivate(user=obj, by=request.user)

    @admin.action(description=_("Deactivate the selected users and sign them out"), permissions=["change"])
    def deactivate_users(self, request, queryset):
        count = 0
        for user in queryset.filter(is_active=True):
            user_deactivate(user=user, by=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d user deactivated and signed out.", "%(count)d users deactivated and signed out.", count)
            % {"count": count},
            messages.SUCCESS,
        )
