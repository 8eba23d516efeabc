"""One JSON shape for every error: {"error": {"code": …, "message": …, "fields": {…}}}."""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from core.locking import StaleRecordError
from placements.gates import GateRefused

logger = logging.getLogger(__name__)


class ApiError(exceptions.APIException):
    """An error with its own code and status, and optional field messages."""

    def __init__(self, status_code: int, code: str, message: str, fields: dict | None = None):
        super().__init__(message, code)
        self.status_code = status_code
        self.code = code
        self.fields = fields or {}


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def _flatten(detail) -> list[str]:
    if isinstance(detail, dict):
        return [m for value in detail.values() for m in _flatten(value)]
    if isinstance(detail, list):
        return [m for value in detail for m in _flatten(value)]
    return [str(detail)]


def _fields(detail) -> dict[str, list[str]]:
    """DRF's nested error detail as {"field": ["message", …]}; errors of the whole body under "non_field_errors"."""
    if isinstance(detail, dict):
        return {str(name): _flatten(value) for name, value in detail.items()}
    return {"non_field_errors": _flatten(detail)} if detail else {}


def django_validation_fields(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {("non_field_errors" if k == "__all__" else k): [str(m) for m in v.messages] for k, v in error}
    return {"non_field_errors": [str(m) for m in error.messages]}


def exception_handler(exc, context):
    response = _handle(exc)
    if response is None:
        logger.exception("API error", exc_info=exc)
        response = Response(error_body("server_error", _("An unexpected error happened.")), status=500)
    set_rollback()
    return response


def _handle(exc) -> Response | None:
    if isinstance(exc, ApiError):
        return Response(error_body(exc.code, exc.detail, exc.fields), status=exc.status_code)
    if isinstance(exc, StaleRecordError):
        return Response(error_body("stale", exc.messages[0]), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, GateRefused):
        message = " ".join(exc.messages)
        return Response(
            error_body("gate_refused", message, {"gates": exc.messages}), status=status.HTTP_422_UNPROCESSABLE_ENTITY
        )
    if isinstance(exc, DjangoValidationError):
        fields = django_validation_fields(exc)
        return Response(error_body("invalid", _("The data is not valid."), fields), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None) is not None:
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, exceptions.ValidationError):
        body = error_body("invalid", _("The data is not valid."), _fields(exc.detail))
    else:
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        body = error_body(code, exc.detail if isinstance(exc.detail, str) else " ".join(_flatten(exc.detail)))
    return Response(body, status=exc.status_code, headers=headers)


def not_found(request, *args, **kwargs):
    """Any path under /api/ that matches no endpoint: the same JSON as a missing record."""
    return JsonResponse(error_body("not_found", _("Not found.")), status=404)
