from django import forms
from django.core.exceptions import ValidationError

from core.forms import BootstrapMixin, DateInput, add_service_errors

# Plain forms: no database.


class _Form(BootstrapMixin, forms.Form):
    name = forms.CharField()
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])
    agree = forms.BooleanField(required=False)
    options = forms.MultipleChoiceField(choices=[("x", "X")], widget=forms.CheckboxSelectMultiple, required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    on = forms.DateField(widget=DateInput(), required=False)


def test_every_visible_widget_gets_its_bootstrap_class_and_hidden_ones_none():
    form = _Form()
    assert form.fields["name"].widget.attrs["class"] == "form-control"
    assert form.fields["kind"].widget.attrs["class"] == "form-select"
    assert form.fields["agree"].widget.attrs["class"] == "form-check-input"
    assert form.fields["options"].widget.attrs["class"] == "form-check-input"
    assert "class" not in form.fields["token"].widget.attrs


def test_a_field_with_an_error_is_marked_invalid_once():
    form = _Form(data={"name": "", "kind": "a"})
    assert not form.is_valid()
    form.full_clean()
    assert form.fields["name"].widget.attrs["class"].split() == ["form-control", "is-invalid"]
    assert "is-invalid" not in form.fields["kind"].widget.attrs["class"]


def test_control_characters_are_refused_in_text_fields():
    form = _Form(data={"name": "Nur\u202eAgis", "kind": "a"})
    assert not form.is_valid()
    assert "name" in form.errors


def test_the_date_input_renders_iso_dates_for_the_browser():
    form = _Form(initial={"on": "2027-03-01"})
    assert 'type="date"' in str(form["on"]) and 'value="2027-03-01"' in str(form["on"])


def test_service_errors_land_next_to_their_field_or_at_the_top():
    form = _Form(data={"name": "x", "kind": "a"})
    assert form.is_valid()
    add_service_errors(form, ValidationError({"name": "taken", "elsewhere": "not a field"}))
    add_service_errors(form, ValidationError("no field at all"))
    assert form.errors["name"] == ["taken"]
    assert form.non_field_errors() == ["not a field", "no field at all"]
