"""Hostile text in form fields: SQL and template metacharacters, 4,000-character strings, control
characters, right-to-left overrides and emoji in names.

Every edit form is submitted the way a browser would (the values scraped from its page), with one
field replaced. A refused value gets a message next to its field and leaves the record as it was;
an accepted one is stored verbatim and shown escaped, never evaluated.

Decisions: control characters (C0/C1 but tab and newlines) and the bidi embeddings, overrides and
isolates (U+202A–U+202E, U+2066–U+2069, which make text display in another order than it is stored)
are refused in every text field of the app's forms. A person's name also refuses other invisible
formatting characters (zero-width space, soft hyphen …) and emoji or symbols: Indonesian names have
neither, and a name is matched against documents, so refusing is safer than stripping silently.
"""

import csv
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from candidates.models import Candidate
from programmes.models import AgreementStage, AgreementStageEvent
from tests.factories import candidate_form_data
from tests.security.conftest import field_errors, form_values, stored_files

pytestmark = pytest.mark.django_db

EN = {"language": "en"}
NEW_CANDIDATE = reverse("candidates:candidate_create")

SQL = "'; DROP TABLE candidates_candidate; --"
TEMPLATE_VARIABLE = "{{ settings.SECRET_KEY }}"
TEMPLATE_TAG = "{% debug %}"
SCRIPT = "<script>alert(1)</script>"
CONTROL_MESSAGE = "Remove the invisible control characters (such as ESC, a bell or a right-to-left override)."
NUL_MESSAGE = "Null characters are not allowed."
EMOJI_MESSAGE = "A name cannot contain emoji or symbols."
INVISIBLE_MESSAGE = "A name cannot contain invisible characters such as a zero-width space; type it again."

# (record, client fixture, edit URL, field, its max length or None for free text)
EDIT_FIELDS = [
    ("candidate", "staff_client", "/candidates/{pk}/edit/", "full_name", 150),
    ("candidate", "staff_client", "/candidates/{pk}/edit/", "birth_place", 100),
    ("candidate", "staff_client", "/candidates/{pk}/edit/", "address", 255),
    ("candidate", "staff_client", "/candidates/{pk}/edit/", "notes", None),
    ("placement", "staff_client", "/placements/{pk}/edit/", "employer", 200),
    ("placement", "staff_client", "/placements/{pk}/edit/", "visa_number", 50),
    ("agreement", "admin_client_serang", "/agreements/{pk}/edit/", "title", 250),
    ("agreement", "admin_client_serang", "/agreements/{pk}/edit/", "summary", None),
    ("partner", "admin_client_serang", "/agreements/partners/{pk}/edit/", "name", 200),
    ("partner", "admin_client_serang", "/agreements/partners/{pk}/edit/", "contact", None),
    ("programme", "admin_client_serang", "/programmes/{pk}/edit/", "name", 200),
    ("programme", "admin_client_serang", "/programmes/{pk}/edit/", "description", None),
    ("cohort", "staff_client", "/placements/cohorts/{pk}/edit/", "name", 150),
    ("cohort", "staff_client", "/placements/cohorts/{pk}/edit/", "employers", None),
    ("batch", "staff_client", "/placements/training/{pk}/edit/", "name", 200),
    ("provider", "staff_client", "/placements/training/providers/{pk}/edit/", "address", 255),
]
FIELD_IDS = [f"{record}-{field}" for record, _client, _url, field, _max in EDIT_FIELDS]
BOUNDED = [p for p in EDIT_FIELDS if p[4] is not None]
FREE_TEXT = [p for p in EDIT_FIELDS if p[4] is None]


class EditForm:
    """One record's edit form, submitted as a browser would with one field changed."""

    def __init__(self, request, world, record, client_name, url, field, max_length=None):
        self.max_length = max_length
        self.instance = world[record]
        self.client = request.getfixturevalue(client_name)
        self.url = url.format(pk=self.instance.pk)
        self.field = field
        page = self.client.get(self.url, **EN)
        assert page.status_code == 200
        self.values = form_values(page, field)
        self.before = self._snapshot()

    def post(self, value: str):
        # A visa number comes with its issue date (the form refuses one without the other).
        partner = {"visa_issued_on": "2026-01-10"} if self.field == "visa_number" else {}
        return self.client.post(self.url, {**self.values, **partner, self.field: value}, **EN)

    def _snapshot(self):
        self.instance.refresh_from_db()
        return getattr(self.instance, self.field), getattr(self.instance, "updated_at", None)

    def assert_unchanged(self):
        assert self._snapshot() == self.before

    def saved_value(self):
        self.instance.refresh_from_db()
        return getattr(self.instance, self.field)


