"""Rendering of dashboard table cells: counts link to the list that produced them."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from dashboards.tables import Cell

register = template.Library()


@register.filter
def percent(value) -> str:
    """0.456 → "46%" (localised); None → an en dash."""
    if value is None:
        return "–"
    return f"{floatformat(value * 100, 0)}%"


@register.simple_tag
def dash_cell(cell: Cell):
    if cell.kind == "text":
        html = format_html('<a href="{}">{}</a>', cell.href, cell.value) if cell.href else format_html("{}", cell.value)
        if cell.badge:
            # The one DEMO badge (includes/_demo_badge.html), as every page shows it.
            badge = render_to_string("includes/_demo_badge.html", {"record": {"is_demo": True}})
            html = format_html("{}{}", html, badge)
        return html
    if cell.value is None:
        return mark_safe('<span class="text-body-secondary">–</span>')  # noqa: S308 - a constant
    if cell.kind == "percent":
        return percent(cell.value)
    if cell.kind == "date":
        return date_filter(cell.value, "j M Y")
    if cell.kind == "month":
        return date_filter(cell.value, "M Y")
    shown = intcomma(cell.value)
    if cell.href:
        return format_html('<a href="{}" data-count="{}">{}</a>', cell.href, cell.value, shown)
    return shown
