from django.contrib import admin

from accounts.admin import ScopedAdminMixin
from core.admin import ReadOnlyAdminMixin

from .models import Cohort, Enrolment, Placement, PlacementStageEvent, TrainingBatch, TrainingProvider


@admin.register(TrainingProvider)
class TrainingProviderAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_include_national = True
    list_display = ["name", "kind", "licence_number", "licence_expires_on", "municipality"]
    list_filter = ["kind"]
    search_fields = ["name", "licence_number"]
    list_select_related = ["municipality"]


@admin.register(TrainingBatch)
class TrainingBatchAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_include_national = True
    list_display = ["name", "provider", "programme", "course_kind", "starts_on", "ends_on", "hours", "capacity"]
    list_filter = ["course_kind", "provider__kind"]
    search_fields = ["name", "provider__name", "programme__name"]
    list_select_related = ["provider", "programme"]


class PlacementStageEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = PlacementStageEvent
    extra = 0
    readonly_fields = ["from_stage", "to_stage", "moved_at", "moved_by", "note", "reason"]


@admin.register(Placement)
class PlacementAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    # Read-only: starts, moves and edits go through placements.services (gates, versions, events).
    list_display = ["candidate", "programme", "stage", "stage_changed_at", "cohort"]
    list_filter = ["stage", "programme"]
    search_fields = ["candidate__full_name", "candidate__nik"]
    list_select_related = ["candidate", "programme", "cohort"]
    raw_id_fields = ["candidate", "cohort", "previous_placement"]
    inlines = [PlacementStageEventInline]


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    # Read-only: enrolment checks the batch's capacity and moves the placement (placements.services).
    scope_field = "placement__municipality"
    list_display = ["placement", "batch", "attended_hours", "final_score", "result"]
    list_filter = ["result"]
    list_select_related = ["placement", "placement__candidate", "placement__programme", "batch"]
    raw_id_fields = ["placement"]


@admin.register(Cohort)
class CohortAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    # Read-only: members, departure and return dates go through placements.services.
    list_display = ["name", "programme", "planned_departure", "actual_departure", "return_due_on"]
    list_filter = ["programme"]
    search_fields = ["name"]
    list_select_related = ["programme"]
