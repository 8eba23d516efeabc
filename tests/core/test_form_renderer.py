"""The project's form renderer writes <input> widgets in Python: the HTML must be Django's own."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.forms import PasswordChangeForm
from core.form_renderer import INPUT_TEMPLATES, FormRenderer
from core.forms import DateInput, DateTimeInput, NikInput, PhoneInput

ATTRS = [
    {},
    {"class": "form-control", "required": True, "disabled": False},
    {"placeholder": _("Name, NIK (or its last digits) or phone"), "type": "search"},
    {"data-x": 'a "quoted" <b>&amp;</b>', "aria-describedby": "id_x_helptext id_x_error"},
    {"title": mark_safe("<i>safe</i>"), "maxlength": 16, "step": 0.5},
]
VALUES = [None, "", "Siti Rahayu", 'O\'Brien & "Sons" <script>', mark_safe("<b>safe</b>"), 0, 12.5, ("a", 1)]
WIDGETS = [
    forms.TextInput,
    forms.PasswordInput,
    forms.EmailInput,
    forms.NumberInput,
    forms.URLInput,
    forms.HiddenInput,
    forms.SearchInput,
    forms.TelInput,
    forms.ColorInput,
    forms.FileInput,
    forms.CheckboxInput,
    forms.DateInput,
    forms.TimeInput,
    forms.DateTimeInput,
    DateInput,
    DateTimeInput,
    NikInput,
    PhoneInput,
]


def test_the_input_widgets_are_the_ones_written_in_python():
    # Every template written in Python is compared below; a select or a textarea is not one of them.
    assert {widget.template_name for widget in WIDGETS} == INPUT_TEMPLATES
    assert forms.Select.template_name not in INPUT_TEMPLATES
    assert forms.Textarea.template_name not in INPUT_TEMPLATES


@pytest.mark.parametrize("widget_class", WIDGETS)
def test_every_input_widget_renders_as_djangos_template_does(widget_class):
    ours, django = FormRenderer(), DjangoTemplates()
    compared = 0
    for attrs in ATTRS:
        for value in [*VALUES, datetime.date(2024, 5, 14)]:
            widget = widget_class(attrs=dict(attrs))
            expected = widget.render("field", value, attrs={"id": "id_field"}, renderer=django)
            assert widget.render("field", value, attrs={"id": "id_field"}, renderer=ours) == expected
            compared += 1
    assert compared == len(ATTRS) * (len(VALUES) + 1)


class _Form(forms.Form):
    name = forms.CharField(max_length=20, help_text=_("As on the KTP"))
    email = forms.EmailField(required=False)
    born = forms.DateField(widget=DateInput)
    agree = forms.BooleanField()


def test_a_bound_form_with_errors_renders_the_same():
    data = {"name": "<Siti> " * 5, "email": "not-an-address", "born": "14-05-1999", "agree": "on"}
    ours, django = _Form(data, renderer=FormRenderer()), _Form(data, renderer=DjangoTemplates())
    assert not ours.is_valid()
    assert str(ours) == str(django)
    assert 'aria-invalid="true"' in str(ours)
    assert str(ours["name"]) == str(django["name"])


@pytest.mark.django_db
def test_the_password_form_uses_the_project_renderer(serang_staff):
    form = PasswordChangeForm(serang_staff)
    assert isinstance(form.renderer, FormRenderer)
    djangos = PasswordChangeForm(serang_staff, renderer=DjangoTemplates())
    assert str(form["old_password"]) == str(djangos["old_password"])