@pytest.fixture
def edit_form(request, serang_world):
    record, client_name, url, field, max_length = request.param
    return EditForm(request, serang_world, record, client_name, url, field, max_length)


def _assert_refused(response, field: str, message: str):
    assert response.status_code in (200, 400), response.status_code
    assert message in field_errors(response, field)


# --- every edit form -----------------------------------------------------------------------------------


@pytest.mark.parametrize("edit_form", BOUNDED, ids=[f"{p[0]}-{p[3]}" for p in BOUNDED], indirect=True)
def test_a_4000_character_value_is_refused_with_the_length_message(edit_form):
    response = edit_form.post("A" * 4000)
    message = f"Ensure this value has at most {edit_form.max_length} characters (it has 4000)."
    _assert_refused(response, edit_form.field, message)
    edit_form.assert_unchanged()


@pytest.mark.parametrize("edit_form", FREE_TEXT, ids=[f"{p[0]}-{p[3]}" for p in FREE_TEXT], indirect=True)
def test_a_4000_character_free_text_is_saved_whole(edit_form):
    text = ("Catatan panjang. " * 250)[:4000].strip()
    response = edit_form.post(text)
    assert response.status_code == 302
    assert edit_form.saved_value() == text


@pytest.mark.parametrize(
    ("character", "message"),
    [("\x00", NUL_MESSAGE), ("\x1b", CONTROL_MESSAGE), ("\x07", CONTROL_MESSAGE), ("\u202e", CONTROL_MESSAGE)],
    ids=["nul", "escape", "bell", "right-to-left-override"],
)
@pytest.mark.parametrize("edit_form", EDIT_FIELDS, ids=FIELD_IDS, indirect=True)
def test_control_characters_are_refused_next_to_the_field(edit_form, character, message):
    response = edit_form.post(f"Nur{character}Agies")
    _assert_refused(response, edit_form.field, message)
    edit_form.assert_unchanged()


@pytest.mark.parametrize(
    "value", [SQL, TEMPLATE_VARIABLE, TEMPLATE_TAG], ids=["sql", "template-variable", "template-tag"]
)
@pytest.mark.parametrize("edit_form", EDIT_FIELDS, ids=FIELD_IDS, indirect=True)
def test_sql_and_template_metacharacters_are_stored_as_plain_text(edit_form, value):
    response = edit_form.post(value)
    assert response.status_code == 302
    assert edit_form.saved_value() == value
    assert Candidate.objects.count() >= 1  # the table is still there


@pytest.mark.parametrize(
    "character",
    ["\x7f", "\x9b", "\u202a", "\u202d", "\u2066", "\u2069"],
    ids=[
        "delete",
        "c1-control-sequence-introducer",
        "left-to-right-embedding",
        "left-to-right-override",
        "isolate",
        "pop-isolate",
    ],
)
def test_other_control_and_bidi_characters_are_refused_too(staff_client, serang_world, character):
    form = EditForm(
        _Request(staff_client), serang_world, "candidate", "staff_client", "/candidates/{pk}/edit/", "notes"
    )
    response = form.post(f"Catatan {character}penting")
    assert field_errors(response, "notes") == [CONTROL_MESSAGE]
    form.assert_unchanged()


def test_free_text_keeps_its_line_breaks_and_tabs(staff_client, serang_world):
    form = EditForm(
        _Request(staff_client), serang_world, "candidate", "staff_client", "/candidates/{pk}/edit/", "notes"
    )
    response = form.post("Line one\r\n\tLine two")
    assert response.status_code == 302
    assert form.saved_value() == "Line one\r\n\tLine two"


class _Request:
    """Enough of pytest's request for EditForm when a test already holds its client."""

    def __init__(self, client):
        self.client = client

    def getfixturevalue(self, _name):
        return self.client


# --- candidate entry: names ------------------------------------------------------------------------------


