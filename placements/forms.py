"""Forms for placements, training and cohorts: validation only, writes go to placements.services."""

from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from candidates.models import LanguageResult
from core.choices import LanguageTest
from core.forms import BootstrapMixin, DateInput, FixedRowsFormSet
from core.models import Municipality
from programmes.models import Occupation

from .gates import move_targets, next_stage
from .models import Cohort, Enrolment, ExternalId, Placement, PlacementStage, TrainingBatch, TrainingProvider


class ServiceValidated:
    """Model validation (constraints, full_clean) runs once, in the service and inside its transaction;
    the form checks fields and says what is wrong next to each."""

    def _post_clean(self):
        pass


class PlacementChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.candidate.full_name} · {obj.get_stage_display()}"


# --- placements ----------------------------------------------------------------------------------


def programme_occupations(programme):
    """The occupations a programme requests (its demand); all of them when it names none."""
    demanded = Occupation.objects.filter(programmedemand__programme=programme).distinct()
    return demanded if demanded.exists() else Occupation.objects.all()


class PlacementStartForm(BootstrapMixin, forms.Form):
    """Start placements in one programme for candidates chosen elsewhere (the shortlist, a candidate page,
    the candidate list). The occupation list follows the chosen programme (htmx)."""

    programme = forms.ModelChoiceField(label=_("programme"), queryset=None)
    candidates = forms.ModelMultipleChoiceField(label=_("candidates"), queryset=None, widget=forms.MultipleHiddenInput)
    occupation = forms.ModelChoiceField(label=_("occupation"), queryset=Occupation.objects.none(), required=False)

    def __init__(self, *args, programmes, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["candidates"].queryset = candidates
        self.fields["programme"].widget.attrs.update(
            {
                "hx-get": reverse_lazy("placements:occupation_options"),
                "hx-target": "#id_occupation",
                "hx-trigger": "change",
            }
        )
        chosen = self.data.get("programme") if self.is_bound else self.initial.get("programme")
        programme = programmes.filter(pk=chosen).first() if str(chosen or "").isdigit() else None
        if programme is not None:
            self.fields["occupation"].queryset = programme_occupations(programme)

    def clean(self):
        cleaned = super().clean()
        programme, occupation = cleaned.get("programme"), cleaned.get("occupation")
        if programme and occupation:
            demanded = set(programme.demands.values_list("occupation_id", flat=True))
            if demanded and occupation.pk not in demanded:
                self.add_error("occupation", _("This programme does not request this occupation."))
        return cleaned


class MoveForm(BootstrapMixin, forms.Form):
    to_stage = forms.ChoiceField(label=_("move to"))
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(
        label=_("reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for early ends and for moving back."),
    )

    def __init__(self, *args, placement: Placement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [(s, PlacementStage(s).label) for s in move_targets(placement.stage)]
        self.fields["to_stage"].initial = next_stage(placement.stage)
        self.fields["version"].initial = placement.version


class BulkMoveForm(BootstrapMixin, forms.Form):
    placements = forms.ModelMultipleChoiceField(queryset=None, widget=forms.MultipleHiddenInput)
    to_stage = forms.ChoiceField(label=_("move to"), choices=PlacementStage.choices)
    note = forms.CharField(label=_("note"), required=False)
    reason = forms.CharField(label=_("reason"), required=False, help_text=_("Required for early ends and moves back."))

    def __init__(self, *args, placements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["placements"].queryset = placements
        self.fields["placements"].error_messages["required"] = _("Tick at least one placement.")


class PlacementEditForm(ServiceValidated, BootstrapMixin, forms.ModelForm):
    # The version the form was opened with (optimistic locking in placements.services).
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Placement
        fields = [
            "occupation",
            "employer",
            "contract_start",
            "contract_end",
            "visa_number",
            "visa_issued_on",
            "planned_return_on",
        ]
        widgets = {
            "contract_start": DateInput(),
            "contract_end": DateInput(),
            "visa_issued_on": DateInput(),
            "planned_return_on": DateInput(),
        }
        help_texts = {
            "planned_return_on": _("Only when the placement has no cohort; a cohort's return date comes first."),
        }

    # External ids (placements.ExternalId), saved by the view through services.external_id_set.
    siskop2mi_registration = forms.CharField(label=_("SISKOP2MI registration number"), max_length=50, required=False)
    national_worker_id = forms.CharField(
        label=_("National worker id (SISKOP2MI)"),
        max_length=50,
        required=False,
        help_text=_("The worker's id in the national system; it belongs to the candidate, for every placement."),
    )
    EXTERNAL_IDS = {
        "siskop2mi_registration": ExternalId.System.SISKOP2MI_REGISTRATION,
        "national_worker_id": ExternalId.System.NATIONAL_WORKER_ID,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        if self.instance.pk:
            recorded = dict(
                ExternalId.objects.filter(
                    Q(placement=self.instance) | Q(candidate_id=self.instance.candidate_id)
                ).values_list("system", "value")
            )
            for name, system in self.EXTERNAL_IDS.items():
                self.fields[name].initial = recorded.get(system, "")
        demanded = Occupation.objects.filter(programmedemand__programme=self.instance.programme_id)
        if demanded.exists():
            self.fields["occupation"].queryset = demanded

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("contract_start"), cleaned.get("contract_end")
        if start and end and end <= start:
            self.add_error("contract_end", _("The contract must end after it starts."))
        issued = cleaned.get("visa_issued_on")
        if issued and issued > timezone.localdate():
            self.add_error("visa_issued_on", _("The issue date cannot be in the future."))
        if bool(cleaned.get("visa_number")) != bool(issued):
            self.add_error("visa_number", _("Enter both the visa number and its issue date, or neither."))
        return cleaned


class ReturnForm(BootstrapMixin, forms.Form):
    on_date = forms.DateField(label=_("date"), widget=DateInput(), initial=timezone.localdate)
    outcome = forms.ChoiceField(label=_("outcome"), choices=Placement.ReturnOutcome.choices)
    reason = forms.CharField(
        label=_("reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required unless the placement was completed."),
    )
    note = forms.CharField(label=_("note"), required=False)

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        if outcome and outcome != Placement.ReturnOutcome.COMPLETED and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give a reason for this outcome."))
        return cleaned


# Score ranges per test: EPS-TOPIK 0–200; TOPIK levels 1–6; JLPT 5 = N5 … 1 = N1; JFT 1 = A1, 2 = A2.
LANGUAGE_RANGES = {
    LanguageTest.EPS_TOPIK: (0, 200),
    LanguageTest.TOPIK: (1, 6),
    LanguageTest.JLPT: (1, 5),
    LanguageTest.JFT: (1, 2),
}


class LanguageResultForm(ServiceValidated, BootstrapMixin, forms.ModelForm):
    """A language test result recorded from the placement page, where the "ready" gate asks for it."""

    class Meta:
        model = LanguageResult
        fields = ["test", "score", "taken_on", "valid_until", "certificate_number"]
        widgets = {"taken_on": DateInput(), "valid_until": DateInput()}
        help_texts = {"score": LanguageResult._meta.get_field("score").help_text}

    def clean(self):
        cleaned = super().clean()
        test, score = cleaned.get("test"), cleaned.get("score")
        if test in LANGUAGE_RANGES and score is not None:
            low, high = LANGUAGE_RANGES[test]
            if not low <= score <= high:
                self.add_error(
                    "score",
                    _("For %(test)s enter a value from %(low)s to %(high)s.")
                    % {"test": LanguageTest(test).label, "low": low, "high": high},
                )
        taken, valid = cleaned.get("taken_on"), cleaned.get("valid_until")
        if taken and taken > timezone.localdate():
            self.add_error("taken_on", _("The test date cannot be in the future."))
        if taken and valid and valid < taken:
            self.add_error("valid_until", _("The result cannot expire before the test was taken."))
        return cleaned


# --- training ------------------------------------------------------------------------------------


class OwnerMixin:
    """A municipality field only for users without one (superusers); empty means national."""

    def _owner_field(self, user, national_label):
        if user.municipality_id:
            del self.fields["municipality"]
        else:
            self.fields["municipality"].empty_label = national_label


class ProviderForm(ServiceValidated, OwnerMixin, BootstrapMixin, forms.ModelForm):
    municipality = forms.ModelChoiceField(label=_("municipality"), queryset=Municipality.objects.all(), required=False)

    class Meta:
        model = TrainingProvider
        fields = ["name", "kind", "licence_number", "licence_expires_on", "address", "municipality"]
        widgets = {"licence_expires_on": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["municipality"]
        else:
            self._owner_field(user, _("National (every office)"))


class BatchForm(ServiceValidated, OwnerMixin, BootstrapMixin, forms.ModelForm):
    municipality = forms.ModelChoiceField(label=_("municipality"), queryset=Municipality.objects.all(), required=False)

    class Meta:
        model = TrainingBatch
        fields = [
            "provider",
            "programme",
            "name",
            "course_kind",
            "starts_on",
            "ends_on",
            "hours",
            "capacity",
            "municipality",
        ]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, user, providers, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers
        self.fields["programme"].queryset = programmes
        if self.instance.pk:
            del self.fields["municipality"]
        else:
            self._owner_field(user, _("National (every office)"))

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The batch cannot end before it starts."))
        if cleaned.get("capacity") == 0:
            self.add_error("capacity", _("A batch has at least one seat."))
        if cleaned.get("hours") == 0:
            self.add_error("hours", _("A batch has at least one hour."))
        return cleaned


class EnrolForm(forms.Form):
    placements = PlacementChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, placements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["placements"].queryset = placements
        self.fields["placements"].error_messages["required"] = _("Tick at least one placement.")


class BatchChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(batch)s · %(provider)s · from %(starts)s · %(taken)s of %(capacity)s seats taken") % {
            "batch": obj.name,
            "provider": obj.provider.name,
            "starts": date_format(obj.starts_on, "j M Y"),
            "taken": obj.enrolled,
            "capacity": obj.capacity,
        }


class PlacementEnrolForm(BootstrapMixin, forms.Form):
    """Enrol one placement from its page: only batches of its programme that have not ended and have a seat."""

    batch = BatchChoiceField(label=_("training batch"), queryset=None)

    def __init__(self, *args, batches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["batch"].queryset = batches


class EnrolmentResultForm(ServiceValidated, BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Enrolment
        fields = ["attended_hours", "final_score", "result", "certificate_number"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One row per person in a table: small controls.
        for field in self.fields.values():
            css = field.widget.attrs.get("class", "")
            field.widget.attrs["class"] = css.replace("form-control", "form-control form-control-sm").replace(
                "form-select", "form-select form-select-sm"
            )

    def clean(self):
        cleaned = super().clean()
        hours = cleaned.get("attended_hours")
        if hours is not None and hours > self.instance.batch.hours:
            self.add_error(
                "attended_hours", _("At most the batch's %(hours)s hours.") % {"hours": self.instance.batch.hours}
            )
        score = cleaned.get("final_score")
        if score is not None and not 0 <= score <= 100:
            self.add_error("final_score", _("A score from 0 to 100."))
        if cleaned.get("result") == Enrolment.Result.PASSED and hours == 0:
            self.add_error("attended_hours", _("A passed enrolment has attended hours."))
        return cleaned


EnrolmentResultFormSet = forms.modelformset_factory(
    Enrolment, form=EnrolmentResultForm, formset=FixedRowsFormSet, extra=0
)


# --- cohorts -------------------------------------------------------------------------------------


class CohortForm(ServiceValidated, OwnerMixin, BootstrapMixin, forms.ModelForm):
    municipality = forms.ModelChoiceField(label=_("municipality"), queryset=Municipality.objects.all(), required=False)

    class Meta:
        model = Cohort
        fields = [
            "name",
            "programme",
            "planned_departure",
            "return_due_on",
            "destination_city",
            "employers",
            "chaperone",
            "municipality",
        ]
        widgets = {
            "planned_departure": DateInput(),
            "return_due_on": DateInput(),
            "employers": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "return_due_on": _("Leave empty to compute it from the programme's season pattern or contract length."),
        }

    def __init__(self, *args, user, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        if self.instance.pk:
            del self.fields["municipality"]
        else:
            self._owner_field(user, "")
            if "municipality" in self.fields:
                self.fields["municipality"].required = True

    def clean(self):
        cleaned = super().clean()
        planned, due = cleaned.get("planned_departure"), cleaned.get("return_due_on")
        departed = self.instance.actual_departure
        if planned and due and due <= planned:
            self.add_error("return_due_on", _("The return must come after the planned departure."))
        if departed and due and due <= departed:
            self.add_error("return_due_on", _("The return must come after the actual departure."))
        return cleaned


class DateConfirmForm(BootstrapMixin, forms.Form):
    on_date = forms.DateField(label=_("date"), widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(label=_("note"), required=False)

    def clean_on_date(self):
        value = self.cleaned_data["on_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class ConfirmationUploadForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("Partner's confirmations"),
        help_text=_(
            "XLSX or CSV with the columns passport_number, event (arrival or return), date, and for a return "
            "outcome (completed, ended_early, absconded, repatriated) and reason."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )


class CohortAddForm(forms.Form):
    placements = PlacementChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, placements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["placements"].queryset = placements
        self.fields["placements"].error_messages["required"] = _("Tick at least one placement.")
