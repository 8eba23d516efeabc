from django.contrib import admin

from accounts.admin import ScopedAdminMixin

from .models import ProgrammeHold, ProtectionSettings


@admin.register(ProtectionSettings)
class ProtectionSettingsAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Per-programme deadlines and contact interval (agreement admins of the programme's office)."""

    scope_field = "programme__agreement__municipality"
    scope_include_national = True
    list_display = [
        "programme",
        "critical_deadline_hours",
        "high_deadline_hours",
        "normal_deadline_hours",
        "contact_interval_days",
    ]
    list_select_related = ["programme"]


@admin.register(ProgrammeHold)
class ProgrammeHoldAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_field = "programme__agreement__municipality"
    scope_include_national = True
    list_display = ["programme", "held_on", "lifted_on", "source"]
    list_select_related = ["programme"]
    readonly_fields = ["recorded_by"]
