"""Creating, re-scoping and revoking API clients, and webhook subscriptions."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.access import require_write
from accounts.models import Role
from core.models import Municipality

from .models import ApiClient, WebhookSubscription, hash_token, new_token
from .webhooks import new_secret


@dataclass(frozen=True)
class System:
    """The actor of a management command run on the server (shell access is a superuser's)."""

    is_superuser: bool = True
    municipality_id: int | None = None
    pk: None = None

    def has_perm(self, perm: str, obj=None) -> bool:
        return True


SYSTEM = System()


def _require_manage(user, municipality_id: int | None) -> None:
    """Superusers manage every client; an agreement admin those of their own municipality."""
    require_write(user, "api.add_apiclient", municipality_id)


def _role_for(scopes: list[str], municipality: Municipality | None) -> Role:
    if municipality is None:
        return Role.NATIONAL_VIEWER
    return Role.STAFF if ApiClient.Scope.WRITE in scopes else Role.OFFICIAL


def _sync_account(client: ApiClient) -> None:
    """The service account's municipality and role follow the client's (write → Staff, else Official)."""
    account = client.user
    account.municipality = client.municipality
    account.save(update_fields=["municipality"])
    account.groups.set([Group.objects.get(name=_role_for(client.scopes, client.municipality).value)])


def _clean_scopes(scopes: list[str]) -> list[str]:
    unknown = set(scopes) - set(ApiClient.Scope.values)
    if unknown:
        raise ValidationError({"scopes": _("Unknown scopes: %(names)s") % {"names": ", ".join(sorted(unknown))}})
    if not scopes:
        raise ValidationError({"scopes": _("Give at least one scope.")})
    return [s for s in ApiClient.Scope.values if s in scopes]


@transaction.atomic
def api_client_create(
    *, user, name: str, municipality: Municipality | None, scopes: list[str], expires_at: datetime | None = None
) -> tuple[ApiClient, str]:
    """A new client and its token. The token is returned once and never stored (only its hash)."""
    _require_manage(user, municipality.pk if municipality else None)
    scopes = _clean_scopes(scopes)
    if municipality is None and scopes != [ApiClient.Scope.READ]:
        raise ValidationError({"scopes": _("A national client reads aggregate statistics only: scope read.")})
    if ApiClient.objects.filter(name=name).exists():
        raise ValidationError({"name": _("An API client with this name exists.")})
    account = get_user_model().objects.create_user(
        username=f"api-{slugify(name)[:130]}", first_name=f"API: {name}"[:150], municipality=municipality
    )  # no password: the account cannot sign in on the screens
    token = new_token()
    client = ApiClient(
        name=name,
        municipality=municipality,
        scopes=scopes,
        user=account,
        token_hash=hash_token(token),
        token_hint=token[-6:],
        expires_at=expires_at,
        created_by=user if user.pk else None,
    )
    client.full_clean(exclude=["user"])
    client.save()
    _sync_account(client)
    return client, token


@transaction.atomic
def api_client_update(*, user, client: ApiClient, scopes: list[str], expires_at: datetime | None) -> ApiClient:
    _require_manage(user, client.municipality_id)
    client.scopes = _clean_scopes(scopes)
    client.expires_at = expires_at
    client.full_clean(exclude=["user"])
    client.save(update_fields=["scopes", "expires_at"])
    _sync_account(client)
    return client


@transaction.atomic
def api_client_rotate_token(*, user, client: ApiClient) -> str:
    """A new token; the old one stops working at once."""
    _require_manage(user, client.municipality_id)
    token = new_token()
    ApiClient.objects.filter(pk=client.pk).update(token_hash=hash_token(token), token_hint=token[-6:])
    return token


@transaction.atomic
def api_client_revoke(*, user, client: ApiClient) -> ApiClient:
    _require_manage(user, client.municipality_id)
    if client.revoked_at is None:
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at"])
    return client


@transaction.atomic
def webhook_subscribe(*, user, client: ApiClient, url: str, events: list[str]) -> WebhookSubscription:
    """A subscription with a new signing secret (shown to whoever set it up, for the receiver)."""
    _require_manage(user, client.municipality_id)
    if client.is_national:
        raise ValidationError(_("A national client receives no record events."))
    subscription = WebhookSubscription(client=client, url=url, events=events, secret=new_secret())
    subscription.full_clean()
    subscription.save()
    return subscription
