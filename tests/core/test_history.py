import pghistory
import pytest
from django.utils import translation
from pghistory.models import Events

from core.history import history_entries
from programmes.models import Agreement, AgreementEvent
from tests.factories import AgreementFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def _entries(agreement, **kwargs):
    events = Events.objects.tracks(agreement).order_by("-pgh_created_at", "-pgh_id")
    with translation.override("en"):
        return history_entries(list(events), **kwargs)


def test_a_change_shows_labels_choice_names_related_names_and_who(serang, serang_staff):
    agreement = AgreementFactory(municipality=serang, kind=Agreement.Kind.SISTER_CITY)
    other = PartnerFactory(municipality=serang, name="Changnyeong-gun")
    with pghistory.context(user=serang_staff.pk):
        Agreement.objects.filter(pk=agreement.pk).update(kind=Agreement.Kind.G2G, partner=other)

    entries = _entries(agreement, describe=lambda model, data: data["title"])
    assert [e.action for e in entries] == ["changed", "created"]
    changed = entries[0]
    assert changed.who == serang_staff and changed.what == agreement.title
    assert {(c.label, c.new) for c in changed.changes} == {
        ("kind", "Government to government (G2G)"),
        ("partner", "Changnyeong-gun"),
    }


def test_bookkeeping_columns_alone_make_no_line_and_hidden_fields_are_left_out(serang):
    agreement = AgreementFactory(municipality=serang)
    Agreement.objects.filter(pk=agreement.pk).update(summary="new summary")
    Agreement.objects.filter(pk=agreement.pk).update(stage_entered_on=agreement.stage_entered_on.replace(day=1))
    assert AgreementEvent.objects.filter(pgh_obj=agreement).count() == 3
    entries = _entries(agreement, hidden={"summary"})
    assert [e.action for e in entries] == ["created"]


def test_masked_fields_go_through_the_mask(serang):
    agreement = AgreementFactory(municipality=serang, title="Kerja sama 1")
    Agreement.objects.filter(pk=agreement.pk).update(title="Kerja sama 2")
    entries = _entries(agreement, masked={"title"}, mask=lambda value: value[:2] + "••")
    assert [(c.old, c.new) for c in entries[0].changes] == [("Ke••", "Ke••")]
