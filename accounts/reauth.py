"""Fresh password confirmation ("sudo mode") before sensitive changes, such as a user's role."""

import time
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

# How long one confirmation lasts: long enough to edit a few users, short enough that a session
# left open on a shared office computer cannot change roles.
REAUTH_MAX_AGE = 10 * 60
_SESSION_KEY = "rantau_confirmed_at"


def mark_confirmed(request: HttpRequest) -> None:
    request.session[_SESSION_KEY] = int(time.time())


def recently_confirmed(request: HttpRequest) -> bool:
    confirmed_at = request.session.get(_SESSION_KEY)
    if confirmed_at is None:
        return False
    return 0 <= int(time.time()) - confirmed_at <= REAUTH_MAX_AGE


def redirect_to_confirm(request: HttpRequest) -> HttpResponseRedirect:
    """Send the user to the confirmation page, which brings them back here afterwards."""
    return HttpResponseRedirect(f"{reverse('accounts:confirm')}?{urlencode({'next': request.get_full_path()})}")
