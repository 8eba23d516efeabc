from django.contrib import admin

from accounts.admin import ScopedAdminMixin
from core.admin import ReadOnlyAdminMixin

from .models import Candidate, Document, LanguageResult, PersonalDataRead, Transfer


class DocumentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Document
    extra = 0
    fields = ["doc_type", "number", "issued_on", "expires_on", "verified_by", "verified_at"]
    readonly_fields = ["verified_by", "verified_at"]


class LanguageResultInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = LanguageResult
    extra = 0


@admin.register(Candidate)
class CandidateAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    # Read-only: entry goes through candidates.services (NIK rules, duplicates, consent, versions).
    list_display = ["full_name", "nik", "sex", "birth_date", "municipality", "education", "registered_on"]
    list_filter = ["sex", "education", "municipality__province"]
    search_fields = ["full_name", "nik", "phone"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]
    readonly_fields = ["version", "consent_taken_by"]
    inlines = [DocumentInline, LanguageResultInline]
    date_hierarchy = "registered_on"


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    scope_field = "candidate__municipality"
    list_display = ["candidate", "doc_type", "number", "expires_on", "verified_at"]
    list_filter = ["doc_type"]
    search_fields = ["candidate__full_name", "candidate__nik", "number"]
    list_select_related = ["candidate"]
    raw_id_fields = ["candidate"]
    # The file itself is downloaded only through the scoped, logged view.
    exclude = ["file"]


@admin.register(PersonalDataRead)
class PersonalDataReadAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """The read log: append-only in the database too (its triggers refuse UPDATE and DELETE)."""

    list_display = ["at", "kind", "user", "api_client", "candidate", "municipality", "rows", "full_identifiers"]
    list_filter = ["kind", "full_identifiers"]
    list_select_related = ["user", "candidate", "municipality"]
    raw_id_fields = ["candidate", "user"]
    date_hierarchy = "at"


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Transfers are requested and decided on the screens (candidates.services)."""

    list_display = ["candidate", "from_municipality", "to_municipality", "status", "requested_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["candidate", "from_municipality", "to_municipality"]
    raw_id_fields = ["candidate"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        mine = request.user.municipality_id
        return qs.filter(from_municipality_id=mine) | qs.filter(to_municipality_id=mine) if mine else qs.none()
