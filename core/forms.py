"""The form kit every app uses: Bootstrap classes, a date input, a service's errors on the form."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .validators import refuse_control_characters

# The one label of every filter's blank choice ("Semua" / "All"): no filter reads "Any age",
# "All stages" or "---------" any more.
ANY_LABEL = _("All")


# What a clerk may type into a date field: day-month-year first (as shown), ISO as the machines write it.
DATE_INPUT_FORMATS = ["%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d"]
# The pattern the browser checks before sending (the server checks DATE_INPUT_FORMATS again).
DATE_PATTERN = r"\d{1,2}(-|/|\.)\d{1,2}(-|/|\.)\d{4}|\d{4}-\d{2}-\d{2}"  # valid with the v flag too


DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M", "%d/%m/%Y %H:%M"]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class DateInput(forms.DateInput):
    """A date typed and shown day-month-year (14-05-1999) in every language.

    Not <input type=date>: that box shows the browser's locale, mm/dd/yyyy in a US-English browser.
    BootstrapMixin gives every date field using it DATE_INPUT_FORMATS, so no form lists them again.
    """

    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {"placeholder": _("dd-mm-yyyy"), "pattern": DATE_PATTERN, "autocomplete": "off", "size": 10}
        super().__init__({**defaults, **(attrs or {})}, format="%d-%m-%Y")


class NikInput(forms.TextInput):
    """A NIK: the numeric keypad on a tablet or phone, 16 digits. Not remembered by the browser (the
    clerk types other people's numbers)."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "pattern": "[0-9]{16}", "autocomplete": "off", **(attrs or {})})


class PhoneInput(forms.TextInput):
    """A phone number: the phone keypad on a tablet or phone; not the clerk's own number suggested."""

    input_type = "tel"

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "tel", "autocomplete": "off", **(attrs or {})})


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's ValidationError on the form: next to the field it names, else at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


class BootstrapMixin:
    """Bootstrap 5 classes on every visible widget, is-invalid on fields with errors, and no
    control characters in any text field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()

    def style_fields(self) -> None:
        """Classes and checks on every field; call again after adding fields in a form's __init__."""
        for form_field in self.fields.values():
            widget = form_field.widget
            if isinstance(widget, DateInput) and isinstance(form_field, forms.DateField):
                form_field.input_formats = DATE_INPUT_FORMATS
            if isinstance(widget, forms.HiddenInput):
                continue
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect | forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            classes = widget.attrs.get("class", "").split()
            if css not in classes:
                widget.attrs["class"] = " ".join([*classes, css])
        refuse_control_characters(self)

    def _post_clean(self):
        super()._post_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                classes = widget.attrs.get("class", "").split()
                if "is-invalid" not in classes:
                    widget.attrs["class"] = " ".join([*classes, "is-invalid"])


class FixedRowsFormSet(forms.BaseModelFormSet):
    """A model formset over the rows a page listed. When a submitted row has left that set since the
    page was drawn (another clerk removed it), the formset is invalid as a whole with one message,
    `rows_changed` is True, and no form is cleaned: the view shows the current rows again."""

    rows_changed_message = _(
        "The list changed since this form was opened: a row on it was removed. Nothing was saved; "
        "the current list is shown, please enter the changes again."
    )

    @cached_property
    def rows_changed(self) -> bool:
        if not self.is_bound or not self.management_form.is_valid():
            return False
        pk_name = self.model._meta.pk.name
        listed = {str(obj.pk) for obj in self.get_queryset()}
        if self.initial_form_count() > self.total_form_count():
            # A count no page drew (more rows than the formset may hold): its own validation refuses it,
            # and its rows are never read one by one.
            return False
        submitted = [self.data.get(f"{self.add_prefix(i)}-{pk_name}") for i in range(self.initial_form_count())]
        return any(str(pk) not in listed for pk in submitted)

    def is_valid(self) -> bool:
        return not self.rows_changed and super().is_valid()

    def non_form_errors(self):
        if self.rows_changed:
            return self.error_class([self.rows_changed_message], renderer=self.renderer)
        return super().non_form_errors()
