"""Dashboard numbers laid out as tables (with their charts and click-through links) in the user's language."""

from django.urls import reverse
from django.utils.translation import gettext as _

from placements.models import PlacementStage

from .selectors import (
    EARLY_ENDS,
    HOME_FUNNEL,
    Breakdown,
    CohortRow,
    NationalOverview,
    ProgrammeDashboard,
    ProgrammeFunnel,
)
from .tables import Cell, ChartSpec, Dataset, Table, chart_data, count, day, month, number, percent, text


def stage_label(stage: str) -> str:
    return str(PlacementStage(stage).label)


def cumulative_note() -> str:
    return _(
        "Each stage counts the placements that have reached it or gone further (cumulative). "
        "Placements that ended early are counted only under “Ended early”."
    )


def _programme_cell(programme) -> Cell:
    badge = _("DEMO") if programme.agreement.is_demo else ""
    return text(programme.name, reverse("programme_detail", args=[programme.pk]), badge=badge)


# --- home ----------------------------------------------------------------------------------------


def programmes_table(rows: list[ProgrammeFunnel]) -> Table:
    stages = HOME_FUNNEL
    table = Table(
        key="programmes",
        title=_("Programmes: funnel against target"),
        columns=[_("Programme"), _("Minimum"), _("Target"), _("Maximum")]
        + [stage_label(s) for s in stages]
        + [_("Ended early")],
        rows=[
            [
                _programme_cell(row.programme),
                number(row.programme.target_min),
                number(row.programme.target),
                number(row.programme.target_max),
                *[count(row.funnel.reached[s], programme=row.programme.pk, reached=s) for s in stages],
                count(row.funnel.ended, programme=row.programme.pk, stage="ended"),
            ]
            for row in rows
        ],
        note=cumulative_note(),
    )
    ready, departed = 4 + stages.index("ready"), 4 + stages.index("departed")
    table.chart = chart_data(
        table,
        ChartSpec(
            "bar",
            [
                Dataset(_("Target"), 2),
                Dataset(_("Reached Ready"), ready),
                Dataset(_("Reached departure"), departed),
            ],
            horizontal=True,
        ),
    )
    return table


def cohorts_table(rows: list[CohortRow]) -> Table:
    return Table(
        key="cohorts",
        title=_("Cohorts departing in the next 60 days"),
        columns=[_("Cohort"), _("Programme"), _("Planned departure"), _("Placements")],
        rows=[
            [
                text(row.cohort.name, reverse("placements:cohort_detail", args=[row.cohort.pk])),
                text(row.cohort.programme.name, reverse("programme_detail", args=[row.cohort.programme_id])),
                day(row.cohort.planned_departure),
                count(row.placements, cohort=row.cohort.pk),
            ]
            for row in rows
        ],
    )


# --- programme dashboard -------------------------------------------------------------------------


def funnel_table(d: ProgrammeDashboard) -> Table:
    p = d.programme
    target = p.target or None
    table = Table(
        key="funnel",
        title=_("Funnel against target"),
        columns=[_("Stage"), _("Reached"), _("Share of target")],
        rows=[
            [
                text(stage_label(s)),
                count(d.funnel.reached[s], programme=p.pk, reached=s),
                percent(d.funnel.reached[s] / target if target else None),
            ]
            for s in d.stages
        ],
        note=cumulative_note(),
    )
    n = len(d.stages)
    table.chart = chart_data(
        table,
        ChartSpec(
            "bar",
            [
                Dataset(_("Reached"), 1),
                Dataset(_("Minimum"), values=[p.target_min] * n, type="line"),
                Dataset(_("Target"), values=[p.target] * n, type="line"),
                Dataset(_("Maximum"), values=[p.target_max] * n, type="line"),
            ],
        ),
    )
    return table


