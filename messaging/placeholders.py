"""Named placeholders in message templates: {name}, {programme}, {date}, {place}, {documents_missing}.

Rendering replaces exactly these names (never str.format, which would let a template reach into
attributes); anything else between braces is refused when the template is saved.
"""

import re

from django.utils.translation import gettext_lazy as _

PLACEHOLDERS = {
    "name": _("the person's full name"),
    "programme": _("the programme"),
    "date": _("the date (training start, departure, return)"),
    "place": _("the place (training provider, destination)"),
    "documents_missing": _("the documents still missing"),
}
_BRACED = re.compile(r"\{([^{}]*)\}")


def placeholders_in(text: str) -> list[str]:
    """Every braced name in `text`, in order of appearance (repeats kept)."""
    return [m.group(1) for m in _BRACED.finditer(text)]


def unknown_placeholders(text: str) -> list[str]:
    seen = []
    for name in placeholders_in(text):
        if name not in PLACEHOLDERS and name not in seen:
            seen.append(name)
    return seen


def render(text: str, values: dict[str, str]) -> str:
    return _BRACED.sub(lambda m: str(values.get(m.group(1), m.group(0))), text)


def braced(names) -> str:
    """['name', 'date'] → '{name}, {date}'."""
    return ", ".join("{" + n + "}" for n in names)
