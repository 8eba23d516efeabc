from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import FailedJob, ScheduledRun


class SuperuserOnlyAdmin(admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FailedJob)
class FailedJobAdmin(SuperuserOnlyAdmin):
    """The jobs that failed for good, newest first, with the reason; the traceback on the row's page."""

    list_display = ["task_path", "reason", "attempts", "enqueued_at", "finished_at"]
    search_fields = ["task_path", "traceback"]
    fields = ["id", "task_path", "args_kwargs", "enqueued_at", "started_at", "finished_at", "worker_ids", "traceback"]
    readonly_fields = fields
    ordering = ["-finished_at"]

    def get_queryset(self, request):
        return FailedJob.objects.final()

    @admin.display(description=_("reason"))
    def reason(self, obj):
        return obj.reason

    @admin.display(description=_("attempt"))
    def attempts(self, obj):
        return obj.args_kwargs.get("kwargs", {}).get("attempt", 1)


@admin.register(ScheduledRun)
class ScheduledRunAdmin(SuperuserOnlyAdmin):
    list_display = ["name", "due_on", "enqueued_at", "task_id"]
    list_filter = ["name"]
