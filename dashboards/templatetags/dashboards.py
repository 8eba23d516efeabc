"""Rendering of dashboard table cells: counts link to the list that produced them."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils.formats import get_format
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


def _grouped(n: int) -> str:
    """intcomma's grouping (1.234 in Indonesian, 1,234 in English) without its per-call overhead."""
    return f"{n:,}".replace(",", get_format("THOUSAND_SEPARATOR")) if isinstance(n, int) else intcomma(n)


@register.simple_tag
def dash_rows(cells_rows) -> str:
    """Table rows of cells (<tr><th>first</th><td>…</td></tr>), built in one pass: a dashboard has
    hundreds of cells, and a template loop per cell cost more than the page's queries."""
    out = []
    for row in cells_rows:
        parts = ["<tr>"]
        for i, cell in enumerate(row):
            if i == 0:
                parts.append(f'<th scope="row">{dash_cell(cell)}</th>')
            elif cell.kind == "text":
                parts.append(f"<td>{dash_cell(cell)}</td>")
            else:
                parts.append(f'<td class="text-end">{dash_cell(cell)}</td>')
        parts.append("</tr>")
        out.append("".join(parts))
    return mark_safe("\n".join(out))  # noqa: S308 - every part is escaped by dash_cell


@register.simple_tag
def dash_footer(cells) -> str:
    return dash_rows([cells])


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
    shown = _grouped(cell.value)
    if cell.href:
        return format_html('<a href="{}" data-count="{}">{}</a>', cell.href, cell.value, shown)
    return shown
