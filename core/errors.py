"""Error pages in Rantau's layout and the user's language, each with a way back (issue 18).

`post_only` replaces `require_POST` on actions: a GET (a reload after a refused move, the language
switch after a form error) goes back to the object's page instead of answering 405.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseNotAllowed, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import requires_csrf_token


def back_url(request) -> str:
    """Where "back" goes: the page the user came from when it is on this site, else home."""
    referer = request.META.get("HTTP_REFERER", "")
    here = request.build_absolute_uri()
    if (
        referer
        and referer != here
        and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return referer
    return reverse("home")


def _error_page(request, status: int):
    return render(request, f"errors/{status}.html", {"back_url": back_url(request), "status": status}, status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    return _error_page(request, 400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return _error_page(request, 403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return _error_page(request, 404)


@requires_csrf_token
def server_error(request):
    # Rendered without the request's context processors: the failure may be the database itself.
    return HttpResponseServerError(loader.get_template("errors/500.html").render({"home_url": reverse("home")}))


class MethodNotAllowedMiddleware:
    """Django answers a wrong method with an empty 405: show the house page instead (the API keeps
    its own JSON answer)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            isinstance(response, HttpResponseNotAllowed)
            and not response.content
            and not request.path.startswith(settings.MACHINE_PATH_PREFIX)
            and request.method != "HEAD"
        ):
            page = _error_page(request, 405)
            page["Allow"] = response["Allow"]
            return page
        return response


def post_only(back):
    """Like `require_POST`, but a GET or HEAD returns to the object's page: `back` is a URL name
    reversed with the view's arguments, or a callable (request, **kwargs) -> URL. An anonymous GET
    goes to the login page; other methods still answer 405."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                return view(request, *args, **kwargs)
            if request.method not in ("GET", "HEAD"):
                return HttpResponseNotAllowed(["POST"])
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            return redirect(
                back(request, *args, **kwargs) if callable(back) else reverse(back, args=args, kwargs=kwargs)
            )

        return wrapped

    return decorator