def _create(client, **overrides):
    return client.post(NEW_CANDIDATE, candidate_form_data(**overrides), **EN)


@pytest.mark.parametrize(
    "name",
    ["Nur Agies 😀", "Budi Santoso 👍🏽", "Siti ❤️ Aminah", "🇮🇩 Sari Dewi", "Dewi ★ Lestari", "Rina ☺"],
    ids=["grinning-face", "thumbs-up-with-skin-tone", "heart", "flag", "star", "smiley"],
)
def test_a_name_with_emoji_or_symbols_is_refused_politely(staff_client, name):
    response = _create(staff_client, full_name=name)
    assert field_errors(response, "full_name") == [EMOJI_MESSAGE]
    assert not Candidate.objects.exists()


@pytest.mark.parametrize(
    "name",
    ["Nur\u200bAgies", "Nur\u00adAgies", "\ufeffNur Agies", "Nur\u200dAgies", "Nur\u200fAgies"],
    ids=["zero-width-space", "soft-hyphen", "byte-order-mark", "zero-width-joiner", "right-to-left-mark"],
)
def test_a_name_with_invisible_formatting_characters_is_refused(staff_client, name):
    response = _create(staff_client, full_name=name)
    assert field_errors(response, "full_name") == [INVISIBLE_MESSAGE]
    assert not Candidate.objects.exists()


def test_a_name_with_a_right_to_left_override_is_refused(staff_client):
    # "Nur Agies" followed by an override would display the rest of the line reversed.
    response = _create(staff_client, full_name="Nur \u202eseigA")
    assert field_errors(response, "full_name") == [CONTROL_MESSAGE]
    assert not Candidate.objects.exists()


@pytest.mark.parametrize(
    "name",
    [
        "Nur'aini",
        "Ma`ruf Amin",
        "Muh. Rizky Ramadhan",
        "Ni Luh Putu Ayu",
        "Siti Nur-Halimah",
        "A. Rahman, S.Pd.",
        "Désirée Tan",
        "I Gusti Ngurah Rai",
    ],
)
def test_real_indonesian_names_are_accepted(staff_client, name):
    response = _create(staff_client, full_name=name)
    assert response.status_code == 302
    assert Candidate.objects.get().full_name == name


@pytest.mark.parametrize(
    ("field", "max_length"),
    [("full_name", 150), ("birth_place", 100), ("address", 255), ("nik", 32), ("phone", 32)],
)
def test_a_4000_character_entry_is_refused_with_the_length_message(staff_client, field, max_length):
    response = _create(staff_client, **{field: "7" * 4000 if field in ("nik", "phone") else "A" * 4000})
    assert f"Ensure this value has at most {max_length} characters (it has 4000)." in field_errors(response, field)
    assert not Candidate.objects.exists()


def test_a_4000_character_email_is_refused(staff_client):
    response = _create(staff_client, email="a" * 3990 + "@mail.test")
    assert "Enter a valid email address." in field_errors(response, "email")
    assert not Candidate.objects.exists()


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x07"], ids=["nul", "escape", "bell"])
@pytest.mark.parametrize("field", ["full_name", "birth_place", "address", "notes", "phone", "nik"])
def test_control_characters_in_a_new_candidate_are_refused(staff_client, field, character):
    data = candidate_form_data()
    data[field] = data[field][:3] + character + data[field][3:] if data[field] else f"ab{character}cd"
    response = staff_client.post(NEW_CANDIDATE, data, **EN)
    assert response.status_code == 200
    assert field_errors(response, field), f"no message next to {field}"
    assert not Candidate.objects.exists()


def test_metacharacters_in_a_candidate_are_shown_escaped_and_never_evaluated(staff_client):
    name = f"{SCRIPT} {TEMPLATE_VARIABLE} {TEMPLATE_TAG}"
    response = _create(staff_client, full_name=name, notes=f"{SQL}\n{TEMPLATE_VARIABLE}", address=TEMPLATE_TAG)
    assert response.status_code == 302
    candidate = Candidate.objects.get()
    assert candidate.full_name == name and candidate.address == TEMPLATE_TAG
    for url in (f"/candidates/{candidate.pk}/", "/candidates/", f"/candidates/{candidate.pk}/edit/"):
        body = staff_client.get(url, **EN).content.decode()
        assert SCRIPT not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body, url
        assert TEMPLATE_VARIABLE in body and TEMPLATE_TAG in body, url
        assert settings.SECRET_KEY not in body, url
        assert "sql_queries" not in body and "{'DEFAULT_MESSAGE_LEVELS'" not in body, url


