import re

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from core.forms import BootstrapMixin, DateInput, NikInput, PhoneInput, add_service_errors

# Plain forms: no database.


class _Form(BootstrapMixin, forms.Form):
    name = forms.CharField()
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])
    agree = forms.BooleanField(required=False)
    options = forms.MultipleChoiceField(choices=[("x", "X")], widget=forms.CheckboxSelectMultiple, required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    on = forms.DateField(widget=DateInput(), required=False)


class _HintedForm(BootstrapMixin, forms.Form):
    nik = forms.CharField(help_text="16 digits, as on the KTP.", widget=NikInput)
    phone = forms.CharField(help_text="Saved as +62…", required=False, widget=PhoneInput)
    agree = forms.BooleanField(help_text="Tick to agree.")
    channels = forms.MultipleChoiceField(
        choices=[("sms", "SMS"), ("whatsapp", "WhatsApp")], widget=forms.CheckboxSelectMultiple, help_text="Any."
    )


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


def _described_by_ids_missing(html: str) -> tuple[list[str], list[str]]:
    """(the ids aria-describedby names, those of them no element of the html carries)."""
    named = [i for value in re.findall(r'aria-describedby="([^"]*)"', html) for i in value.split()]
    present = set(re.findall(r'\sid="([^"]*)"', html))
    return named, [i for i in named if i not in present]


def test_the_field_template_renders_the_hint_and_errors_that_aria_describedby_names():
    for form in (_HintedForm(), _HintedForm(data={"nik": "", "phone": "x"})):
        html = "".join(render_to_string("includes/_field.html", {"field": form[name]}) for name in form.fields)
        named, missing = _described_by_ids_missing(html)
        assert "id_nik_helptext" in named and "id_channels_helptext" in named
        assert missing == []
    assert "id_nik_error" in named and "id_agree_error" in named  # the bound form has errors on both


def test_a_choice_group_is_a_fieldset_named_by_its_legend():
    html = render_to_string("includes/_field.html", {"field": _HintedForm()["channels"]})
    assert re.search(r"<fieldset[^>]*>\s*<legend[^>]*>Channels", html)
    assert html.count('type="checkbox"') == 2


def test_the_nik_asks_for_the_numeric_keypad_and_the_phone_for_the_phone_keypad():
    form = _HintedForm()
    nik, phone = str(form["nik"]), str(form["phone"])
    assert 'inputmode="numeric"' in nik and 'pattern="[0-9]{16}"' in nik and 'type="text"' in nik
    assert 'type="tel"' in phone and 'inputmode="tel"' in phone
    assert 'autocomplete="off"' in nik and 'autocomplete="off"' in phone
