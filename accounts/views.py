from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from core.errors import post_only

from . import reauth, services
from .access import get_own
from .forms import ConfirmPasswordForm, PasswordChangeForm, SavedFilterForm
from .models import SavedFilter


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


def _back_home(request, *args, **kwargs) -> str:
    """A GET of a saved-filter action (a reload) goes to the dashboard."""
    return reverse("home")


@post_only(_back_home)
@login_required
def saved_filter_save(request):
    """Save the list's current filters under a name, for this user only; back to the list."""
    form = SavedFilterForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        path = request.POST.get("path", "")
        back = path if url_has_allowed_host_and_scheme(path, allowed_hosts=None) and path.startswith("/") else "/"
        return redirect(back)
    data = form.cleaned_data
    try:
        saved = services.saved_filter_save(
            user=request.user, name=data["name"], path=data["path"], querystring=data["querystring"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(data["path"])
    messages.success(request, _("Filter “%(name)s” saved.") % {"name": saved.name})
    return redirect(saved.url)


@post_only(_back_home)
@login_required
def saved_filter_delete(request, pk):
    saved = get_own(SavedFilter.objects.all(), request.user, pk)
    services.saved_filter_delete(user=request.user, saved_filter=saved)
    messages.success(request, _("Filter “%(name)s” deleted.") % {"name": saved.name})
    return redirect(saved.path)


def set_language(request):
    """Django's language switch, and the choice remembered on the signed-in user's account."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.user_set_language(user=request.user, language=language)
    return response
