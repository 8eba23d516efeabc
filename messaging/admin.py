from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.admin import ScopedAdminMixin

from .forms import MessageTemplateAdminForm
from .models import Message, MessageTemplate, OutboxEntry


@admin.register(MessageTemplate)
class MessageTemplateAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Templates are managed by the agreement admin of an office (its own), and by the superuser (all,
    including the ready ones for every office). An unknown placeholder is refused on save."""

    form = MessageTemplateAdminForm
    scope_include_national = True
    list_display = ["name", "channel", "language", "code", "municipality", "is_active", "preview_link"]
    list_filter = ["channel", "language", "is_active"]
    search_fields = ["name", "code", "body"]
    list_select_related = ["municipality"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.municipality_id is None and not request.user.is_superuser:
            return False  # the templates for every office
        return super().has_change_permission(request, obj)

    has_delete_permission = has_change_permission

    def save_model(self, request, obj, form, change):
        if not change and not request.user.is_superuser:
            obj.municipality_id = request.user.municipality_id
        super().save_model(request, obj, form, change)

    @admin.display(description=_("preview"))
    def preview_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("messaging:template_preview", args=[obj.pk]), _("preview"))


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Message)
class MessageAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["created_at", "channel", "candidate", "status", "reason", "provider", "attempts"]
    list_filter = ["status", "channel", "provider"]
    list_select_related = ["candidate"]
    raw_id_fields = ["candidate", "broadcast"]


@admin.register(OutboxEntry)
class OutboxEntryAdmin(ReadOnlyAdmin):
    """What the outbox provider recorded instead of sending (superuser only: no role has the permission)."""

    list_display = ["recorded_at", "channel", "to", "provider_template_id"]
    list_filter = ["channel"]
