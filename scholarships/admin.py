from django.contrib import admin

from accounts.admin import ScopedAdminMixin
from programmes.models import Programme

from .models import ScholarshipRules


@admin.register(ScholarshipRules)
class ScholarshipRulesAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The agreement admin edits the rules of their office's scholarship programmes; the age band
    and the language level stay on the programme (one home each)."""

    scope_field = "programme__agreement__municipality"
    list_display = ["programme", "min_grade", "max_income_per_person", "service_years"]
    list_select_related = ["programme"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "programme" and field is not None:
            qs = Programme.objects.filter(scheme=Programme.Scheme.SCHOLARSHIP)
            if not request.user.is_superuser:
                qs = qs.filter(agreement__municipality=request.user.municipality_id)
            field.queryset = qs
        return field
