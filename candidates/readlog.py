"""The read log (Law 27/2022, Art. 31 and 32): one append-only table of every read of personal data.

Every page that shows a person, every document download, every export that holds personal data and
every API read of a person calls `record_read` once. The rows cannot be changed or removed (PostgreSQL
triggers on candidates.PersonalDataRead refuse UPDATE and DELETE) and there is no setting that turns
the logging off. `reads_of_person` is the one reader per person: the data report shows it, and the
data-protection officer's pages use it.

Nothing personal goes in: the route is a URL name, never a path with values; in `filters`, any value
that carries a number of six digits or more (a NIK, a phone, a passport number typed into a search)
is masked.
"""

import re

from django.db.models import QuerySet

from .models import PersonalDataRead
from .privacy import mask_identifier

Kind = PersonalDataRead.Kind

# A search term with this many digits or more could be a NIK, a phone or a document number.
_IDENTIFYING_DIGITS = 6


def record_read(
    user,
    kind: str,
    *,
    candidate=None,
    municipality=None,
    filters=None,
    rows: int | None = None,
    full_identifiers: bool = False,
    request=None,
    route: str = "",
    object_id: int | None = None,
    detail: str = "",
) -> PersonalDataRead:
    """Write one row of the read log.

    user: who read (None for a job without one); candidate: the one person read (None for a list);
    municipality: whose data (defaults to the candidate's, else the user's); filters: the query
    parameters of a list or export (a QueryDict or a dict of lists/values); rows: how many people a
    list or export held; full_identifiers: whether full NIKs or passport numbers were shown or
    written; request: the request (gives the route, the IP address and an API client's name).
    """
    api_client = ""
    ip_address = None
    if request is not None:
        match = getattr(request, "resolver_match", None)
        if not route and match is not None:
            route = match.view_name or ""
        ip_address = request.META.get("REMOTE_ADDR") or None
        client = getattr(request, "auth", None)  # the API's client on an API request (a DRF Request)
        api_client = str(getattr(client, "name", "") or "")
    if municipality is None:
        municipality_id = candidate.municipality_id if candidate is not None else getattr(user, "municipality_id", None)
    else:
        municipality_id = getattr(municipality, "pk", municipality)
    return PersonalDataRead.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        api_client=api_client[:100],
        municipality_id=municipality_id,
        candidate=candidate,
        kind=kind,
        route=route[:100],
        object_id=object_id,
        detail=detail[:200],
        filters=masked_filters(filters),
        rows=rows,
        full_identifiers=full_identifiers,
        ip_address=ip_address,
    )


def masked_filters(filters) -> dict:
    """The query parameters as JSON, with every value that may identify a person masked. Paging
    and format parameters are kept (they say which part of a list was read)."""
    if not filters:
        return {}
    items = list(filters.lists()) if hasattr(filters, "lists") else list(filters.items())  # a QueryDict or a dict
    out = {}
    for key, value in items:
        values = value if isinstance(value, list | tuple) else [value]
        masked = [_mask_value(v) for v in values if v not in (None, "")]
        if not masked:
            continue
        out[str(key)] = masked[0] if len(masked) == 1 else masked
    return out


def _mask_value(value) -> str:
    text = str(value)
    if len(re.sub(r"\D", "", text)) >= _IDENTIFYING_DIGITS:
        return mask_identifier(re.sub(r"[\s.\-+()]", "", text))
    return text


def reads_of_person(candidate) -> QuerySet[PersonalDataRead]:
    """Every logged read of one person's data, newest first (their own rows: exports and API list
    pages have no single subject and are counted by `list_reads_in_municipality`)."""
    return PersonalDataRead.objects.filter(candidate=candidate).select_related("user").order_by("-at", "-pk")


def list_reads_in_municipality(municipality_id) -> int:
    """How many list reads (exports, API list pages) of a municipality's people are logged: the data
    report says so, since a person may be among their rows."""
    return PersonalDataRead.objects.filter(municipality_id=municipality_id, candidate__isnull=True).count()
