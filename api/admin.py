"""API clients and webhook subscriptions in /admin/ (superusers, and agreement admins for their
municipality). Every write goes through api.services; a new token or secret is shown once."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.admin import ScopedAdminMixin

from . import services, webhooks
from .models import ApiClient, ApiRequestLog, DeliveryAttempt, OutboxMessage, WebhookEvent, WebhookSubscription


class ApiClientForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"), choices=ApiClient.Scope.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ApiClient
        fields = ["name", "municipality", "scopes", "expires_at"]


@admin.register(ApiClient)
class ApiClientAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = ApiClientForm
    list_display = ["name", "municipality", "scopes", "token_hint", "expires_at", "last_used_at", "revoked_at"]
    list_select_related = ["municipality"]
    readonly_fields = ["token_hint", "last_used_at", "revoked_at", "created_at"]
    actions = ["revoke", "rotate_token"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "municipality", "scopes", "expires_at"]
        return ["name", "municipality", "scopes", "expires_at", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "name", "municipality"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the request log and the history keep the client

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            if change:
                services.api_client_update(
                    user=request.user, client=obj, scopes=data["scopes"], expires_at=data["expires_at"]
                )
                return
            client, token = services.api_client_create(
                user=request.user,
                name=data["name"],
                municipality=data["municipality"],
                scopes=data["scopes"],
                expires_at=data["expires_at"],
            )
        except (ValidationError, PermissionDenied) as exc:
            raise PermissionDenied(str(exc)) from exc
        obj.pk = client.pk
        messages.warning(request, _("The token, shown only now (store it safely): %(token)s") % {"token": token})

    @admin.action(description=_("Revoke the selected clients"))
    def revoke(self, request, queryset):
        for client in queryset:
            services.api_client_revoke(user=request.user, client=client)

    @admin.action(description=_("Issue a new token (the old one stops working)"))
    def rotate_token(self, request, queryset):
        for client in queryset:
            token = services.api_client_rotate_token(user=request.user, client=client)
            messages.warning(request, _("New token for %(name)s: %(token)s") % {"name": client.name, "token": token})


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("events"), choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookSubscription
        fields = ["client", "url", "events", "is_active"]


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = SubscriptionForm
    scope_field = "client__municipality"
    list_display = ["client", "url", "events", "is_active"]

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        subscription = services.webhook_subscribe(
            user=request.user, client=data["client"], url=data["url"], events=data["events"]
        )
        obj.pk = subscription.pk
        messages.warning(request, _("The signing secret, shown only now: %(secret)s") % {"secret": subscription.secret})


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_field = "subscription__client__municipality"
    list_display = ["message_id", "event", "record_key", "status", "attempts", "next_attempt_at", "delivered_at"]
    list_filter = ["status", "event"]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Deliver again (from now)"))
    def retry(self, request, queryset):
        with transaction.atomic():
            again = list(queryset.exclude(status=OutboxMessage.Status.DELIVERED).values_list("pk", flat=True))
            OutboxMessage.objects.filter(pk__in=again).update(
                status=OutboxMessage.Status.PENDING, next_attempt_at=timezone.now()
            )
            for message_id in again:
                webhooks.queue_delivery(message_id)


@admin.register(DeliveryAttempt)
class DeliveryAttemptAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_field = "message__subscription__client__municipality"
    list_display = ["message", "at", "status_code", "error", "succeeded"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ApiRequestLog)
class ApiRequestLogAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_field = "client__municipality"
    list_display = ["client", "at", "method", "path", "status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
