"""Who is calling: the token (401 when missing, unknown, expired or revoked), the scopes (403), the
throttle (429). A request acts as the client's service account, so scoping is the users' own."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions, throttling
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from accounts.access import may_see_persons

from .models import ApiClient, hash_token

# last_used_at is written at most this often per client, not on every request.
LAST_USED_PRECISION = timedelta(minutes=1)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class TokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <token>`; the token's SHA-256 is looked up, never the token itself."""

    keyword = "Bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Send the header as: Authorization: Bearer <token>."))
        try:
            token = parts[1].decode()
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from exc
        client = (
            ApiClient.objects.select_related("user", "user__municipality", "municipality")
            .filter(token_hash=hash_token(token))
            .first()
        )
        now = timezone.now()
        if client is None:
            raise exceptions.AuthenticationFailed(_("The token is not valid."))
        if client.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("The token was revoked."))
        if client.expires_at is not None and client.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("The token has expired."))
        if not client.user.is_active:
            raise exceptions.AuthenticationFailed(_("The token is not valid."))
        if client.last_used_at is None or now - client.last_used_at >= LAST_USED_PRECISION:
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
            client.last_used_at = now
        return client.user, client

    def authenticate_header(self, request):
        return self.keyword


def client_of(request) -> ApiClient | None:
    return request.auth if isinstance(request.auth, ApiClient) else None


def has_personal_data_scope(request) -> bool:
    client = client_of(request)
    return client is not None and client.has_scope(ApiClient.Scope.PERSONAL_DATA)


class ClientScopes(permissions.BasePermission):
    """read for GET, write for everything else; a national client reaches the statistics only."""

    message = _("This API client lacks the scope this request needs.")

    def has_permission(self, request, view):
        client = client_of(request)
        if client is None:
            return False
        # A client that may not see persons (national: no municipality) reads the aggregates only.
        if not getattr(view, "national_allowed", False) and not may_see_persons(request.user):
            self.message = _("A national API client reads aggregate statistics only.")
            return False
        needed = ApiClient.Scope.READ if request.method in SAFE_METHODS else ApiClient.Scope.WRITE
        return client.has_scope(needed)


class ClientThrottle(throttling.SimpleRateThrottle):
    """Requests per client (settings.API_THROTTLE_RATE, e.g. "600/minute")."""

    scope = "api_client"

    def get_rate(self):
        return settings.API_THROTTLE_RATE

    def get_cache_key(self, request, view):
        client = client_of(request)
        if client is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": client.pk}
