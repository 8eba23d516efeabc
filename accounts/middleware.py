import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _

# Writing the session on every request would cost a database write per page; a minute's
# precision on the idle clock is enough.
_TOUCH_EVERY = 60


class SessionTimeoutMiddleware:
    """Signs a user out after SESSION_IDLE_TIMEOUT idle seconds or SESSION_COOKIE_AGE in all."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault("rantau_started", now)
            last = session.get("rantau_seen", now)
            if now - last > settings.SESSION_IDLE_TIMEOUT or now - started > settings.SESSION_COOKIE_AGE:
                logout(request)
                messages.info(request, _("Your session has ended. Please sign in again."))
                return redirect_to_login(request.get_full_path())
            if now - last >= _TOUCH_EVERY or "rantau_seen" not in session:
                session["rantau_seen"] = now
        return self.get_response(request)
