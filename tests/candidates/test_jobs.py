"""Long exports and large imports run as jobs: the request only starts them, their page shows the
progress and how long they took, and the file is downloaded by the user who asked, and nobody else.
The thresholds are lowered so that a few rows count as "long"."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from candidates import exports, imports
from candidates.models import Candidate, PersonalDataRead
from jobs.models import UserJob
from tests.factories import CandidateFactory
from tests.jobs.runner import run_jobs

from .test_imports import csv_file, row, xlsx_file

EXPORT = reverse("candidates:candidate_export")
START = reverse("candidates:candidate_export_start")
IMPORT = reverse("candidates:candidate_import")


@pytest.fixture
def small_limits(monkeypatch):
    monkeypatch.setattr(exports, "IN_REQUEST_MAX_ROWS", 2)
    monkeypatch.setattr(imports, "IN_REQUEST_MAX_ROWS", 2)


def _job_page(client, job):
    return client.get(reverse("jobs:user_job_detail", args=[job.pk]))


@pytest.mark.django_db
def test_a_long_export_asks_first_then_runs_as_a_job_with_progress_and_a_private_download(
    small_limits, staff_client, blitar_client, serang, blitar
):
    wanted = [CandidateFactory(municipality=serang, sex="F") for _ in range(3)]
    CandidateFactory(municipality=serang, sex="M")
    CandidateFactory(municipality=blitar, sex="F")

    page = staff_client.get(EXPORT, {"format": "csv", "sex": "F"})
    assert page.status_code == 200 and "more than 2 candidates" in page.content.decode()
    assert not UserJob.objects.exists(), "a GET starts nothing"

    assert f'action="{START}?sex=F&amp;format=csv"' in page.content.decode()
    started = staff_client.post(f"{START}?sex=F&format=csv")
    job = UserJob.objects.get()
    assert started["Location"] == reverse("jobs:user_job_detail", args=[job.pk])
    waiting = _job_page(staff_client, job).content.decode()
    assert "Waiting for the background worker" in waiting and 'hx-trigger="every 1s"' in waiting

    assert run_jobs() == 1
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 3, 3)
    done = _job_page(
        staff_client,
        job,
    ).content.decode()
    assert "hx-trigger" not in done, "a finished job is not polled any more"
    assert "Done in" in done and "3 candidates exported." in done

    download = staff_client.get(reverse("jobs:user_job_download", args=[job.pk]))
    assert download["Cache-Control"] == "private, no-store"
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    names = sorted(r[0] for r in list(csv.reader(io.StringIO(text)))[1:])
    assert names == sorted(c.full_name for c in wanted)

    # Nobody else sees the job or its file, not even staff of another office (404, not 403).
    assert _job_page(blitar_client, job).status_code == 404
    assert blitar_client.get(reverse("jobs:user_job_download", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_a_long_xlsx_export_is_the_same_file_as_a_short_one(small_limits, staff_client, serang):
    for _ in range(3):
        CandidateFactory(municipality=serang)
    staff_client.post(f"{START}?format=xlsx")
    run_jobs()
    job = UserJob.objects.get()
    content = b"".join(staff_client.get(reverse("jobs:user_job_download", args=[job.pk])).streaming_content)
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Name", "NIK", "Sex") and len(rows) == 4
    # Staff get full NIKs: the file name says so, and the read log has the export (one row, 3 people).
    assert job.file_name.endswith("-NIK-lengkap.xlsx")
    read = PersonalDataRead.objects.get()
    assert (read.kind, read.rows, read.full_identifiers, read.filters) == ("export", 3, True, {})
    assert read.route == "candidates:candidate_export_start" and read.user == job.requested_by


@pytest.mark.django_db
def test_a_short_export_stays_in_the_request(staff_client, serang):
    CandidateFactory(municipality=serang)
    response = staff_client.get(EXPORT, {"format": "csv"})
    assert response["Content-Disposition"].startswith("attachment;")
    # Asked to start a job for it anyway, it sends to the download instead.
    assert staff_client.post(f"{START}?format=csv")["Location"] == f"{EXPORT}?format=csv"
    assert staff_client.get(f"{START}?format=csv")["Location"] == "/candidates/?format=csv"  # a reload: the list
    assert not UserJob.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("make_file", [csv_file, xlsx_file], ids=["csv", "xlsx"])
def test_a_large_import_is_checked_and_committed_by_jobs(small_limits, monkeypatch, staff_client, serang, make_file):
    monkeypatch.setattr(imports, "XLSX_BYTES_PER_ROW", 10)
    rows = [row(serang, n) for n in range(5)]
    upload = staff_client.post(IMPORT, {"file": make_file(rows)})
    check = UserJob.objects.get(kind="candidate-import-check")
    assert upload["Location"] == reverse("jobs:user_job_detail", args=[check.pk])
    assert run_jobs() == 1
    check.refresh_from_db()
    assert (check.status, check.done, check.total) == ("done", 5, 5)
    page = _job_page(staff_client, check).content.decode()
    assert "5 rows checked: 5 new, 0 already registered, 0 errors." in page
    preview_url = check.result["next_url"]
    assert staff_client.get(preview_url).status_code == 200

    commit = staff_client.post(preview_url + "commit/", {"on_existing": "skip"})
    job = UserJob.objects.get(kind="candidate-import")
    assert commit["Location"] == reverse("jobs:user_job_detail", args=[job.pk])
    assert not Candidate.objects.exists(), "the request only starts the job"
    assert run_jobs() == 1
    job.refresh_from_db()
    assert job.status == "done" and Candidate.objects.count() == 5
    assert (
        "Import finished: 5 created, 0 updated, 0 unchanged, 0 skipped."
        in _job_page(staff_client, job).content.decode()
    )


@pytest.mark.django_db
def test_a_large_file_with_a_bad_header_fails_its_job_with_the_reason(small_limits, staff_client, serang):
    rows = [row(serang, n) for n in range(5)]
    staff_client.post(IMPORT, {"file": csv_file(rows, headers=["nik", "nama_lengkap"])})
    run_jobs()
    job = UserJob.objects.get()
    assert job.status == "failed" and "Wrong headers" in job.error
    page = _job_page(staff_client, job).content.decode()
    assert "Wrong headers" in page and reverse("candidates:candidate_import") in page
