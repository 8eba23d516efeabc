"""The tables every dashboard is made of: one structure drives the HTML table, its chart and the XLSX.

A count cell carries the link to the filtered placement list that produced it, so the page, the
chart and the export can never disagree.
"""

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import date_format


@dataclass
class Cell:
    value: Any
    href: str | None = None
    # number | text | percent (0..1) | date | month | days
    kind: str = "number"
    badge: str = ""  # a small label after text, e.g. DEMO


@dataclass
class Table:
    key: str  # unique on the page: DOM ids, ?export=<key>
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    footer: list[Cell] | None = None
    note: str = ""
    chart: dict | None = None

    @property
    def chart_id(self) -> str:
        return f"chart-{self.key}"

    @property
    def headings(self) -> list[tuple[str, bool]]:
        """(column title, is numeric): numbers are right-aligned, text left, headings with them."""
        sample = self.rows[0] if self.rows else [Cell(None)] * len(self.columns)
        return [
            (title, i > 0 and cell.kind != "text")
            for i, (title, cell) in enumerate(zip(self.columns, sample, strict=True))
        ]


@cache
def _placement_list_path() -> str:
    return reverse("placements:placement_list")


def placements_url(**params) -> str:
    """The placement list filtered by `params` (programme=…, stage=…, reached=…, sex=…)."""
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return f"{_placement_list_path()}?{query}"


def count(n: int, **params) -> Cell:
    return Cell(n, placements_url(**params))


def text(value: str, href: str | None = None, badge: str = "") -> Cell:
    return Cell(value, href, kind="text", badge=badge)


def number(n) -> Cell:
    """A number that is not a count of listed records (a target, a demand): no link."""
    return Cell(n)


def percent(fraction: float | None) -> Cell:
    return Cell(fraction, kind="percent")


def day(value: date | None) -> Cell:
    return Cell(value, kind="date")


def month(value: date) -> Cell:
    return Cell(value, kind="month")


@dataclass
class Dataset:
    label: str
    column: int | None = None  # index into the row cells; None with `values`
    values: list | None = None
    type: str = ""  # "" = the chart's type; "line" draws a target line over bars


@dataclass
class ChartSpec:
    type: str  # bar | line | doughnut
    datasets: list[Dataset] = field(default_factory=list)
    horizontal: bool = False
    percent: bool = False


def chart_data(table: Table, spec: ChartSpec) -> dict:
    """Chart.js data taken from the table's own cells (labels from the first column)."""
    labels = [_label(row[0]) for row in table.rows]
    datasets = []
    for ds in spec.datasets:
        values = ds.values if ds.values is not None else [_chart_value(row[ds.column]) for row in table.rows]
        datasets.append({"label": ds.label, "data": values, "type": ds.type or spec.type})
    return {
        "type": spec.type,
        "labels": labels,
        "datasets": datasets,
        "horizontal": spec.horizontal,
        "percent": spec.percent,
    }


def _label(cell: Cell) -> str:
    if cell.kind == "month":
        return date_format(cell.value, "M Y")
    return str(cell.value)


def _chart_value(cell: Cell):
    if cell.kind == "percent" and cell.value is not None:
        return round(cell.value * 100, 1)  # percentages are charted on a 0–100 scale
    return cell.value
