"""Jobs users start from a page: started in the request's transaction, run once, an unexpected error
ends them "failed" with a short message (the traceback goes to the failed-jobs list), old ones and
their files are pruned."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs.models import UserJob
from jobs.services import user_job_start, user_jobs_prune

from .runner import run_jobs
from .tasks import broken, count_to

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    return tmp_path


def test_a_job_started_in_a_request_that_rolls_back_leaves_nothing(serang_staff):
    with pytest.raises(RuntimeError), transaction.atomic():
        user_job_start(user=serang_staff, kind="count", label="Count", job=count_to, n=3)
        raise RuntimeError("the request failed")
    assert not UserJob.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_a_job_runs_once_with_its_progress_and_its_duration(serang_staff):
    job = user_job_start(user=serang_staff, kind="count", label="Count", job=count_to, n=3)
    assert (job.status, job.municipality_id, job.language) == ("queued", serang_staff.municipality_id, "id")
    assert run_jobs() == 1
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent) == ("done", 3, 3, 100)
    assert job.result["message"] == "counted to 3"
    assert job.started_at <= job.finished_at and job.seconds_taken >= 0

    # The same job queued again (a duplicated queue row) does nothing.
    again = count_to.enqueue(str(job.pk), n=99)
    assert run_jobs() == 1
    assert DBTaskResult.objects.get(pk=again.id).return_value == "not run again: done"
    job.refresh_from_db()
    assert job.total == 3


def test_an_unexpected_error_fails_the_job_with_a_short_message_and_keeps_the_traceback(serang_staff):
    job = user_job_start(user=serang_staff, kind="broken", label="Broken", job=broken)
    run_jobs()
    job.refresh_from_db()
    assert job.status == "failed" and job.finished_at is not None
    assert "ZeroDivisionError" not in job.error and job.error
    row = DBTaskResult.objects.get()
    assert row.status == "FAILED" and "ZeroDivisionError: a bug" in row.traceback


def test_old_jobs_and_their_files_are_pruned(serang_staff, settings, private_storage):
    old = user_job_start(user=serang_staff, kind="count", label="Old", job=count_to, n=1)
    fresh = user_job_start(user=serang_staff, kind="count", label="Fresh", job=count_to, n=1)
    run_jobs()
    old.refresh_from_db()
    old.file.save("old.csv", ContentFile(b"nik\n"), save=False)
    old.finished_at = timezone.now() - timedelta(days=settings.JOB_FILES_KEEP_DAYS + 1)
    old.save()
    stored = private_storage / old.file.name
    assert stored.exists()
    assert user_jobs_prune() == 1
    assert list(UserJob.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not stored.exists()


def test_the_job_page_and_download_need_a_login(client, serang_staff):
    job = user_job_start(user=serang_staff, kind="count", label="Count", job=count_to, n=1)
    for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/download/"):
        assert "/login/" in client.get(url)["Location"]


def test_a_job_without_a_file_has_nothing_to_download(staff_client, serang_staff):
    job = user_job_start(user=serang_staff, kind="count", label="Count", job=count_to, n=1)
    run_jobs()
    assert staff_client.get(f"/jobs/{job.pk}/download/").status_code == 404
    assert staff_client.get(f"/jobs/{job.pk}/").status_code == 200
