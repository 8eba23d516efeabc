import time
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

# Writing the session on every request would cost a database write per page; a minute's
# precision on the idle clock is enough.
_TOUCH_EVERY = 60
STARTED = "rantau_started"
SEEN = "rantau_seen"


class SessionTimeoutMiddleware:
    """Signs a user out after SESSION_IDLE_TIMEOUT idle seconds or SESSION_COOKIE_AGE in all.

    Both clocks are kept in the session (seconds since the epoch), so they hold across app servers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault(STARTED, now)
            last = session.get(SEEN, now)
            if now - last > settings.SESSION_IDLE_TIMEOUT or now - started > settings.SESSION_COOKIE_AGE:
                return self._expired(request)
            if now - last >= _TOUCH_EVERY or SEEN not in session:
                session[SEEN] = now
        response = self.get_response(request)
        # A sign-in during this request (the login view) starts both clocks from now.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and STARTED not in request.session:
            request.session[STARTED] = request.session[SEEN] = int(time.time())
        return response

    def _expired(self, request):
        logout(request)
        messages.info(request, _("Your session has ended. Please sign in again."))
        if request.headers.get("HX-Request"):
            # An htmx request would swap the login page into a fragment: send the whole page there,
            # and back to the page (not the fragment) after signing in.
            page = urlsplit(request.headers.get("HX-Current-URL", ""))
            response = HttpResponse(status=204)
            response["HX-Redirect"] = redirect_to_login(urlunsplit(("", "", page.path or "/", page.query, "")))[
                "Location"
            ]
            return response
        return redirect_to_login(request.get_full_path())


class PrivatePagesMiddleware:
    """Pages for a signed-in user hold personal data: no browser or proxy may store them, so the
    Back button on a shared office computer shows nothing after signing out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            add_never_cache_headers(response)
        return response


def chosen_language(request) -> str:
    """The interface language: the signed-in user's choice, else the language cookie (the switch on
    the login page), else Bahasa Indonesia. The browser's Accept-Language is ignored on purpose:
    office computers are often set to English, the office works in Indonesian. The data-exchange
    API (settings.MACHINE_PATH_PREFIX) answers in its client's Accept-Language."""
    if request.path.startswith(settings.MACHINE_PATH_PREFIX):
        # A machine client of the data-exchange API says which language it reads.
        return translation.get_language_from_request(request)
    user = getattr(request, "user", None)
    choices = dict(settings.LANGUAGES)
    if user is not None and user.is_authenticated and user.language in choices:
        return user.language
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return cookie if cookie in choices else settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Activates chosen_language() for the request (in place of Django's LocaleMiddleware, which
    follows the browser). After the authentication middleware: it reads the user's choice."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        user = getattr(request, "user", None)
        # The account's choice also holds on this computer's login page after signing out.
        if (
            user is not None
            and user.is_authenticated
            and user.language
            and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != user.language
            and settings.LANGUAGE_COOKIE_NAME not in response.cookies
        ):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
