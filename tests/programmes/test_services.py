"""The programmes services check the acting user themselves (accounts.access), not only the views."""

import pytest
from django.core.exceptions import PermissionDenied

from programmes.models import AgreementStage
from programmes.services import (
    agreement_move_stage,
    agreement_update,
    partner_create,
    partner_update,
    programme_create,
    programme_update,
)
from tests.factories import PartnerFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_a_new_partner_belongs_to_the_admins_own_municipality(serang_admin, serang, blitar):
    partner = partner_create(
        user=serang_admin, municipality=blitar, data={"name": "Changnyeong", "country": "KR", "level": "county"}
    )
    assert partner.municipality == serang


def test_a_read_only_official_cannot_write_through_the_services(serang_official, serang_agreement, today):
    with pytest.raises(PermissionDenied):
        agreement_update(user=serang_official, agreement=serang_agreement, data={"auto_renew": True})
    with pytest.raises(PermissionDenied):
        agreement_move_stage(
            user=serang_official, agreement=serang_agreement, stage=AgreementStage.MOU_SIGNED, occurred_on=today
        )
    with pytest.raises(PermissionDenied):
        partner_create(user=serang_official, data={"name": "X", "country": "KR"})


def test_an_admin_cannot_write_another_municipalitys_records(serang_admin, blitar_agreement, blitar):
    with pytest.raises(PermissionDenied):
        agreement_update(user=serang_admin, agreement=blitar_agreement, data={"auto_renew": True})
    with pytest.raises(PermissionDenied):
        partner_update(user=serang_admin, partner=PartnerFactory(municipality=blitar), data={"name": "Y"})
    with pytest.raises(PermissionDenied):
        programme_create(user=serang_admin, agreement=blitar_agreement, data={"name": "Z"})
    with pytest.raises(PermissionDenied):
        programme_update(user=serang_admin, programme=ProgrammeFactory(agreement=blitar_agreement), data={})


def test_a_programme_cannot_be_moved_under_another_municipalitys_agreement(
    serang_admin, serang_agreement, blitar_agreement
):
    programme = ProgrammeFactory(agreement=serang_agreement)
    with pytest.raises(PermissionDenied):
        programme_update(user=serang_admin, programme=programme, data={"agreement": blitar_agreement})
    programme.refresh_from_db()
    assert programme.agreement == serang_agreement
