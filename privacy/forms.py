"""Forms of the personal-data register: they validate and normalise; the services hold the rules."""

import re

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DATETIME_INPUT_FORMATS, BootstrapMixin, DateTimeInput

from .models import Breach, DataRequest


def _datetime_field(label, **kwargs) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, widget=DateTimeInput(), input_formats=DATETIME_INPUT_FORMATS, **kwargs)


class DataRequestForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DataRequest.Kind.choices)
    received_at = _datetime_field(_("Received at"))
    channel = forms.ChoiceField(label=_("Channel"), choices=DataRequest.Channel.choices)
    identity_checked_by = forms.ModelChoiceField(label=_("Identity checked by"), queryset=None)
    identity_check = forms.CharField(
        label=_("How the identity was checked"), max_length=200, help_text=_("e.g. KTP shown at the counter")
    )
    details = forms.CharField(label=_("What the person asks"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Whoever checked the identity works in the same office (active users only).
        self.fields["identity_checked_by"].queryset = (
            get_user_model().objects.filter(municipality_id=user.municipality_id, is_active=True).order_by("username")
        )
        self.fields["identity_checked_by"].initial = user.pk
        self.fields["received_at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")


class AnswerForm(BootstrapMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=DataRequest.Outcome.choices)
    answer_note = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    confirm_erasure = forms.BooleanField(
        label=_("I understand that erasure removes this person's data for good."), required=False
    )

    def __init__(self, *args, request: DataRequest, **kwargs):
        super().__init__(*args, **kwargs)
        if request.kind != DataRequest.Kind.ERASURE:
            self.fields["outcome"].choices = [
                c for c in DataRequest.Outcome.choices if c[0] != DataRequest.Outcome.ERASED
            ]
            del self.fields["confirm_erasure"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == DataRequest.Outcome.ERASED and not cleaned.get("confirm_erasure"):
            self.add_error("confirm_erasure", _("Confirm the erasure."))
        return cleaned


class BreachForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    categories = forms.MultipleChoiceField(
        label=_("Data concerned"), choices=Breach.Category.choices, widget=forms.CheckboxSelectMultiple
    )
    occurred_at = _datetime_field(_("Happened at"))
    discovered_at = _datetime_field(_("Found at"))
    how = forms.CharField(label=_("How it happened and how it was found"), widget=forms.Textarea(attrs={"rows": 3}))
    measures = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    affected = forms.CharField(
        label=_("People affected"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Their NIKs, one per line (people registered in your office)."),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates

    def clean_affected(self):
        niks = {re.sub(r"[\s.\-]", "", line) for line in self.cleaned_data["affected"].splitlines()} - {""}
        found = list(self.candidates.filter(nik__in=niks))
        unknown = niks - {c.nik for c in found}
        if unknown:
            raise forms.ValidationError(
                _("Not registered in your office: %(niks)s") % {"niks": ", ".join(sorted(unknown))}
            )
        return found

    def clean(self):
        cleaned = super().clean()
        occurred, discovered = cleaned.get("occurred_at"), cleaned.get("discovered_at")
        if occurred and discovered and discovered < occurred:
            self.add_error("discovered_at", _("A breach cannot be found before it happened."))
        return cleaned
