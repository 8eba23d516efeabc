"""List filters for agreements, partners and programmes (django-filter), kept in the URL."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import ANY_LABEL
from core.models import Municipality

from .models import Agreement, AgreementStage, Country, Partner, Programme


class _BootstrapFilterSet(django_filters.FilterSet):
    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            css = "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else "form-select form-select-sm"
            field.widget.attrs.setdefault("class", css)
        return form


class AgreementFilter(_BootstrapFilterSet):
    stage = django_filters.ChoiceFilter(empty_label=ANY_LABEL, label=_("stage"), choices=AgreementStage.choices)
    country = django_filters.ChoiceFilter(
        empty_label=ANY_LABEL, label=_("country"), field_name="partner__country", choices=Country.choices
    )
    kind = django_filters.ChoiceFilter(empty_label=ANY_LABEL, label=_("kind"), choices=Agreement.Kind.choices)
    municipality = django_filters.ModelChoiceFilter(
        empty_label=ANY_LABEL,
        label=_("municipality"),
        queryset=Municipality.objects.filter(agreement__isnull=False).distinct(),
    )
    stalled = django_filters.BooleanFilter(
        label=_("stalled only"), method="filter_stalled", widget=forms.CheckboxInput(attrs={"value": "1"})
    )
    expiring = django_filters.BooleanFilter(
        label=_("expires within 90 days"), method="filter_expiring", widget=forms.CheckboxInput(attrs={"value": "1"})
    )

    class Meta:
        model = Agreement
        fields = ["stage", "country", "kind", "municipality", "stalled", "expiring"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only a user who sees every municipality has anything to choose between.
        if not user.sees_all_municipalities:
            del self.filters["municipality"]

    def filter_stalled(self, queryset, name, value):
        # The queryset comes from selectors.agreement_list, which annotates is_stalled.
        return queryset.filter(is_stalled=True) if value else queryset

    def filter_expiring(self, queryset, name, value):
        return queryset.expiring(timezone.localdate(), 90) if value else queryset


class PartnerFilter(_BootstrapFilterSet):
    country = django_filters.ChoiceFilter(empty_label=ANY_LABEL, label=_("country"), choices=Country.choices)
    level = django_filters.ChoiceFilter(empty_label=ANY_LABEL, label=_("level"), choices=Partner.Level.choices)

    class Meta:
        model = Partner
        fields = ["country", "level"]


class ProgrammeFilter(_BootstrapFilterSet):
    status = django_filters.ChoiceFilter(empty_label=ANY_LABEL, label=_("status"), choices=Programme.Status.choices)
    scheme = django_filters.ChoiceFilter(empty_label=ANY_LABEL, label=_("scheme"), choices=Programme.Scheme.choices)
    country = django_filters.ChoiceFilter(
        empty_label=ANY_LABEL, label=_("destination country"), field_name="destination_country", choices=Country.choices
    )

    class Meta:
        model = Programme
        fields = ["status", "scheme", "country"]
