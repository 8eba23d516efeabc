"""Template helpers of the protection pages: percentages and the dashboard's list filters."""

from django import template
from django.utils.formats import number_format
from django.utils.http import urlencode

register = template.Library()


@register.filter
def percent(value) -> str:
    """0.25 → "25%"; None (nothing to divide by) → "–"."""
    if value is None:
        return "–"
    return f"{number_format(value * 100, 0)}%"


@register.simple_tag
def group_query(group: str, key) -> str:
    """The filter a dashboard row adds to its list links: programme=3, kecamatan=36.73.01 …"""
    if key in (None, ""):
        return ""
    return urlencode({group: key})
