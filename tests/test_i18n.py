"""Bahasa Indonesia is complete: every catalogue entry is translated and the compiled file is current."""

import shutil
import subprocess

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from scripts.check_translations import DEFAULT as CATALOGUE
from scripts.check_translations import untranslated


def test_every_catalogue_entry_has_an_indonesian_translation():
    assert untranslated(CATALOGUE) == []


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext (msgfmt) is not installed")
def test_the_compiled_catalogue_matches_the_source(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(CATALOGUE)], check=True)
    assert compiled.read_bytes() == CATALOGUE.with_suffix(".mo").read_bytes(), "run `make messages` and commit"


def test_indonesian_is_the_default_and_english_the_second_language():
    assert settings.LANGUAGE_CODE == "id"
    assert [code for code, _ in settings.LANGUAGES] == ["id", "en"]
    with translation.override("id"):
        assert translation.gettext("Sign in to Rantau") == "Masuk ke Rantau"
    with translation.override("en"):
        assert translation.gettext("Sign in to Rantau") == "Sign in to Rantau"


@pytest.mark.django_db
def test_the_language_switch_sets_english_and_back():
    client = Client()
    assert "Masuk ke Rantau" in client.get("/accounts/login/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert "Sign in to Rantau" in client.get("/accounts/login/").content.decode()
    client.post("/i18n/setlang/", {"language": "id", "next": "/accounts/login/"})
    assert "Masuk ke Rantau" in client.get("/accounts/login/").content.decode()
