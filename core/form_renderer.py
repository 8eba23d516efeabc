"""The form renderer (settings.FORM_RENDERER): Django's, with the one-line <input> widgets written in
Python. Each <input> took three template renders (text.html, input.html, attrs.html); the HTML is
the same to the byte (tests/core/test_form_renderer.py compares the two on every such widget)."""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe

# Django's widget templates that are nothing but {% include "django/forms/widgets/input.html" %}.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "file",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    )
)


def _string(value) -> str:
    # {{ value|stringformat:'s' }}: "%s" % value, escaped unless the value was safe.
    if isinstance(value, tuple):
        value = str(value)
    text = "%s" % value  # noqa: UP031 - the template filter's own formatting
    return mark_safe(text) if isinstance(value, SafeData) else conditional_escape(text)  # noqa: S308


def input_html(widget: dict) -> SafeString:
    """django/forms/widgets/input.html (and attrs.html) for a widget's context."""
    parts = [f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"']
    if widget["value"] is not None:
        parts.append(f' value="{_string(widget["value"])}"')
    for name, value in widget["attrs"].items():
        if value is not False:
            parts.append(f" {conditional_escape(name)}")
            if value is not True:
                parts.append(f'="{_string(value)}"')
    parts.append(">")  # the renderer strips the templates' closing newlines
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped above


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES:
            return input_html(context["widget"])
        return super().render(template_name, context, request=request)
