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


def test_the_date_input_shows_day_month_year_in_a_text_box_whatever_the_language():
    from datetime import date

    from django.utils import translation

    for language in ("id", "en"):
        with translation.override(language):
            html = str(_Form(initial={"on": date(2027, 3, 1)})["on"])
            assert 'type="text"' in html and 'value="01-03-2027"' in html
            assert 'type="date"' not in html
    with translation.override("id"):
        assert 'placeholder="hh-bb-tttt"' in str(_Form()["on"])


def test_a_typed_day_month_year_date_comes_back_as_the_same_day_in_both_languages():
    from datetime import date

    from django.utils import translation

    for language in ("id", "en"):
        with translation.override(language):
            # 03-01 is 3 January here, never March 1st as a US browser would read it.
            for typed in ("03-01-2027", "03/01/2027", "2027-01-03"):
                form = _Form(data={"name": "x", "kind": "a", "on": typed})
                assert form.is_valid(), form.errors
                assert form.cleaned_data["on"] == date(2027, 1, 3)
            shown = str(_Form(data={"name": "x", "kind": "a", "on": "03-01-2027"})["on"])
            assert 'value="03-01-2027"' in shown
            assert not _Form(data={"name": "x", "kind": "a", "on": "01/13/2027"}).is_valid()


def test_service_errors_land_next_to_their_field_or_at_the_top():
    form = _Form(data={"name": "x", "kind": "a"})
    assert form.is_valid()
    add_service_errors(form, ValidationError({"name": "taken", "elsewhere": "not a field"}))
    add_service_errors(form, ValidationError("no field at all"))
    assert form.errors["name"] == ["taken"]
    assert form.non_field_errors() == ["not a field", "no field at all"]
