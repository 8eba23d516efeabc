"""The screens' filters (each app's FilterSet), plus `updated_since` for incremental sync.

Searching by name or NIK (`q`) is left out: a NIK must never travel in a URL (or a log line).
"""

import inspect
from datetime import UTC

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend

from candidates.filters import CandidateFilter
from candidates.models import Document, LanguageResult
from placements.filters import BatchFilter, PlacementFilter
from placements.models import Cohort, Enrolment, PlacementStageEvent
from programmes.filters import AgreementFilter, ProgrammeFilter


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 time in UTC: PostgreSQL refuses offsets beyond ±15 h ("+16:48" is valid ISO)."""

    def clean(self, value):
        value = super().clean(value)
        try:
            return value.astimezone(UTC) if value is not None else None
        except OverflowError as exc:
            raise forms.ValidationError(_("Enter a valid date/time.")) from exc


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


def _updated_since(field_name: str = "updated_at"):
    return UtcDateTimeFilter(
        field_name=field_name,
        lookup_expr="gte",
        label=f"Only records with {field_name} at or after this time (ISO 8601), for incremental sync.",
    )


class FilterBackend(DjangoFilterBackend):
    """Hands the user to FilterSets that scope their choices by it (the screens' FilterSets do)."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        filterset_class = self.get_filterset_class(view, queryset)
        if "user" in inspect.signature(filterset_class.__init__).parameters:
            kwargs["user"] = request.user
        return kwargs


class CandidateApiFilter(CandidateFilter):
    # `sort` stays (the FilterSet's form needs it) but pages come in id order (api.pagination).
    q = None
    updated_since = _updated_since()


class DocumentApiFilter(django_filters.FilterSet):
    updated_since = _updated_since()

    class Meta:
        model = Document
        fields = ["candidate", "doc_type"]


class LanguageResultApiFilter(django_filters.FilterSet):
    class Meta:
        model = LanguageResult
        fields = ["candidate", "test"]


class PlacementApiFilter(PlacementFilter):
    q = None
    updated_since = _updated_since()


class StageEventApiFilter(django_filters.FilterSet):
    moved_since = _updated_since("moved_at")

    class Meta:
        model = PlacementStageEvent
        fields = ["placement", "to_stage"]


class ProgrammeApiFilter(ProgrammeFilter):
    updated_since = _updated_since()


class AgreementApiFilter(AgreementFilter):
    stalled = None
    expiring = None
    updated_since = _updated_since()

    class Meta(AgreementFilter.Meta):
        fields = ["stage", "country", "kind", "municipality"]


class BatchApiFilter(BatchFilter):
    updated_since = _updated_since()


class EnrolmentApiFilter(django_filters.FilterSet):
    updated_since = _updated_since()

    class Meta:
        model = Enrolment
        fields = ["batch", "placement", "result"]


class CohortApiFilter(django_filters.FilterSet):
    updated_since = _updated_since()

    class Meta:
        model = Cohort
        fields = ["programme"]
