"""Layers point one way (DESIGN §3): a lower app never names a higher one, not even in a string.

import-linter checks the imports (pyproject.toml, `make lint`); this test catches what it cannot see:
a model label or permission ("placements.Placement"), a URL name ("placements:..."), a field path
("placements__stage"), and a higher app's reverse relation used from below (`candidate.placements`,
`_meta.get_field("placements")`), in the app's Python files and in its templates.
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent

# Low to high. Apps that do not exist (yet) are skipped.
LAYERS = [
    "core",
    "jobs",
    "accounts",
    "programmes",
    "candidates",
    "placements",
    "protection",
    "messaging",
    "privacy",
    "scholarships",
    "dashboards",
    "demo",
    "api",
]
PRESENT = [name for name in LAYERS if (ROOT / name).is_dir()]

# Known offences still to remove, as (file, what). Each must still occur, so the list can only shrink.
KNOWN: set[tuple[str, str]] = set()

_LOOKUP = re.compile(r"[a-z_][a-z0-9_]*(?:__[a-z0-9_]+)*")


@dataclass(frozen=True)
class Offence:
    where: str
    what: str

    def __str__(self):
        return f"{self.where}: {self.what}"


def _higher(app: str) -> list[str]:
    return PRESENT[PRESENT.index(app) + 1 :]


def reverse_names(app: str) -> dict[str, str]:
    """Reverse-relation names (accessor and query name) that higher apps' models put on `app`'s
    models, each mapped to the higher app."""
    names: dict[str, str] = {}
    for higher in _higher(app):
        try:
            config = apps.get_app_config(higher)
        except LookupError:
            continue
        for model in config.get_models():
            for field in model._meta.get_fields():
                if not field.is_relation or field.auto_created or field.related_model is None:
                    continue
                if isinstance(field.related_model, str) or field.related_model._meta.app_label != app:
                    continue
                if (field.remote_field.related_name or "").endswith("+"):
                    continue
                names[field.remote_field.get_accessor_name()] = higher
                names[field.related_query_name()] = higher
    return names


def _string_offences(text: str, higher: list[str], reverse: dict[str, str]) -> list[str]:
    found = []
    for app in higher:
        # "placements.Placement", "placements.add_placement", "placements:placement_detail",
        # "placements__stage", "placements/includes/..." (a template of the higher app).
        if re.search(rf"(?<![\w.]){app}(?:\.\w|:\w|__|/)", text):
            found.append(f"names {app} in {text!r}")
    if _LOOKUP.fullmatch(text):
        for part in text.split("__"):
            if part in reverse:
                found.append(f"uses {reverse[part]}'s relation {part!r} in {text!r}")
    return found


def python_offences(source: str, app: str, where: str = "<source>") -> list[Offence]:
    """What a .py file of `app` says about the apps above it: strings, imports, reverse relations."""
    higher, reverse = _higher(app), reverse_names(app)
    offences = []
    tree = ast.parse(source)
    # Docstrings are prose for the reader (they may say who plugs into an extension point).
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        line = f"{where}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            offences += [Offence(line, what) for what in _string_offences(node.value, higher, reverse)]
        elif isinstance(node, ast.keyword) and node.arg:  # filter(placements__stage=...)
            offences += [Offence(line, what) for what in _string_offences(node.arg, higher, reverse)]
        elif isinstance(node, ast.Attribute) and node.attr in reverse:
            offences.append(Offence(line, f"uses {reverse[node.attr]}'s relation .{node.attr}"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] in higher:
                offences.append(Offence(line, f"imports {node.module}"))
        elif isinstance(node, ast.Import):
            offences += [
                Offence(line, f"imports {alias.name}") for alias in node.names if alias.name.split(".")[0] in higher
            ]
    return offences


def template_offences(text: str, app: str, where: str = "<template>") -> list[Offence]:
    higher, reverse = _higher(app), reverse_names(app)
    offences = []
    for number, line in enumerate(text.splitlines(), 1):
        for tag in re.findall(r"{[{%].*?[%}]}", line):
            for quoted in re.findall(r"['\"]([^'\"]*)['\"]", tag):
                offences += [Offence(f"{where}:{number}", w) for w in _string_offences(quoted, higher, reverse)]
            for higher_app in higher:
                if re.search(rf"\bperms\.{higher_app}\b", tag):
                    offences.append(Offence(f"{where}:{number}", f"checks a permission of {higher_app}"))
            for name in re.findall(r"\w\.(\w+)", tag):
                if name in reverse:
                    offences.append(Offence(f"{where}:{number}", f"uses {reverse[name]}'s relation .{name}"))
    return offences


def _python_files(app: str) -> list[Path]:
    return sorted(p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.relative_to(ROOT).parts)


def _template_files(app: str) -> list[Path]:
    return sorted((ROOT / "templates" / app).rglob("*.html"))


@pytest.mark.parametrize("app", [a for a in PRESENT if _higher(a)])
def test_an_app_does_not_name_a_higher_app(app):
    files = _python_files(app)
    assert files, f"no Python files found for {app}"
    offences = []
    for path in files:
        offences += python_offences(path.read_text(), app, str(path.relative_to(ROOT)))
    for path in _template_files(app):
        offences += template_offences(path.read_text(), app, str(path.relative_to(ROOT)))
    known = {(o.where.rsplit(":", 1)[0], o.what) for o in offences} & KNOWN
    assert known == {k for k in KNOWN if k[0].startswith(f"{app}/")}, "a known offence is gone: delete it from KNOWN"
    offences = [o for o in offences if (o.where.rsplit(":", 1)[0], o.what) not in KNOWN]
    assert not offences, "\n".join(map(str, offences))


# --- the checker catches what it should ------------------------------------------------------


def test_the_layers_include_the_apps_that_exist():
    assert {"accounts", "programmes", "candidates", "placements", "dashboards"} <= set(PRESENT)


def test_reverse_relations_of_higher_apps_are_known():
    # Placement.candidate (related_name="placements") puts .placements on Candidate.
    assert reverse_names("candidates")["placements"] == "placements"
    assert "placements" not in reverse_names("placements")


@pytest.mark.parametrize(
    "source",
    [
        'Candidate._meta.get_field("placements").related_model',
        'qs.filter(placements__stage="screened")',
        'qs.prefetch_related("placements__programme")',
        "for p in candidate.placements.all(): pass",
        'apps.get_model("placements.Placement")',
        'user.has_perm("placements.add_placement")',
        'reverse("placements:placement_detail", args=[1])',
        "from placements.models import Placement",
        "import dashboards.views",
    ],
)
def test_the_checker_finds_a_lower_app_naming_a_higher_one(source):
    assert python_offences(source, "candidates")


@pytest.mark.parametrize(
    "source",
    [
        'messages.success(request, _("The candidate is left out of new placements."))',
        'label = _("Placements")',
        "from programmes.models import Programme",
        'qs.filter(documents__doc_type="passport")',
    ],
)
def test_the_checker_leaves_lower_names_and_prose_alone(source):
    assert python_offences(source, "candidates") == []


def test_the_checker_reads_templates():
    template = (
        "{% for p in candidate.placements.all %}{{ p }}{% endfor %}\n"
        "{% url 'placements:placement_detail' 1 %}\n"
        "{% if perms.placements.add_placement %}x{% endif %}\n"
        '{% include "placements/includes/_x.html" %}\n'
        "<p>placements.Placement in prose is fine</p>\n"
    )
    assert sorted({o.where for o in template_offences(template, "candidates")}) == [
        "<template>:1",
        "<template>:2",
        "<template>:3",
        "<template>:4",
    ]
