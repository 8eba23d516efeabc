"""The language switch turns the same pages into English and back: the candidate list, a candidate's
page and the placement board, each staying on the page it was pressed on."""

from datetime import date

import pytest

from tests.browser.conftest import login, submit
from tests.factories import CandidateFactory, DocumentFactory, PlacementFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def switch(page, language: str):
    submit(page, f"[data-testid=language-switch] button[name=language][value={language}]")
    assert page.locator("html").get_attribute("lang") == language


def texts(page, selector: str) -> list[str]:
    return [text.strip() for text in page.locator(selector).all_inner_texts()]


def test_the_language_switch_turns_the_same_pages_into_english_and_back(page, shot, serang_staff, serang):
    programme = ProgrammeFactory(agreement__municipality=serang, name="Serang–Changnyeong")
    candidate = CandidateFactory(municipality=serang, full_name="Budi Santoso", sex="M", birth_date=date(1999, 5, 14))
    DocumentFactory(candidate=candidate, doc_type="passport")
    PlacementFactory(candidate=candidate, programme=programme, stage="documents_verified")

    login(page, serang_staff.username)
    pages = [
        ("candidate-list", "/candidates/"),
        ("candidate-detail", f"/candidates/{candidate.pk}/"),
        ("placement-board", f"/placements/?programme={programme.pk}"),
    ]
    # What each page shows in Indonesian and in English (labels the Indonesian catalogue has).
    expected = {
        "candidate-list": {
            "id": [
                ("h1", "Calon pekerja"),
                ("thead", "Jenis kelamin"),
                ("tbody", "Laki-laki"),
                ("tbody", "Dokumen terverifikasi"),
            ],
            "en": [("h1", "Candidates"), ("thead", "Sex"), ("tbody", "Male"), ("tbody", "Documents verified")],
        },
        "candidate-detail": {
            "id": [
                ("[data-testid=profile]", "Tempat, tanggal lahir"),
                ("[data-testid=profile]", "14 Mei 1999"),
                ("[data-testid=documents] tbody", "Paspor"),
                ("#placements-heading", "Penempatan"),
                ("#documents-heading", "Dokumen"),
            ],
            "en": [
                ("[data-testid=profile]", "Birth"),
                ("[data-testid=profile]", "14 May 1999"),
                ("[data-testid=documents] tbody", "Passport"),
                ("#placements-heading", "Placements"),
                ("#documents-heading", "Documents"),
            ],
        },
        "placement-board": {
            "id": [
                ("[data-column=registered] h2", "Terdaftar"),
                ("[data-column=documents_verified] h2", "Dokumen terverifikasi"),
                ("[data-column=departed] h2", "Berangkat"),
            ],
            "en": [
                ("[data-column=registered] h2", "Registered"),
                ("[data-column=documents_verified] h2", "Documents verified"),
                ("[data-column=departed] h2", "Departed"),
            ],
        },
    }

    def check(name: str, language: str):
        for selector, label in expected[name][language]:
            shown = " ".join(texts(page, selector))
            assert label in shown, f"{name} in {language}: {label!r} not in {shown!r}"
        nav = page.locator("nav#nav")
        assert nav.get_by_role("link", name="Calon pekerja" if language == "id" else "Candidates").is_visible()
        assert nav.get_by_role("link", name="Penempatan" if language == "id" else "Placements").is_visible()

    for name, path in pages:
        page.goto(page.base_url + path)
        assert page.locator("html").get_attribute("lang") == "id"
        check(name, "id")
        shot(f"{name}-id")

        switch(page, "en")
        assert page.url == page.base_url + path  # the switch stays on the page
        check(name, "en")
        assert "Dokumen terverifikasi" not in page.locator("main").inner_text()
        shot(f"{name}-en")

        switch(page, "id")
        assert page.url == page.base_url + path
        check(name, "id")

    assert page.console_errors == []
