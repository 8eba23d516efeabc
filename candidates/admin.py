from django.contrib import admin

from accounts.admin import ScopedAdminMixin
from core.admin import ReadOnlyAdminMixin

from .models import Candidate, Document, DocumentAccessLog, LanguageResult


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


@admin.register(DocumentAccessLog)
class DocumentAccessLogAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    scope_field = "document__candidate__municipality"
    list_display = ["accessed_at", "user", "document", "ip_address"]
    list_select_related = ["user", "document", "document__candidate"]
    date_hierarchy = "accessed_at"
