"""The scholarship requirements' Python check and SQL condition agree, at the boundaries of every
rule (one reference date: the round's closing day)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from scholarships import requirements
from scholarships.models import Application
from scholarships.selectors import with_eligibility_data
from scholarships.services import rules_for
from tests.factories import scholarship_applicant

from .conftest import register

pytestmark = pytest.mark.django_db


def test_check_and_condition_agree_at_every_boundary(serang_round, serang_staff):
    closes = serang_round.closes_on
    rules = serang_round.programme.scholarship_rules
    rules.fields_of_study = ["engineering", "health"]
    rules.save()

    def applicant(**candidate):
        return scholarship_applicant(**candidate)

    cases = {
        "ok": register(serang_round, serang_staff),
        "ipk_exact": register(serang_round, serang_staff, grade_scale="ipk", grade_average=Decimal("3.20")),
        "ipk_below": register(serang_round, serang_staff, grade_scale="ipk", grade_average=Decimal("3.19")),
        "rapor_below": register(serang_round, serang_staff, grade_average=Decimal("79.99")),
        "income_max": register(serang_round, serang_staff, family_income_per_person=1_000_000),
        "income_over": register(serang_round, serang_staff, family_income_per_person=1_000_001),
        "field": register(serang_round, serang_staff, intended_field="arts"),
        "age_25": register(
            serang_round,
            serang_staff,
            candidate=applicant(
                birth_date=closes.replace(year=closes.year - 26, day=closes.day) + timezone.timedelta(days=1)
            ),
        ),
        "age_26": register(
            serang_round, serang_staff, candidate=applicant(birth_date=closes.replace(year=closes.year - 26))
        ),
        "minor_alone": register(
            serang_round, serang_staff, candidate=applicant(birth_date=closes.replace(year=closes.year - 17))
        ),
        "adult_on_the_day": register(
            serang_round, serang_staff, candidate=applicant(birth_date=closes.replace(year=closes.year - 18))
        ),
    }
    no_sktm = scholarship_applicant()
    no_sktm.documents.all().delete()
    cases["no_sktm"] = register(serang_round, serang_staff, candidate=no_sktm)

    basis = requirements.basis_for(serang_round, today=timezone.localdate())
    rules = rules_for(serang_round.programme)
    by_sql = set(Application.objects.filter(requirements.eligible_condition(basis, rules)).values_list("pk", flat=True))
    loaded = with_eligibility_data(Application.objects.all())
    by_python = {a.pk for a in loaded if not requirements.shortfalls(basis, requirements.ApplicationFacts.of(a, rules))}
    assert by_sql == by_python
    eligible = {name for name, app in cases.items() if app.pk in by_python}
    assert eligible == {"ok", "ipk_exact", "income_max", "age_25", "adult_on_the_day"}
