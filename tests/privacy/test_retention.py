"""`manage.py apply_retention`: a dry run changes nothing; --commit erases exactly the people the
policy matches and deletes exactly the document files past their time; the daily schedule runs it."""

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from candidates.models import Candidate, Document
from privacy.models import RetentionPolicy
from tests.factories import CandidateFactory, DocumentFactory, PlacementFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LONG_AGO = timezone.now() - timedelta(days=6 * 365)


def _untouched_since(candidate, when):
    Candidate.objects.filter(pk=candidate.pk).update(updated_at=when)


@pytest.fixture
def policies():
    RetentionPolicy.objects.filter(rule="never_placed").update(years=5, active=True)
    RetentionPolicy.objects.filter(rule="documents_after_return").update(years=2, active=True)


@pytest.fixture
def people(serang):
    """Who the policies match, and who they do not."""
    matching = CandidateFactory(municipality=serang)  # never placed, untouched for 6 years
    _untouched_since(matching, LONG_AGO)
    withdrawn = CandidateFactory(municipality=serang)  # withdrawn 6 years ago, never departed
    PlacementFactory(candidate=withdrawn, stage="withdrawn", stage_changed_at=LONG_AGO)
    _untouched_since(withdrawn, LONG_AGO)
    recent = CandidateFactory(municipality=serang)  # registered today
    departed = CandidateFactory(municipality=serang)  # went abroad: kept by this rule
    PlacementFactory(
        candidate=departed,
        stage="returned",
        stage_changed_at=LONG_AGO,
        departed_on=TODAY - timedelta(days=7 * 365),
        returned_on=TODAY - timedelta(days=3 * 365),
    )
    _untouched_since(departed, LONG_AGO)
    old_file = DocumentFactory(candidate=departed, file=ContentFile(b"%PDF-1.4", name="old.pdf"))
    back_recently = CandidateFactory(municipality=serang)
    PlacementFactory(
        candidate=back_recently,
        stage="returned",
        departed_on=TODAY - timedelta(days=400),
        returned_on=TODAY - timedelta(days=30),
    )
    new_file = DocumentFactory(candidate=back_recently, file=ContentFile(b"%PDF-1.4", name="new.pdf"))
    return {
        "erase": {matching.pk, withdrawn.pk},
        "keep": {recent.pk, departed.pk, back_recently.pk},
        "old_file": old_file,
        "new_file": new_file,
    }


def _run(*args) -> str:
    out = StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_prints_the_counts_and_changes_nothing(policies, people):
    output = _run()
    assert "Never placed and inactive for N years: erase the person: 2 would be done (dry run)" in output
    assert "Document files N years after the return: delete them: 1 would be done (dry run)" in output
    assert not Candidate.objects.filter(erased_at__isnull=False).exists()
    assert Document.objects.exclude(file="").count() == 2


def test_commit_erases_exactly_the_matching_people_and_old_files(
    policies, people, private_storage, django_capture_on_commit_callbacks
):
    old_path = private_storage / people["old_file"].file.name
    with django_capture_on_commit_callbacks(execute=True):
        output = _run("--commit")
    assert ": 2 done" in output and ": 1 done" in output
    assert set(Candidate.objects.filter(erased_at__isnull=False).values_list("pk", flat=True)) == people["erase"]
    assert not Candidate.objects.filter(pk__in=people["keep"], erased_at__isnull=False).exists()
    assert Document.objects.get(pk=people["old_file"].pk).file.name == ""
    assert not old_path.exists()
    assert Document.objects.get(pk=people["new_file"].pk).file.name != ""
    # A second run finds nothing left to do.
    assert ": 0 done" in _run("--commit")


def test_inactive_policies_do_nothing(people):
    assert not RetentionPolicy.objects.filter(active=True).exists()  # as installed: the superuser turns them on
    assert "No active retention policy." in _run("--commit")
    assert not Candidate.objects.filter(erased_at__isnull=False).exists()


def test_the_policy_is_written_and_runs_daily():
    assert RetentionPolicy.objects.count() == 2
    assert all(p.text for p in RetentionPolicy.objects.all())
    assert settings.RANTAU_SCHEDULE["retention"]["task"] == "privacy.tasks.apply_retention_daily"


def test_only_the_superuser_edits_the_policy_in_the_admin(client, serang_admin, superuser):
    client.force_login(serang_admin)  # an agreement admin may open /admin/, not this page
    assert client.get("/admin/privacy/retentionpolicy/").status_code == 403
    client.force_login(superuser)
    assert client.get("/admin/privacy/retentionpolicy/").status_code == 200


def test_the_daily_schedule_queues_the_retention_job_which_erases_what_the_policy_matches(
    policies, people, django_capture_on_commit_callbacks
):
    from datetime import datetime, time

    from jobs.schedule import enqueue_due
    from tests.jobs.runner import run_jobs

    at = time.fromisoformat(settings.RANTAU_SCHEDULE["retention"]["at"])
    moment = timezone.make_aware(datetime.combine(TODAY, at)) + timedelta(minutes=1)
    assert "retention" in enqueue_due(now=moment)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_jobs() >= 1
    assert set(Candidate.objects.filter(erased_at__isnull=False).values_list("pk", flat=True)) == people["erase"]