def occupations_table(d: ProgrammeDashboard) -> Table:
    p, stages = d.programme, HOME_FUNNEL

    def row_for(occupation_id, name, isco, kbji, requested, funnel):
        filters = {"programme": p.pk, "occupation": occupation_id}
        counts = [funnel.reached[s] for s in stages] + [funnel.ended]
        if occupation_id is None:
            # No list filter selects "no occupation"; these numbers cannot click through.
            cells = [number(n) for n in counts]
        else:
            cells = [count(funnel.reached[s], reached=s, **filters) for s in stages]
            cells.append(count(funnel.ended, stage="ended", **filters))
        return [text(name or _("Not assigned yet")), text(isco), text(kbji), number(requested), *cells]

    rows = [row_for(o.occupation_id, o.name, o.isco_code, o.kbji_code, o.requested, o.funnel) for o in d.occupations]
    requested = sum(o.requested or 0 for o in d.occupations)
    footer = [
        text(_("All occupations")),
        text(""),
        text(""),
        number(requested),
        *[count(d.funnel.reached[s], programme=p.pk, reached=s) for s in stages],
        count(d.funnel.ended, programme=p.pk, stage="ended"),
    ]
    table = Table(
        key="occupations",
        title=_("Funnel against demand, per occupation"),
        columns=[_("Occupation"), _("ISCO-08"), _("KBJI"), _("Requested")]
        + [stage_label(s) for s in stages]
        + [_("Ended early")],
        rows=rows,
        footer=footer,
        note=cumulative_note(),
    )
    table.chart = chart_data(
        table,
        ChartSpec(
            "bar",
            [
                Dataset(_("Requested"), 3),
                Dataset(_("Reached Ready"), 4 + stages.index("ready")),
                Dataset(_("Reached departure"), 4 + stages.index("departed")),
            ],
        ),
    )
    return table


def breakdown_table(
    d: ProgrammeDashboard, key: str, title: str, heading: str, rows: list[Breakdown], spec: ChartSpec
) -> Table:
    p = d.programme
    filter_name = {"sex": "sex", "age": "age_band", "kecamatan": "kecamatan", "education": "education"}[key]

    def linked(n, b: Breakdown, **extra):
        return count(n, programme=p.pk, **{filter_name: b.key}, **extra)

    table = Table(
        key=key,
        title=title,
        columns=[heading, _("Placements"), _("Reached departure")],
        rows=[[text(b.label), linked(b.count, b), linked(b.departed, b, reached="departed")] for b in rows],
        footer=[
            text(_("Total")),
            count(sum(b.count for b in rows), programme=p.pk),
            count(sum(b.departed for b in rows), programme=p.pk, reached="departed"),
        ],
        note=_("All placements in the programme, including those that ended early."),
    )
    spec.datasets = spec.datasets or [Dataset(_("Placements"), 1), Dataset(_("Reached departure"), 2)]
    table.chart = chart_data(table, spec)
    return table


def months_table(d: ProgrammeDashboard) -> Table:
    p = d.programme
    table = Table(
        key="months",
        title=_("Registrations and departures per month"),
        columns=[_("Month"), _("Registrations"), _("Departures")],
        rows=[
            [
                month(m.month),
                count(m.registered, programme=p.pk, registered_month=m.month.strftime("%Y-%m")),
                count(m.departed, programme=p.pk, departed_month=m.month.strftime("%Y-%m")),
            ]
            for m in d.months
        ],
        note=_("Registrations by registration date; departures by actual departure date, whatever happened after."),
    )
    table.chart = chart_data(table, ChartSpec("bar", [Dataset(_("Registrations"), 1), Dataset(_("Departures"), 2)]))
    return table


def providers_table(d: ProgrammeDashboard) -> Table:
    table = Table(
        key="providers",
        title=_("Training results per provider"),
        columns=[_("Provider"), _("Enrolled"), _("Passed"), _("Failed"), _("Pending"), _("Pass rate")],
        rows=[
            [
                # The batches of the programme, each with its roster and results.
                text(r.name, f"{reverse('placements:training_list')}?programme={d.programme.pk}"),
                number(r.enrolled),
                number(r.passed),
                number(r.failed),
                number(r.pending),
                percent(r.pass_rate),
            ]
            for r in d.providers
        ],
        note=_("Pass rate: passed among those assessed (passed or failed); pending results are left out."),
    )
    table.chart = chart_data(table, ChartSpec("bar", [Dataset(_("Pass rate (%)"), 5)], horizontal=True, percent=True))
    return table


