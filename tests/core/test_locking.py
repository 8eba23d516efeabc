import pytest

from candidates.models import Candidate
from core.locking import StaleRecordError, check_version, lock_version
from tests.factories import CandidateFactory


def test_the_current_version_or_no_version_passes():
    check_version(3, 3)
    check_version(3, None)


def test_another_version_or_a_missing_row_is_stale():
    with pytest.raises(StaleRecordError) as refused:
        check_version(4, 3)
    assert refused.value.code == "stale"
    with pytest.raises(StaleRecordError):
        check_version(None, None)


@pytest.mark.django_db
def test_lock_version_returns_the_row_and_refuses_an_old_form(serang):
    candidate = CandidateFactory(municipality=serang)
    locked = lock_version(Candidate.objects.all(), candidate.pk, candidate.version)
    assert locked.pk == candidate.pk
    Candidate.objects.filter(pk=candidate.pk).update(version=candidate.version + 1)
    with pytest.raises(StaleRecordError):
        lock_version(Candidate.objects.all(), candidate.pk, candidate.version)
