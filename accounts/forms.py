import re

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapMixin


class ConfirmPasswordForm(forms.Form):
    """The signed-in user's own password, checked through authenticate() so that failures count
    towards the lockout like failed sign-ins do."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "current-password", "autofocus": True, "class": "form-control"}
        ),
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        user = authenticate(self.request, username=self.request.user.get_username(), password=password)
        if user is None or user.pk != self.request.user.pk:
            raise forms.ValidationError(_("That is not your password."), code="invalid")
        return password


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form, with the current password checked through authenticate() (failures count
    towards the lockout, so a stolen session cannot guess the password here) and Bootstrap classes."""

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        user = authenticate(self.request, username=self.user.get_username(), password=old_password)
        if user is None or user.pk != self.user.pk:
            raise forms.ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password


class SavedFilterForm(BootstrapMixin, forms.Form):
    """A list's current filters under a name. The path must be a page of this site; the query string
    loses its page number and may not carry a full NIK (personal data never goes into a stored URL)."""

    name = forms.CharField(label=_("Name of this filter"), max_length=60)
    path = forms.CharField(widget=forms.HiddenInput, max_length=100)
    querystring = forms.CharField(widget=forms.HiddenInput, max_length=1000, required=False)

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_path(self) -> str:
        path = self.cleaned_data["path"]
        try:
            resolve(path)
        except Resolver404 as exc:
            raise ValidationError(_("This is not a list of Rantau.")) from exc
        if not path.startswith("/") or path.startswith("//"):
            raise ValidationError(_("This is not a list of Rantau."))
        return path

    def clean_querystring(self) -> str:
        params = QueryDict(self.cleaned_data["querystring"], mutable=True)
        params.pop("page", None)
        if any(re.search(r"\d{16}", re.sub(r"[\s.\-]", "", v)) for values in params.lists() for v in values[1]):
            raise ValidationError(_("A saved filter cannot hold a full NIK."))
        return params.urlencode()