def early_ends_table(d: ProgrammeDashboard) -> Table:
    p = d.programme
    table = Table(
        key="early_ends",
        title=_("Early ends by reason"),
        columns=[_("Reason"), _("Placements")],
        rows=[[text(stage_label(s)), count(d.funnel.ended_by_reason[s], programme=p.pk, stage=s)] for s in EARLY_ENDS],
        footer=[text(_("Total")), count(d.funnel.ended, programme=p.pk, stage="ended")],
    )
    table.chart = chart_data(table, ChartSpec("doughnut", [Dataset(_("Placements"), 1)]))
    return table


def programme_tables(d: ProgrammeDashboard) -> list[Table]:
    return [
        funnel_table(d),
        occupations_table(d),
        breakdown_table(d, "sex", _("By sex"), _("Sex"), d.sex, ChartSpec("doughnut", [Dataset(_("Placements"), 1)])),
        breakdown_table(d, "age", _("By age band"), _("Age"), d.age, ChartSpec("bar")),
        breakdown_table(
            d, "kecamatan", _("By kecamatan"), _("Kecamatan"), d.kecamatan, ChartSpec("bar", horizontal=True)
        ),
        breakdown_table(d, "education", _("By education"), _("Education"), d.education, ChartSpec("bar")),
        months_table(d),
        providers_table(d),
        early_ends_table(d),
    ]


# --- national view -------------------------------------------------------------------------------


def municipalities_table(overview: NationalOverview) -> Table:
    rows = overview.municipalities
    table = Table(
        key="municipalities",
        title=_("Municipalities side by side"),
        columns=[
            _("Municipality"),
            _("Programmes"),
            _("Candidates"),
            _("Placements"),
            _("Reached departure"),
            _("Returned"),
            _("Ended early"),
        ],
        rows=[
            [
                text(r.municipality.name),
                number(r.programmes),
                number(r.candidates),
                count(r.placements, municipality=r.municipality.pk),
                count(r.departed, municipality=r.municipality.pk, reached="departed"),
                count(r.returned, municipality=r.municipality.pk, stage="returned"),
                count(r.ended, municipality=r.municipality.pk, stage="ended"),
            ]
            for r in rows
        ],
        footer=[
            text(_("All municipalities")),
            number(sum(r.programmes for r in rows)),
            number(sum(r.candidates for r in rows)),
            count(sum(r.placements for r in rows)),
            count(sum(r.departed for r in rows), reached="departed"),
            count(sum(r.returned for r in rows), stage="returned"),
            count(sum(r.ended for r in rows), stage="ended"),
        ],
        note=_("Counts only; no person is named. Ministry programmes (run for every office): %(n)s.")
        % {"n": overview.national_programmes},
    )
    table.chart = chart_data(
        table,
        ChartSpec(
            "bar",
            [
                Dataset(_("Placements"), 3),
                Dataset(_("Reached departure"), 4),
                Dataset(_("Returned"), 5),
                Dataset(_("Ended early"), 6),
            ],
        ),
    )
    return table


# --- key figures -----------------------------------------------------------------------------------


def projection_level(d: ProgrammeDashboard) -> str:
    """Where the projection lands: no_date, passed, below, min, target or max."""
    p, projected = d.programme, d.projection.projected
    if d.projection.planned_departure is None:
        return "no_date"
    if projected is None:
        return "passed"
    if p.target_max and projected >= p.target_max:
        return "max"
    if projected >= p.target:
        return "target"
    if projected >= p.target_min:
        return "min"
    return "below"
