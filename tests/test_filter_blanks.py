"""Issue 18.4: every filter's blank choice reads the same ("Semua" / "All"), in both languages."""

import pytest
from django import forms
from django.utils import translation

from candidates.filters import CandidateFilter
from candidates.models import Candidate
from core.forms import ANY_LABEL
from placements.filters import BatchFilter, PlacementFilter
from placements.models import Placement
from programmes.filters import AgreementFilter, PartnerFilter, ProgrammeFilter
from programmes.models import Agreement, Partner, Programme
from protection.forms import CaseFilterForm
from scholarships.forms import ApplicationFilterForm
from scholarships.models import SelectionRound

pytestmark = pytest.mark.django_db


def _forms(user):
    return {
        "candidates": CandidateFilter({}, queryset=Candidate.objects.none(), user=user).form,
        "placements": PlacementFilter({}, queryset=Placement.objects.none(), user=user).form,
        "batches": BatchFilter({}, user=user).form,
        "agreements": AgreementFilter({}, queryset=Agreement.objects.none(), user=user).form,
        "partners": PartnerFilter({}, queryset=Partner.objects.none()).form,
        "programmes": ProgrammeFilter({}, queryset=Programme.objects.none()).form,
        "cases": CaseFilterForm(),
        "applications": ApplicationFilterForm(rounds=SelectionRound.objects.none()),
    }


def _blank_labels(form) -> dict[str, str]:
    labels = {}
    for name, field in form.fields.items():
        widget = field.widget
        if not isinstance(widget, forms.Select) or isinstance(widget, forms.SelectMultiple):
            continue
        choices = list(widget.choices)
        if choices and choices[0][0] in ("", None):
            labels[name] = str(choices[0][1])
    return labels


@pytest.mark.parametrize(("language", "expected"), [("id", "Semua"), ("en", "All")])
def test_every_filter_blank_reads_the_same(serang_staff, national_viewer, language, expected):
    with translation.override(language):
        assert str(ANY_LABEL) == expected
        seen = {}
        for user in (serang_staff, national_viewer):
            for form_name, form in _forms(user).items():
                for field, label in _blank_labels(form).items():
                    seen[f"{form_name}.{field}"] = label
    # The walk found the selects it should (a filter form lost from the walk would hide a regression).
    for key in (
        "candidates.sex",
        "candidates.age_band",
        "candidates.education",
        "candidates.language",
        "candidates.stage",
        "candidates.programme",
        "placements.programme",
        "placements.stage",
        "placements.municipality",
        "placements.kecamatan",
        "batches.course_kind",
        "agreements.stage",
        "agreements.municipality",
        "programmes.status",
        "cases.status",
        "cases.severity",
        "applications.round",
        "applications.stage",
    ):
        assert key in seen, key
    assert set(seen.values()) == {expected}, seen
