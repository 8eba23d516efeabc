"""What placements adds to the candidate pages (candidates.extensions), registered in apps.ready():
the list's programme-and-stage column and its stage and programme filters, and the placements
section of a candidate's page with the documents their programmes require."""

from functools import lru_cache

import django_filters
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from candidates import extensions, transfers
from core.forms import ANY_LABEL
from programmes.selectors import programme_list

from .extensions import ReminderSource, register_reminder_source
from .models import Placement, PlacementStage
from .reminders import Reminder


@lru_cache(maxsize=16)
def _stage_labels(language: str | None) -> dict[str, str]:
    # Translated once per language, not per row (candidate list: ~2× faster than get_stage_display).
    return {value: str(label) for value, label in PlacementStage.choices}


def _stage_label(stage: str) -> str:
    return _stage_labels(get_language()).get(stage, stage)


# --- the list's column -----------------------------------------------------------------------------


def _list_prefetch() -> Prefetch:
    # One query for the page: its candidates' placements with their programmes, latest move first.
    # Only what the cells read (_cell_html, _cell_text): the page builds a hundred of these.
    placements = (
        Placement.objects.select_related("programme")
        .only("candidate", "programme", "programme__name", "stage", "stage_changed_at")
        .order_by("-stage_changed_at", "pk")
    )
    return Prefetch("placements", queryset=placements)


@lru_cache(maxsize=1024)
def _short_name(name: str) -> str:
    # A page shows the same few programmes on many rows: each name is shortened once.
    return Truncator(name).chars(40)


def _cell_html(candidate) -> SafeString:
    placements = candidate.placements.all()
    if not placements:
        return mark_safe('<span class="text-body-secondary">–</span>')  # noqa: S308 - a constant
    return format_html_join(
        "\n",
        '<div>{}: <span class="badge text-bg-light border">{}</span></div>',
        ((_short_name(p.programme.name), _stage_label(p.stage)) for p in placements),
    )


def _cell_text(candidate) -> str:
    return "; ".join(f"{p.programme.name}: {_stage_label(p.stage)}" for p in candidate.placements.all())


# --- the list's filters ----------------------------------------------------------------------------


def _keep(queryset, name, value):
    # Applied together in _apply_filters.
    return queryset


def _filters(user) -> dict:
    return {
        "stage": django_filters.ChoiceFilter(
            label=_("Placement stage"), choices=PlacementStage.choices, method=_keep, empty_label=ANY_LABEL
        ),
        "programme": django_filters.ModelChoiceFilter(
            label=_("Programme"),
            queryset=programme_list(user=user).order_by("name"),
            method=_keep,
            empty_label=ANY_LABEL,
        ),
    }


def _apply_filters(queryset: QuerySet, data: dict) -> QuerySet:
    stage, programme = data.get("stage"), data.get("programme")
    if not (stage or programme):
        return queryset
    # Both on the same placement: "in training in programme X", not one of each.
    cond = {"candidate": OuterRef("pk")}
    if stage:
        cond["stage"] = stage
    if programme:
        cond["programme"] = programme
    return queryset.filter(Exists(Placement.objects.filter(**cond)))


# --- the candidate's page --------------------------------------------------------------------------


def _detail_prefetch() -> list[str]:
    return ["placements__programme", "placements__stage_events__moved_by"]


def _required_documents(candidate) -> dict[str, list[str]]:
    """The document types the programmes of the candidate's placements require (prefetched)."""
    required: dict[str, list[str]] = {}
    for placement in candidate.placements.all():
        for doc_type in placement.programme.required_documents or []:
            required.setdefault(doc_type, []).append(placement.programme.name)
    return required


def _open_placements_block_transfer(candidate) -> list[str]:
    """A transfer to another office waits until the person's open placements are finished or
    withdrawn: they belong to the old office's programmes, batches and cohorts."""
    open_ones = Placement.objects.open().filter(candidate=candidate).select_related("programme")
    return [
        gettext("Open placement: %(programme)s (%(stage)s).")
        % {"programme": placement.programme.name, "stage": placement.get_stage_display()}
        for placement in open_ones
    ]


TRANSFER_REQUEST = "transfer_request"


def _transfer_request_count(*, user, today) -> int:
    return transfers.incoming_request_count(user)


def _transfer_request_reminders(*, user, today, limit: int) -> list:
    """Open transfer requests of other offices for this office's people: the reminders page, its
    count on the home page and the daily e-mail list them until the office decides."""
    label = gettext("Transfer request waiting for your decision")
    list_url = reverse("candidates:transfer_list")
    return [
        Reminder(
            kind=TRANSFER_REQUEST,
            municipality_code=t.from_municipality.code,
            municipality=t.from_municipality.name,
            subject=t.candidate.full_name,
            message=gettext("%(office)s asks for this person (requested on %(date)s).")
            % {"office": t.to_municipality.name, "date": date_format(timezone.localtime(t.requested_at), "j M Y")},
            url=reverse("candidates:transfer_detail", args=[t.pk]),
            due=timezone.localdate(t.requested_at),
            label=label,
            list_url=list_url,
        )
        for t in transfers.incoming_requests(user=user, limit=limit)
    ]


def _start_for_selection(*, user, source: str, params) -> extensions.ActionLink | None:
    """The candidate list's ticked people: start their placements (the start page asks the programme)."""
    if source != "candidates-selection" or not user.has_perm("placements.add_placement"):
        return None
    return extensions.ActionLink(
        label=_("Start placements for the ticked candidates"),
        url=reverse("placements:placement_start_bulk"),
        testid="start-selected",
    )


def register() -> None:
    transfers.register_transfer_check("placements", _open_placements_block_transfer)
    register_reminder_source(
        ReminderSource(
            key=TRANSFER_REQUEST,
            perm="candidates.change_candidate",
            count=_transfer_request_count,
            items=_transfer_request_reminders,
        )
    )
    extensions.register_list_action("placements.start_selected", _start_for_selection)
    extensions.register_list_column(
        extensions.ListColumn(
            key="placements",
            header=_("Placements"),
            prefetch=_list_prefetch,
            cell_html=_cell_html,
            cell_text=_cell_text,
            css_class="small",
        )
    )
    extensions.register_list_filters(extensions.ListFilters(key="placements", filters=_filters, apply=_apply_filters))
    extensions.register_detail_section(
        extensions.DetailSection(
            key="placements",
            heading=_("Placements"),
            template="placements/includes/_candidate_placements.html",
            prefetch=_detail_prefetch,
            required_documents=_required_documents,
        )
    )
