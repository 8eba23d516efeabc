"""Fixtures for agreements, partners and programmes (the standard cast is in tests/conftest.py)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from programmes.models import AgreementStage, AgreementStageEvent
from tests.factories import AgreementFactory, PartnerFactory, ProgrammeFactory

# The smallest file that is a PDF by content (magic bytes and a trailer).
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf_upload(name: str = "MoU signed.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploaded documents go to a temporary private folder, not var/private."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    return tmp_path


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The standard cast is created with passwords; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def serang_agreement(serang, today):
    """Serang's sister-city agreement, at the LoA stage for 10 days, with its first event."""
    agreement = AgreementFactory(
        municipality=serang, title="Kota kembar Serang–Changnyeong", stage_entered_on=today - timedelta(days=10)
    )
    AgreementStageEvent.objects.create(
        agreement=agreement, stage=AgreementStage.LOA, occurred_on=agreement.stage_entered_on, note="Menunggu LoA"
    )
    return agreement


@pytest.fixture
def blitar_agreement(blitar):
    return AgreementFactory(municipality=blitar, title="Kerja sama Blitar–Yeongdeok")


@pytest.fixture
def national_agreement(db):
    partner = PartnerFactory(municipality=None, name="JOE Cooperative")
    return AgreementFactory(municipality=None, partner=partner, title="Kemnaker–JOE", stage=AgreementStage.ACTIVE)


@pytest.fixture
def serang_programme(serang_agreement):
    return ProgrammeFactory(agreement=serang_agreement, name="Serang EPS")


@pytest.fixture
def blitar_programme(blitar_agreement):
    return ProgrammeFactory(agreement=blitar_agreement, name="Blitar seasonal")


@pytest.fixture
def national_programme(national_agreement):
    return ProgrammeFactory(agreement=national_agreement, name="TITP Japan")
