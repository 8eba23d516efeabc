"""Idempotency-Key on POST: a retried request creates nothing twice.

The first successful answer is stored per client and key; the same key with the same body replays
it, with a different body (or another endpoint) answers 409. Two concurrent requests with one key
are serialised by a transaction-scoped advisory lock, so the second replays the first's answer.
"""

import functools
import hashlib
import json

from django.db import connection, transaction
from django.utils.translation import gettext as _
from rest_framework.response import Response

from .auth import client_of
from .errors import ApiError
from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


def _request_hash(request) -> str:
    body = json.dumps(request.data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def _lock(client_id: int, key: str) -> None:
    digest = hashlib.sha256(f"{client_id}:{key}".encode()).digest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest[:8], "big", signed=True)])


def idempotent(handler):
    """Wrap a viewset's POST handler; the whole write runs in one transaction with the key's record."""

    @functools.wraps(handler)
    def wrapper(self, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        client = client_of(request)
        if key is None or client is None:
            with transaction.atomic():
                return handler(self, request, *args, **kwargs)
        if not key or len(key) > MAX_KEY_LENGTH:
            raise ApiError(400, "invalid_idempotency_key", _("The Idempotency-Key must be 1 to 255 characters."))
        request_hash = _request_hash(request)
        with transaction.atomic():
            _lock(client.pk, key)
            record = IdempotencyRecord.objects.filter(client=client, key=key).first()
            if record is not None:
                if record.request_hash != request_hash:
                    raise ApiError(
                        409,
                        "idempotency_key_reused",
                        _("This Idempotency-Key was used for a different request."),
                    )
                return Response(record.body, status=record.status, headers={"Idempotent-Replayed": "true"})
            response = handler(self, request, *args, **kwargs)
            if 200 <= response.status_code < 300:
                IdempotencyRecord.objects.create(
                    client=client,
                    key=key,
                    method=request.method,
                    path=request.path[:255],
                    request_hash=request_hash,
                    status=response.status_code,
                    body=response.data,
                )
            return response

    return wrapper
