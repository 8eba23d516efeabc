"""Scholarship forms: validation only; writes go to scholarships.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ANY_LABEL, BootstrapMixin, DateInput

from .models import Achievement, Application, ApplicationStage, Criterion, SelectionRound, SemesterReport
from .services import EARLY_ENDS, PIPELINE, ROUND_FIELDS


class RoundForm(BootstrapMixin, forms.ModelForm):
    programme = forms.ModelChoiceField(label=_("programme"), queryset=None)

    class Meta:
        model = SelectionRound
        fields = ["programme", *ROUND_FIELDS]
        widgets = {"opens_on": DateInput(), "closes_on": DateInput()}

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes

    def _post_clean(self):
        pass  # the service validates the round inside its transaction


class ApplicationForm(BootstrapMixin, forms.ModelForm):
    nik = forms.CharField(
        label=_("NIK of the registered candidate"),
        max_length=16,
        min_length=16,
        help_text=_("Register the person as a candidate first; one person is one candidate record."),
    )

    class Meta:
        model = Application
        fields = [
            "school",
            "study_programme",
            "grade_scale",
            "grade_average",
            "family_income_per_person",
            "intended_field",
            "intended_university",
            "study_plan",
            "guardian_name",
            "guardian_consent_on",
        ]
        widgets = {"guardian_consent_on": DateInput(), "study_plan": forms.Textarea(attrs={"rows": 3})}

    field_order = ["nik"]

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates

    def clean_nik(self):
        nik = self.cleaned_data["nik"].strip()
        candidate = self.candidates.filter(nik=nik).first()
        if candidate is None:
            raise forms.ValidationError(_("No candidate of your office has this NIK."))
        self.cleaned_data["candidate"] = candidate
        return nik

    def _post_clean(self):
        pass


class AchievementForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Achievement
        fields = ["title", "level", "year"]


AchievementFormSet = forms.formset_factory(AchievementForm, extra=2, max_num=5)


class MoveForm(BootstrapMixin, forms.Form):
    to_stage = forms.ChoiceField(label=_("move to"))
    version = forms.IntegerField(widget=forms.HiddenInput)
    on_date = forms.DateField(label=_("date"), required=False, widget=DateInput())
    university = forms.CharField(label=_("university (admitted)"), required=False, max_length=200)
    visa_number = forms.CharField(label=_("student visa number"), required=False, max_length=50)
    visa_issued_on = forms.DateField(label=_("visa issued on"), required=False, widget=DateInput())
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(
        label=_("reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to end an application early."),
    )

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        stage = application.stage
        choices = []
        if stage in PIPELINE[:-1]:
            following = PIPELINE[PIPELINE.index(stage) + 1]
            choices.append((following, ApplicationStage(following).label))
        from .services import END_FROM

        choices += [(end, ApplicationStage(end).label) for end in EARLY_ENDS if stage in END_FROM[end]]
        self.fields["to_stage"].choices = choices
        self.initial.setdefault("version", application.version)
        if choices:
            self.initial.setdefault("to_stage", choices[0][0])


class ScoreForm(BootstrapMixin, forms.Form):
    def __init__(self, *args, selection_round: SelectionRound, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion, weight in selection_round.weights.items():
            if weight:
                self.fields[criterion] = forms.DecimalField(
                    label=f"{Criterion(criterion).label} ({weight}%)",
                    required=False,
                    max_digits=5,
                    decimal_places=2,
                    widget=forms.NumberInput(
                        attrs={"step": "0.01", "min": selection_round.score_min, "max": selection_round.score_max}
                    ),
                )


class ConflictForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("how you know the applicant"), max_length=255)


class ReviewersForm(BootstrapMixin, forms.Form):
    reviewers = forms.ModelMultipleChoiceField(
        label=_("reviewers"), queryset=None, widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = users


class SemesterReportForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = SemesterReport
        fields = ["semester", "grade_average", "credits", "status", "reported_on"]
        widgets = {"reported_on": DateInput()}

    def _post_clean(self):
        pass


class CommitmentForm(BootstrapMixin, forms.Form):
    action = forms.ChoiceField(choices=[("fulfil", _("fulfilled")), ("waive", _("waived"))], widget=forms.HiddenInput)
    on_date = forms.DateField(label=_("date"), widget=DateInput())
    reason = forms.CharField(label=_("reason for the waiver"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ApplicationFilterForm(BootstrapMixin, forms.Form):
    round = forms.ModelChoiceField(label=_("round"), queryset=None, required=False, empty_label=ANY_LABEL)
    stage = forms.ChoiceField(label=_("stage"), required=False)
    outcome = forms.ChoiceField(label=_("outcome"), required=False)
    school = forms.CharField(label=_("school"), required=False)
    kecamatan = forms.CharField(label=_("kecamatan"), required=False)
    need = forms.CharField(required=False, widget=forms.HiddenInput)
    group = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds
        self.fields["stage"].choices = [("", ANY_LABEL), *ApplicationStage.choices]
        self.fields["outcome"].choices = [("", ANY_LABEL), *Application.Outcome.choices]
