from django.contrib import admin

from accounts.admin import ScopedAdminMixin

from .models import Candidate, Document, DocumentAccessLog, LanguageResult


class DocumentInline(admin.TabularInline):
    model = Document
    extra = 0
    fields = ["doc_type", "number", "issued_on", "expires_on", "verified_by", "verified_at"]
    readonly_fields = ["verified_by", "verified_at"]


class LanguageResultInline(admin.TabularInline):
    model = LanguageResult
    extra = 0


@admin.register(Candidate)
class CandidateAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["full_name", "nik", "sex", "birth_date", "municipality", "education", "registered_on"]
    list_filter = ["sex", "education", "municipality__province"]
    search_fields = ["full_name", "nik", "phone"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]
    readonly_fields = ["version", "consent_taken_by"]
    inlines = [DocumentInline, LanguageResultInline]
    date_hierarchy = "registered_on"

    def save_model(self, request, obj, form, change):
        # Bump the version so that an edit form opened in the app before this save is refused.
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(Document)
class DocumentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_field = "candidate__municipality"
    list_display = ["candidate", "doc_type", "number", "expires_on", "verified_at"]
    list_filter = ["doc_type"]
    search_fields = ["candidate__full_name", "candidate__nik", "number"]
    list_select_related = ["candidate"]
    raw_id_fields = ["candidate"]
    # The file itself is downloaded only through the scoped, logged view.
    exclude = ["file"]


@admin.register(DocumentAccessLog)
class DocumentAccessLogAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_field = "document__candidate__municipality"
    list_display = ["accessed_at", "user", "document", "ip_address"]
    list_select_related = ["user", "document", "document__candidate"]
    date_hierarchy = "accessed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