def test_sql_metacharacters_in_the_search_box_find_nothing_and_harm_nothing(staff_client, serang_world):
    response = staff_client.get("/candidates/", {"q": SQL}, **EN)
    assert response.status_code == 200
    assert Candidate.objects.filter(pk=serang_world["candidate"].pk).exists()
    assert serang_world["candidate"].full_name not in response.content.decode()


def test_a_refused_edit_leaves_the_candidate_and_its_version_as_they_were(staff_client, serang_world):
    candidate = serang_world["candidate"]
    version = candidate.version
    form = EditForm(
        _Request(staff_client), serang_world, "candidate", "staff_client", "/candidates/{pk}/edit/", "full_name"
    )
    response = form.post("Nur Agies 😀")
    assert field_errors(response, "full_name") == [EMOJI_MESSAGE]
    candidate.refresh_from_db()
    assert candidate.version == version


# --- placements and agreements: the moves ------------------------------------------------------------


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\u202e"], ids=["nul", "escape", "right-to-left-override"])
@pytest.mark.parametrize("field", ["note", "reason"])
def test_a_placement_move_with_control_characters_is_refused(staff_client, serang_world, field, character):
    placement = serang_world["placement"]
    page = staff_client.get(f"/placements/{placement.pk}/", **EN)
    values = form_values(page, "to_stage")
    response = staff_client.post(f"/placements/{placement.pk}/move/", {**values, field: f"ok{character}ok"}, **EN)
    assert response.status_code == 200
    assert field_errors(response, field)
    placement.refresh_from_db()
    assert placement.stage == "registered" and not placement.stage_events.exists()


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\u202e"], ids=["nul", "escape", "right-to-left-override"])
@pytest.mark.parametrize("field", ["note", "reason"])
def test_an_agreement_stage_move_with_control_characters_is_refused(
    admin_client_serang, serang_world, private_storage, field, character
):
    agreement = serang_world["agreement"]
    stage = agreement.stage
    data = {"stage": AgreementStage.MOU_SIGNED, "occurred_on": agreement.stage_entered_on.isoformat()}
    data |= {"note": "MoU", "reason": "", field: f"ok{character}ok"}
    response = admin_client_serang.post(f"/agreements/{agreement.pk}/move/", data, **EN)
    assert response.status_code == 400
    assert field_errors(response, field)
    agreement.refresh_from_db()
    assert agreement.stage == stage and AgreementStageEvent.objects.filter(agreement=agreement).count() == 1
    assert stored_files(private_storage) == []


def test_metacharacters_in_an_agreement_are_shown_escaped(admin_client_serang, serang_world):
    agreement = serang_world["agreement"]
    form = EditForm(
        _Request(admin_client_serang),
        serang_world,
        "agreement",
        "admin_client_serang",
        "/agreements/{pk}/edit/",
        "title",
    )
    assert form.client.post(form.url, {**form.values, "title": SCRIPT, "summary": TEMPLATE_VARIABLE}).status_code == 302
    body = admin_client_serang.get(f"/agreements/{agreement.pk}/", **EN).content.decode()
    assert SCRIPT not in body and "&lt;script&gt;" in body
    assert TEMPLATE_VARIABLE in body and settings.SECRET_KEY not in body


def test_metacharacters_in_a_placement_are_shown_escaped(staff_client, serang_world):
    placement = serang_world["placement"]
    form = EditForm(
        _Request(staff_client), serang_world, "placement", "staff_client", "/placements/{pk}/edit/", "employer"
    )
    assert form.post(f"{SCRIPT}{TEMPLATE_VARIABLE}").status_code == 302
    body = staff_client.get(f"/placements/{placement.pk}/", **EN).content.decode()
    assert SCRIPT not in body and "&lt;script&gt;" in body
    assert TEMPLATE_VARIABLE in body and settings.SECRET_KEY not in body


# --- the import applies the same rules --------------------------------------------------------------


