from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.messages.views import SuccessMessageMixin
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from . import reauth, services
from .forms import ConfirmPasswordForm, PasswordChangeForm


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def confirm_password(request):
    """Ask for the user's password again before a sensitive change; valid for REAUTH_MAX_AGE."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=False):
        next_url = reverse("home")
    form = ConfirmPasswordForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        reauth.mark_confirmed(request)
        messages.success(request, _("Password confirmed."))
        return redirect(next_url)
    return render(
        request,
        "accounts/confirm_password.html",
        {"form": form, "next": next_url, "minutes": reauth.REAUTH_MAX_AGE // 60},
    )


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    """Change one's own password: the current one is required (re-authentication), and the
    session stays signed in afterwards while every other session of the user ends."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")
    success_message = _("Your password has been changed.")
    form_class = PasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


def locked_out(request, original_response=None, credentials=None):
    """The answer to a sign-in while locked (AXES_LOCKOUT_CALLABLE): 429 and a page that says why."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"lockout_minutes": minutes}, status=429)


def set_language(request):
    """Django's language switch, and the choice remembered on the signed-in user's account."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.user_set_language(user=request.user, language=language)
    return response
