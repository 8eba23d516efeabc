"""Staff import a CSV whose last row is bad: the preview lists the rows it would create and the
error (row, column, message), saves nothing, and nothing can be imported until the file is fixed."""

import csv
import io
from datetime import date

import pytest

from candidates.models import Candidate
from tests.browser.conftest import login, submit
from tests.factories import CandidateFactory, make_nik

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

GOOD = [
    ("Ahmad Fauzi", "L", date(1996, 3, 9)),
    ("Siti Rahmawati", "P", date(1999, 11, 23)),
    ("Dedi Kurniawan", "L", date(2000, 1, 30)),
    ("Rina Marlina", "P", date(1994, 7, 4)),
]


def test_an_import_with_a_bad_row_previews_it_and_saves_nothing(page, shot, serang_staff, serang, private_storage):
    CandidateFactory.create_batch(3, municipality=serang)
    before = Candidate.objects.count()

    login(page, serang_staff.username)
    page.goto(page.base_url + "/candidates/")
    page.click("a[href='/candidates/import/']")
    page.wait_for_url("**/candidates/import/")
    shot("upload-form")

    # The headers come from the template the page offers.
    with page.expect_download() as download:
        page.click("a[href='/candidates/import/template.csv']")
    headers = download.value.path().read_text(encoding="utf-8-sig").strip().split(",")
    assert headers[:3] == ["nik", "nama_lengkap", "jenis_kelamin"]

    def row(nik, name, sex, born):
        values = {
            "nik": nik,
            "nama_lengkap": name,
            "jenis_kelamin": sex,
            "tanggal_lahir": born.isoformat(),
            "tempat_lahir": "Serang",
            "kecamatan": "36.73.01",
            "kelurahan": "36.73.01.1001",
            "pendidikan": "SMA",
        }
        return [values.get(header, "") for header in headers]

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for serial, (name, sex, born) in enumerate(GOOD, start=101):
        writer.writerow(row(make_nik(serang, born, "F" if sex == "P" else "M", serial=serial), name, sex, born))
    writer.writerow(row("36730109059", "Joko Susilo", "L", date(1997, 5, 9)))  # 11 digits: the bad row
    page.set_input_files(
        "#id_file", {"name": "pendaftar-oktober.csv", "mimeType": "text/csv", "buffer": out.getvalue().encode()}
    )
    submit(page, "[data-testid=import-form] button[type=submit]")
    page.wait_for_url("**/candidates/import/*/")

    summary = page.locator("[data-testid=import-summary]")
    counts = {key: summary.locator(f"[data-count={key}]").inner_text() for key in ("total", "create", "errors")}
    assert counts == {"total": "5", "create": "4", "errors": "1"}
    created_names = page.locator("section.col-lg-6").first.locator("tbody td:nth-child(2)").all_inner_texts()
    assert created_names == [name for name, _sex, _born in GOOD]
    error = page.locator("[data-testid=import-errors] tr[data-error-row]")
    assert error.count() == 1
    number, column, message = error.locator("td").all_inner_texts()
    assert (number, column) == ("6", "nik")  # the header is row 1 of the file
    assert message.strip()
    assert Candidate.objects.count() == before
    shot("preview-with-error")

    # No import button while the file has errors.
    assert page.locator("[data-testid=commit-form]").count() == 0
    assert page.locator("form[action$='/commit/']").count() == 0

    # A commit posted anyway (the cancel form turned into the commit form the page withholds) is refused.
    page.eval_on_selector(
        "form[action$='/cancel/']",
        """form => {
            form.action = form.action.replace(/cancel\\/$/, "commit/");
            form.insertAdjacentHTML("afterbegin", '<input type="hidden" name="on_existing" value="skip">');
        }""",
    )
    submit(page, "form[action$='/commit/'] button[type=submit]")
    page.wait_for_url("**/candidates/import/")
    assert page.locator(".alert-danger").count() == 1
    assert Candidate.objects.count() == before
    shot("commit-refused")
    assert page.console_errors == []
