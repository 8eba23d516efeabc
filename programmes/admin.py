from django.contrib import admin

from accounts.admin import ScopedAdminMixin

from .models import Agreement, AgreementStageEvent, Occupation, Partner, Programme, ProgrammeDemand, StageDuration


@admin.register(Partner)
class PartnerAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_include_national = True
    list_display = ["name", "local_name", "country", "level", "municipality"]
    list_filter = ["country", "level"]
    search_fields = ["name", "local_name"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]


class AgreementStageEventInline(admin.TabularInline):
    model = AgreementStageEvent
    extra = 0
    fields = ["stage", "previous_stage", "occurred_on", "note", "reason", "recorded_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        # Stage moves go through the agreement page, which enforces the stage rules.
        return False


@admin.register(Agreement)
class AgreementAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_include_national = True
    list_display = ["title", "partner", "kind", "stage", "stage_entered_on", "valid_until", "municipality"]
    list_filter = ["stage", "kind", "partner__country"]
    search_fields = ["title", "partner__name", "government_body"]
    list_select_related = ["partner", "municipality"]
    autocomplete_fields = ["partner", "municipality"]
    inlines = [AgreementStageEventInline]

    def get_readonly_fields(self, request, obj=None):
        # A new agreement needs its first stage; later moves go through the agreement page, which
        # records each one on the timeline (programmes.services.agreement_move_stage).
        return ["stage", "stage_entered_on"] if obj is not None else []


@admin.register(StageDuration)
class StageDurationAdmin(admin.ModelAdmin):
    list_display = ["stage", "expected_days"]


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "isco_code", "kbji_code"]
    search_fields = ["name", "name_en", "isco_code", "kbji_code"]


class ProgrammeDemandInline(admin.TabularInline):
    model = ProgrammeDemand
    extra = 0
    autocomplete_fields = ["occupation"]


@admin.register(Programme)
class ProgrammeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_field = "agreement__municipality"
    scope_include_national = True
    list_display = ["name", "scheme", "status", "destination_country", "target_min", "target", "target_max"]
    list_filter = ["scheme", "status", "destination_country"]
    search_fields = ["name", "agreement__title"]
    list_select_related = ["agreement"]
    autocomplete_fields = ["agreement"]
    inlines = [ProgrammeDemandInline]
