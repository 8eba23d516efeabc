"""Forms of the protection pages: they validate and normalise; the services hold the rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.files import check_document_file
from core.forms import (
    ANY_LABEL,
    DATE_INPUT_FORMATS,
    DATETIME_INPUT_FORMATS,
    BootstrapMixin,
    DateInput,
    DateTimeInput,
    PhoneInput,
)

from .models import Case, Contact, ContactRecord, FollowUp, ReturnDebrief


def _date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), input_formats=DATE_INPUT_FORMATS, **kwargs)


class VersionedForm(BootstrapMixin, forms.Form):
    """Carries the case version the page was opened with (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CaseForm(BootstrapMixin, forms.Form):
    case_type = forms.ChoiceField(label=_("Type"), choices=Case.Type.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=Case.Severity.choices)
    reported_by = forms.ChoiceField(label=_("Reported by"), choices=Case.Reporter.choices)
    reported_at = forms.DateTimeField(
        label=_("Reported at"), widget=DateTimeInput(), input_formats=DATETIME_INPUT_FORMATS
    )
    summary = forms.CharField(label=_("Summary"), max_length=200)
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    first_action_due = forms.DateTimeField(
        label=_("First action due"),
        widget=DateTimeInput(),
        input_formats=DATETIME_INPUT_FORMATS,
        required=False,
        help_text=_(
            "Empty: the programme's deadline for the severity (by default critical 24 hours, high 3 days, "
            "normal 7 days)."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reported_at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")


class CaseDocumentForm(BootstrapMixin, forms.Form):
    """A file for the case: PDF, JPEG or PNG, checked by its content, at most 5 MB."""

    title = forms.CharField(label=_("What it is"), max_length=200, help_text=_("e.g. hospital letter, pay slip"))
    file = forms.FileField(
        label=_("File (PDF, JPEG or PNG, at most 5 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.checked_file = None

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            self.checked_file = check_document_file(upload)
        return upload


class ActionForm(VersionedForm):
    acted_on = _date_field(_("Date"))
    what = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}))
    next_step = forms.CharField(label=_("Next step"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["acted_on"].initial = timezone.localdate()


class EscalateForm(ActionForm):
    to = forms.ChoiceField(label=_("Escalate to"), choices=Case.EscalatedTo.choices)
    field_order = ["to", "acted_on", "what", "next_step"]


class ResolveForm(ActionForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Case.Outcome.choices)
    field_order = ["outcome", "acted_on", "what"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["next_step"]


class CloseForm(ResolveForm):
    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].required = False
        self.fields["outcome"].choices = [("", "---------"), *Case.Outcome.choices]
        if case is not None and case.outcome:
            del self.fields["outcome"]


class ContactForm(BootstrapMixin, forms.Form):
    contacted_on = _date_field(_("Date"))
    channel = forms.ChoiceField(label=_("Channel"), choices=Contact.Channel.choices)
    wellbeing = forms.ChoiceField(label=_("Wellbeing"), choices=Contact.Wellbeing.choices)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contacted_on"].initial = timezone.localdate()


class ContactRecordForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ContactRecord
        fields = [
            "phone_abroad",
            "messaging_abroad",
            "employer_address",
            "accommodation_address",
            "emergency_contact_name",
            "emergency_contact_phone",
            "emergency_contact_relation",
        ]
        widgets = {
            "employer_address": forms.Textarea(attrs={"rows": 2}),
            "accommodation_address": forms.Textarea(attrs={"rows": 2}),
            "phone_abroad": PhoneInput,
            "emergency_contact_phone": PhoneInput,
        }


class BulkContactForm(BootstrapMixin, forms.Form):
    """A group call: who was reached, and each one's wellbeing (wellbeing_<pk> fields)."""

    contacted_on = _date_field(_("Date"))
    channel = forms.ChoiceField(label=_("Channel"), choices=Contact.Channel.choices, initial="group_call")
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    placements = forms.ModelMultipleChoiceField(
        label=_("Reached"), queryset=None, widget=forms.CheckboxSelectMultiple, required=True
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        self.fields["contacted_on"].initial = timezone.localdate()
        self.fields["placements"].queryset = members
        for placement in self.members:
            self.fields[f"wellbeing_{placement.pk}"] = forms.ChoiceField(
                label=placement.candidate.full_name, choices=Contact.Wellbeing.choices, initial="good"
            )

    def rows(self):
        return [(p, self[f"wellbeing_{p.pk}"]) for p in self.members]

    def wellbeing(self) -> dict[int, str]:
        return {p.pk: self.cleaned_data[f"wellbeing_{p.pk}"] for p in self.members}


class HoldForm(BootstrapMixin, forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=None)
    held_on = _date_field(_("On hold since"))
    source = forms.CharField(label=_("Source"), max_length=255)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes


class LiftForm(BootstrapMixin, forms.Form):
    lifted_on = _date_field(_("Lifted on"))


class DebriefForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ReturnDebrief
        fields = [
            "debriefed_on",
            "wages_as_promised",
            "savings_idr",
            "remittances_idr",
            "complaints",
            "wants_to_go_again",
        ]
        widgets = {"debriefed_on": DateInput(), "complaints": forms.Textarea(attrs={"rows": 3})}


class FollowUpForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["followed_on", "work", "business", "training_wanted", "note"]
        widgets = {"followed_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}


class CaseFilterForm(BootstrapMixin, forms.Form):
    """The case list's filters, all in the URL (the dashboard's numbers link here)."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", ANY_LABEL), ("unresolved", _("Not resolved")), *Case.Status.choices],
    )
    case_type = forms.ChoiceField(label=_("Type"), required=False, choices=[("", ANY_LABEL), *Case.Type.choices])
    severity = forms.ChoiceField(label=_("Severity"), required=False, choices=[("", ANY_LABEL), *Case.Severity.choices])
    late = forms.BooleanField(label=_("Past the first-action deadline"), required=False)
    programme = forms.IntegerField(required=False, widget=forms.HiddenInput)
    cohort = forms.IntegerField(required=False, widget=forms.HiddenInput)
    partner = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kecamatan = forms.RegexField(regex=r"^\d\d\.\d\d\.\d\d$", required=False, widget=forms.HiddenInput)


class WorkerFilterForm(BootstrapMixin, forms.Form):
    state = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("abroad", _("Abroad")),
            ("overdue", _("Contact overdue")),
            ("at_risk", _("At risk")),
            ("contacted", _("Contacted within the interval")),
            ("departed", _("Everyone who departed")),
            ("absconded", _("Absconded")),
            ("returned", _("Returned")),
        ],
    )
    programme = forms.IntegerField(required=False, widget=forms.HiddenInput)
    cohort = forms.IntegerField(required=False, widget=forms.HiddenInput)
    partner = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kecamatan = forms.RegexField(regex=r"^\d\d\.\d\d\.\d\d$", required=False, widget=forms.HiddenInput)