def test_the_import_refuses_rows_with_emoji_names_or_control_characters(staff_client, private_storage):
    rows = []
    for serial, (name, place) in enumerate(
        [("Nur Agies 😀", "Serang"), ("Budi Santoso", "Ser\x1bang"), ("Sari \u202eiweD", "Serang")], start=1
    ):
        data = candidate_form_data(serial=serial)
        rows.append(
            [data["nik"], name, "L", data["birth_date"], place, data["kecamatan_code"], data["kelurahan_code"], "SMA"]
        )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "nik",
            "nama_lengkap",
            "jenis_kelamin",
            "tanggal_lahir",
            "tempat_lahir",
            "kecamatan",
            "kelurahan",
            "pendidikan",
        ]
    )
    writer.writerows(rows)
    upload = SimpleUploadedFile("kandidat.csv", out.getvalue().encode(), content_type="text/csv")
    response = staff_client.post(reverse("candidates:candidate_import"), {"file": upload}, follow=True, **EN)
    body = response.content.decode()
    assert EMOJI_MESSAGE in body and CONTROL_MESSAGE in body
    assert body.count(CONTROL_MESSAGE) == 2
    # The preview is kept for the user to read; no committable rows and no candidate.
    assert not [p for p in stored_files(private_storage) if p.name.endswith("rows.json")]
    assert not Candidate.objects.exists()


# --- tampered choices, ids and formset counts in POSTs -----------------------------------------------------

HUGE = "99999999999999999999"  # past PostgreSQL's bigint


def _pipeline_snapshot(world) -> tuple:
    from placements.models import Enrolment, Placement

    placement = Placement.objects.get(pk=world["placement"].pk)
    enrolment = Enrolment.objects.get(pk=world["enrolment"].pk)
    return (
        Placement.objects.count(),
        Enrolment.objects.count(),
        placement.stage,
        placement.version,
        placement.cohort_id,
        placement.occupation_id,
        enrolment.attended_hours,
        enrolment.result,
    )


@pytest.mark.parametrize(
    "bad", ["abc", HUGE, "-1", "1.5", "\x00", ""], ids=["letters", "huge", "negative", "fraction", "nul", "empty"]
)
def test_tampered_ids_and_choices_in_pipeline_posts_change_nothing(staff_client, serang_world, bad):
    w = serang_world
    placement, batch, cohort = w["placement"], w["batch"], w["cohort"]
    posts = [
        ("/placements/start/", {"programme": bad, "candidates": [bad], "occupation": bad}),
        ("/placements/start/", {"programme": placement.programme_id, "candidates": [bad]}),
        ("/placements/bulk-move/", {"placements": [bad], "to_stage": "documents_verified"}),
        ("/placements/bulk-move/", {"placements": [placement.pk], "to_stage": bad}),
        (f"/placements/cohorts/{cohort.pk}/add/", {"placements": [bad]}),
        (f"/placements/training/{batch.pk}/enrol/", {"placements": [bad]}),
        (f"/placements/{placement.pk}/move/", {"to_stage": bad, "version": placement.version}),
        (f"/placements/{placement.pk}/move/", {"to_stage": "documents_verified", "version": bad}),
        (f"/placements/{placement.pk}/edit/", {"occupation": bad, "version": bad}),
        (f"/placements/training/{batch.pk}/results/", {"form-TOTAL_FORMS": bad, "form-INITIAL_FORMS": bad}),
    ]
    before = _pipeline_snapshot(w)
    for url, data in posts:
        response = staff_client.post(url, data, **EN)
        assert response.status_code < 500, url
    assert _pipeline_snapshot(w) == before


def test_a_results_formset_claiming_millions_of_rows_is_refused_with_a_message(staff_client, serang_world):
    batch, enrolment = serang_world["batch"], serang_world["enrolment"]
    data = {
        "form-TOTAL_FORMS": HUGE,
        "form-INITIAL_FORMS": HUGE,
        "form-0-id": enrolment.pk,
        "form-0-attended_hours": "100",
        "form-0-result": "passed",
    }
    response = staff_client.post(f"/placements/training/{batch.pk}/results/", data, **EN)
    assert response.status_code == 200
    assert "Please submit at most 1000 forms." in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.attended_hours != 100
