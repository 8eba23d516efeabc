"""Forms for partners, agreements, stage moves and programmes: validation only, writes go to services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import DocumentType
from core.forms import BootstrapMixin, DateInput
from core.models import Municipality

from .models import Agreement, AgreementStage, Partner, Programme, ProgrammeDemand
from .services import PassedOver, passed_over_field
from .validators import validate_pdf


class PartnerForm(BootstrapMixin, forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Partner
        fields = ["name", "local_name", "country", "level", "website", "contact"]
        widgets = {"contact": forms.Textarea(attrs={"rows": 3})}


class AgreementForm(BootstrapMixin, forms.ModelForm):
    """The agreement's facts. On creation also its first stage; later stages go through the move form."""

    stage = forms.ChoiceField(
        label=_("current stage"), choices=AgreementStage.choices, initial=AgreementStage.INITIATIVE
    )
    stage_entered_on = forms.DateField(label=_("stage entered on"), widget=DateInput())
    note = forms.CharField(label=_("note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    municipality = forms.ModelChoiceField(
        label=_("municipality"),
        queryset=Municipality.objects.all(),
        required=False,
        empty_label=_("National (ministry)"),
        help_text=_("Empty for a ministry's agreement, visible to every office."),
    )

    class Meta:
        model = Agreement
        fields = ["title", "government_body", "partner", "kind", "valid_from", "valid_until", "auto_renew", "summary"]
        widgets = {
            "valid_from": DateInput(),
            "valid_until": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, partners, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        if not creating:
            for name in ("stage", "stage_entered_on", "note"):
                del self.fields[name]
        if not (creating and user.is_superuser):
            # Municipal admins create agreements for their own municipality only.
            del self.fields["municipality"]
        elif "municipality" in self.fields:
            self.fields["municipality"].initial = user.municipality_id

    def clean_stage_entered_on(self):
        value = self.cleaned_data["stage_entered_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class StageMoveForm(BootstrapMixin, forms.Form):
    """Move an agreement to a stage. The rules (note forward, reason back) live in the service."""

    stage = forms.ChoiceField(label=_("move to stage"))
    occurred_on = forms.DateField(
        label=_("date"), widget=DateInput(), error_messages={"required": _("Enter the date of this step.")}
    )
    note = forms.CharField(
        label=_("note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when moving forward: what happened."),
    )
    reason = forms.CharField(
        label=_("reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when moving back, suspending or terminating."),
    )
    document = forms.FileField(
        label=_("document (PDF, at most 10 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    MOVE_FIELDS = ("stage", "occurred_on", "note", "reason", "document")

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", "---------")] + [
            (value, label) for value, label in AgreementStage.choices if value != agreement.stage
        ]
        self.fields["stage"].initial = AgreementStage.following(agreement.stage)
        self.fields["occurred_on"].initial = timezone.localdate()
        # One row per procedure stage a move could skip (the rule and its messages: the service).
        self.passed_over_rows = []
        targets = [value for value in AgreementStage.values if value != agreement.stage]
        skippable = {
            step: [t for t in targets if step in AgreementStage.passed_over(agreement.stage, t)]
            for step in AgreementStage.procedure()
        }
        if agreement.municipality_id is None:
            skippable = {}  # a ministry's agreement does not follow the KSDPL procedure
        for step, skipped_by in skippable.items():
            if not skipped_by:
                continue
            label = AgreementStage(step).label
            on = passed_over_field(step, "on")
            self.fields[on] = forms.DateField(
                label=_("date of “%(stage)s”") % {"stage": label}, required=False, widget=DateInput()
            )
            names = {"on": on, "reason": passed_over_field(step, "reason")}
            if step in AgreementStage.with_document():
                names["document"] = passed_over_field(step, "document")
                self.fields[names["document"]] = forms.FileField(
                    label=_("signed document of “%(stage)s” (PDF)") % {"stage": label},
                    required=False,
                    widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
                )
            self.fields[names["reason"]] = forms.CharField(
                label=_("or the reason it was passed over"), required=False, max_length=1000
            )
            self.passed_over_rows.append({"stage": step, "label": label, "skipped_by": " ".join(skipped_by), **names})
        self.style_fields()

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document:
            validate_pdf(document)
        return document or None

    def move_data(self) -> dict:
        """The move itself, for programmes.services.agreement_move_stage."""
        data = {name: self.cleaned_data.get(name) for name in self.MOVE_FIELDS}
        data["passed_over"] = {
            row["stage"]: PassedOver(
                occurred_on=self.cleaned_data.get(row["on"]),
                document=self.cleaned_data.get(row.get("document", "")) or None,
                reason=self.cleaned_data.get(row["reason"], ""),
            )
            for row in self.passed_over_rows
        }
        return data

    def passed_over_bound_rows(self):
        """The rows with their bound fields, for the template."""
        for row in self.passed_over_rows:
            yield {
                "stage": row["stage"],
                "label": row["label"],
                "skipped_by": row["skipped_by"],
                "fields": [self[row[part]] for part in ("on", "document", "reason") if part in row],
            }


class ProgrammeForm(BootstrapMixin, forms.ModelForm):
    required_documents = forms.MultipleChoiceField(
        label=_("documents every placement must carry"),
        choices=DocumentType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Programme
        fields = [
            "agreement",
            "name",
            "scheme",
            "status",
            "destination_country",
            "destination_city",
            "application_opens",
            "application_closes",
            "planned_departure",
            "target_min",
            "target",
            "target_max",
            "min_age",
            "max_age",
            "required_sex",
            "min_education",
            "language_test",
            "min_language_score",
            "min_training_hours",
            "health_certificate_required",
            "passport_months_beyond_return",
            "required_documents",
            "training_paid_by",
            "travel_paid_by",
            "insurance_paid_by",
            "visa_paid_by",
            "season_months_abroad",
            "season_rest_months",
            "season_periods",
            "contract_months",
            "description",
        ]
        widgets = {
            "application_opens": DateInput(),
            "application_closes": DateInput(),
            "planned_departure": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, agreements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements
        for name in ("required_sex", "min_education", "language_test"):
            self.fields[name].choices = [("", _("No requirement"))] + list(self.fields[name].choices)[1:]


class DemandForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ProgrammeDemand
        fields = ["occupation", "requested"]


class BaseDemandFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"


DemandFormSet = forms.inlineformset_factory(
    Programme,
    ProgrammeDemand,
    form=DemandForm,
    formset=BaseDemandFormSet,
    extra=2,
    can_delete=True,
    min_num=0,
)


def demands_from(formset) -> list[tuple]:
    """(occupation, number requested) from a valid demand formset, without deleted or empty rows."""
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if data.get("DELETE") or not data.get("occupation") or data.get("requested") is None:
            continue
        rows.append((data["occupation"], data["requested"]))
    return rows
