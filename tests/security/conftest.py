"""Fixtures for the security tests. The standard cast comes from tests/conftest.py; every user
there has the password PASSWORD."""

import pytest
from django.test import Client

PASSWORD = "correct-horse-battery"
LOGIN_URL = "/accounts/login/"


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra):
    """Sign in through the login form, as a browser does (axes needs the request, which
    client.login() does not pass)."""
    return client.post(LOGIN_URL, {"username": username, "password": password}, **extra)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """These tests sign in hundreds of times; the hash's strength is not what they check."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def english(settings):
    """Requests in English, for assertions on visible text."""
    return {"language": "en"}


@pytest.fixture
def serang_world(serang):
    """One of each kind of record in Serang, so that every detail and edit page has something to show."""
    from programmes.models import AgreementStageEvent
    from tests.factories import (
        CandidateFactory,
        CohortFactory,
        DocumentFactory,
        EnrolmentFactory,
        LanguageResultFactory,
        PlacementFactory,
        TrainingBatchFactory,
    )

    candidate = CandidateFactory(municipality=serang)
    document = DocumentFactory(candidate=candidate)
    language = LanguageResultFactory(candidate=candidate)
    placement = PlacementFactory(candidate=candidate)
    programme = placement.programme
    batch = TrainingBatchFactory(programme=programme, provider__municipality=serang)
    enrolment = EnrolmentFactory(batch=batch, placement=placement)
    cohort = CohortFactory(programme=programme)
    event = AgreementStageEvent.objects.create(
        agreement=programme.agreement, stage=programme.agreement.stage, occurred_on=programme.agreement.stage_entered_on
    )
    return {
        "candidate": candidate,
        "document": document,
        "language_result": language,
        "placement": placement,
        "programme": programme,
        "agreement": programme.agreement,
        "partner": programme.agreement.partner,
        "batch": batch,
        "provider": batch.provider,
        "enrolment": enrolment,
        "cohort": cohort,
        "stage_event": event,
    }


# --- bad input (test_bad_input_*.py) ---------------------------------------------------------------


@pytest.fixture
def private_storage(settings, tmp_path):
    """Uploads land in a fresh private folder, so a test can see every file left behind."""
    root = tmp_path / "private"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root)}},
    }
    return root


def stored_files(root) -> list:
    """Every file under a storage folder (empty folders do not count)."""
    return sorted(p for p in root.rglob("*") if p.is_file())


def field_errors(response, name: str) -> list[str]:
    """The error messages shown next to one form field (the data-field-error markup of every _field.html)."""
    import html
    import re

    body = response.content.decode()
    return [html.unescape(m) for m in re.findall(rf'data-field-error="{re.escape(name)}">(.*?)</div>', body, re.S)]


def raw_multipart(fields: dict[str, str], file_field: str, filename: bytes, content: bytes, content_type: str):
    """A multipart body written by hand, so the file name reaches the server byte for byte (the test
    client keeps only the base name of a file, hiding `../` and friends)."""
    boundary = b"----rantau-bad-input-boundary"
    parts = []
    for key, value in fields.items():
        parts.append(
            b"--" + boundary + b"\r\n"
            b'Content-Disposition: form-data; name="' + key.encode() + b'"\r\n\r\n' + value.encode() + b"\r\n"
        )
    parts.append(
        b"--" + boundary + b"\r\n"
        b'Content-Disposition: form-data; name="' + file_field.encode() + b'"; filename="' + filename + b'"\r\n'
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + content + b"\r\n"
    )
    body = b"".join(parts) + b"--" + boundary + b"--\r\n"
    return body, "multipart/form-data; boundary=" + boundary.decode()


def form_values(response, field: str) -> dict[str, str | list[str]]:
    """What a browser would submit from the page's form that holds `field`: text, hidden and date
    inputs, ticked boxes, selected options (else a single select's first) and textareas; no files."""
    from html.parser import HTMLParser

    class Forms(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.forms: list[list[tuple[str, str]]] = []
            self.select: dict | None = None
            self.textarea: str | None = None
            self.text = ""

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "form":
                self.forms.append([])
            elif tag == "option" and self.select is not None:
                value = a.get("value", "")
                self.select["first"] = value if self.select["first"] is None else self.select["first"]
                if "selected" in a:
                    self.select["chosen"].append(value)
            elif not self.forms or "name" not in a or "disabled" in a:
                return
            elif tag == "input" and a.get("type", "text") not in ("file", "submit", "button", "reset", "image"):
                if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                    return
                self.forms[-1].append((a["name"], a.get("value", "on" if a.get("type") == "checkbox" else "")))
            elif tag == "select":
                self.select = {"name": a["name"], "multiple": "multiple" in a, "first": None, "chosen": []}
            elif tag == "textarea":
                self.textarea, self.text = a["name"], ""

        def handle_data(self, data):
            if self.textarea is not None:
                self.text += data

        def handle_endtag(self, tag):
            if tag == "textarea" and self.textarea is not None:
                self.forms[-1].append((self.textarea, self.text.removeprefix("\n")))
                self.textarea = None
            elif tag == "select" and self.select is not None:
                chosen = self.select["chosen"]
                if not chosen and not self.select["multiple"] and self.select["first"] is not None:
                    chosen = [self.select["first"]]
                self.forms[-1].extend((self.select["name"], value) for value in chosen)
                self.select = None

    parser = Forms()
    parser.feed(response.content.decode())
    for pairs in parser.forms:
        if any(name == field for name, _value in pairs):
            values: dict[str, str | list[str]] = {}
            for name, value in pairs:
                if name in values:
                    existing = values[name]
                    values[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
                else:
                    values[name] = value
            return values
    raise AssertionError(f"no form with a field {field!r} on the page")
