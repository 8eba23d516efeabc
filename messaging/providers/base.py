"""The provider interface and what it is handed."""

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Outgoing:
    """A message ready to leave: the address is already normalised (+62… or an e-mail address)."""

    reference: str  # our message id, for the provider's records and our outbox
    channel: str
    to: str
    body: str
    subject: str = ""
    language: str = "id"
    provider_template_id: str = ""
    params: list[str] = field(default_factory=list)


class ProviderError(Exception):
    """The provider did not take the message. `transient`: worth trying again later (down,
    overloaded, rate-limited); otherwise it will never be taken as it is (bad number, bad template)."""

    def __init__(self, reason: str, *, transient: bool):
        super().__init__(reason)
        self.reason = reason
        self.transient = transient


@dataclass(frozen=True)
class DeliveryReport:
    """What a provider says became of a message it took: delivered, or failed with its reason."""

    provider_message_id: str
    delivered: bool
    reason: str = ""


class NotSigned(Exception):  # noqa: N818
    """A delivery report that the provider did not sign (or signed with another secret)."""


class Provider:
    name = ""
    channels: tuple[str, ...] = ()
    # Whether the provider sends delivery reports to /messages/delivery/<name>/ (configured from the environment).
    reports_delivery = False

    def send(self, outgoing: Outgoing) -> str:
        """Send it; return the provider's id for the message."""
        raise NotImplementedError

    def delivery_reports(self, request) -> list[DeliveryReport]:
        """The reports in one of the provider's requests, after checking its signature (NotSigned).
        Statuses that are neither delivered nor failed (accepted, buffered, read receipts…) are left out."""
        raise NotImplementedError


def post(url: str, *, data: bytes, headers: dict[str, str], timeout: float = 15.0) -> dict:
    """POST and read a JSON answer. Connection failures, 429 and 5xx are transient; other 4xx are not.
    The reason carries the provider's own error text when it gives one."""
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")  # noqa: S310 – https in production, set by the operator
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        body = exc.read()[:2000].decode("utf-8", "replace")
        transient = exc.code == 429 or exc.code >= 500
        raise ProviderError(f"HTTP {exc.code}: {_error_text(body)}", transient=transient) from exc
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ProviderError(f"provider unreachable: {reason}", transient=True) from exc
    except json.JSONDecodeError as exc:
        raise ProviderError("provider answered something that is not JSON", transient=True) from exc


def _error_text(body: str) -> str:
    """WhatsApp Cloud: {"error": {"message": …}}; others: the body as it came."""
    try:
        data = json.loads(body)
    except json.JSONDecodeError:
        return body.strip() or "no details"
    if isinstance(data, dict) and isinstance(data.get("error"), dict):
        return str(data["error"].get("message") or data["error"])
    return body.strip()


def hmac_hex(secret: str, data: bytes, digest=hashlib.sha256) -> str:
    return hmac.new(secret.encode(), data, digest).hexdigest()


def same(expected: str, given: str) -> bool:
    """Compare two hex signatures in constant time, whatever their case."""
    return bool(given) and hmac.compare_digest(expected.lower(), given.strip().lower())
