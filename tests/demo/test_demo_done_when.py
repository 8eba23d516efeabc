"""Issue 4's "done when", on the demo data: the Serang–Changnyeong agreement moves from the LoA to
"MoU signed" with the signed MoU attached; the official reads the same timeline; the Serang
programme's shortlist gives reasons."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from demo.builder import DemoBuilder
from programmes.models import Agreement, AgreementStage, Programme
from tests.clients import LanguageClient
from tests.programmes.conftest import pdf_upload

pytestmark = pytest.mark.django_db
EN = {"language": "en"}


@pytest.fixture
def demo(db):
    DemoBuilder(timezone.localdate()).build()
    return {
        "agreement": Agreement.objects.get(title="Kota kembar Serang–Changnyeong"),
        "programme": Programme.objects.get(name__startswith="Serang–Changnyeong"),
    }


def _client(username: str) -> Client:
    client = LanguageClient()
    client.force_login(User.objects.get(username=username))
    return client


def test_done_when_on_the_demo_data(demo):
    """One test, because building the demo data takes a while."""
    agreement = demo["agreement"]
    assert agreement.stage == AgreementStage.LOA
    admin, official = _client("serang.admin"), _client("serang.official")

    response = admin.post(
        f"/agreements/{agreement.pk}/move/",
        {
            "stage": AgreementStage.MOU_SIGNED,
            "occurred_on": timezone.localdate().isoformat(),
            "note": "MoU Serang–Changnyeong ditandatangani.",
            "document": pdf_upload("MoU Serang-Changnyeong signed.pdf"),
            # The stage between: recorded with its date and paper, not skipped in silence (issue 18).
            "skip_full_power_on": timezone.localdate().isoformat(),
            "skip_full_power_document": pdf_upload("Full Power Kemlu.pdf"),
        },
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.stage == AgreementStage.MOU_SIGNED

    admin_page = admin.get(f"/agreements/{agreement.pk}/", **EN).content.decode()
    official_page = official.get(f"/agreements/{agreement.pk}/", **EN).content.decode()
    event = agreement.stage_events.get(stage=AgreementStage.MOU_SIGNED)

    def timeline(page):
        return re.search(r'data-testid="timeline">(.*?)</ol>', page, re.S).group(1)

    assert timeline(admin_page) == timeline(official_page)
    assert re.findall(r'data-stage="(\w+)"', timeline(official_page)) == [
        "initiative",
        "exploration",
        "loi",
        "cooperation_plan",
        "dprd_approval",
        "loa",
        "full_power",
        "mou_signed",
    ]
    assert "MoU Serang–Changnyeong ditandatangani." in timeline(official_page)
    assert f"/agreements/events/{event.pk}/document/" in timeline(official_page)
    assert 'data-testid="move-form"' in admin_page
    assert 'data-testid="move-form"' not in official_page
    assert official.get(f"/agreements/events/{event.pk}/document/").status_code == 200
    refused = official.post(
        f"/agreements/{agreement.pk}/move/",
        {"stage": AgreementStage.ACTIVE, "occurred_on": timezone.localdate().isoformat(), "note": "x"},
    )
    assert refused.status_code == 403

    # The programme page: its facts, and the shortlist with reasons.
    programme = demo["programme"]
    page = _client("serang.official").get(f"/programmes/{programme.pk}/", **EN).content.decode()
    assert 'data-testid="programme-facts"' in page
    assert "300 minimum · 500 target · up to 1,000" in page
    assert f"/programmes/{programme.pk}/shortlist/" in page
    body = _client("serang.staff").get(f"/programmes/{programme.pk}/shortlist/?list=missing", **EN).content.decode()
    reasons = re.findall(r'data-reason="(\w+)">([^<]*)<', body)
    assert reasons, "the missing list shows at least one reason"
    assert {"language", "passport"} <= {code for code, _ in reasons}
    assert "no valid TOPIK result, needs 2" in body
