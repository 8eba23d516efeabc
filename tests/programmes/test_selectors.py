"""Programme selectors that the views of other apps use."""

import pytest

from programmes.selectors import seasonal_programme_list
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_seasonal_programmes_are_those_with_a_season_pattern_in_scope(serang_staff, serang, blitar):
    seasonal = ProgrammeFactory(
        agreement__municipality=serang, contract_months=None, season_months_abroad=5, season_periods=2
    )
    ProgrammeFactory(agreement__municipality=serang, contract_months=36)
    ProgrammeFactory(agreement__municipality=blitar, contract_months=None, season_months_abroad=5, season_periods=2)
    found = list(seasonal_programme_list(user=serang_staff))
    assert found == [seasonal]
    assert all(p.is_seasonal for p in found)
