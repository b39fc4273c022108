"""Horizontal bar charts drawn as inline SVG on the server (``components/bar_chart.html``):
no script, readable when printed, each bar with its figure written beside it."""

from __future__ import annotations

from dataclasses import dataclass

CHART_WIDTH = 400
CHART_ROW = 38


@dataclass
class Bar:
    label: str
    value: int
    note: str = ""
    length: float = 0.0  # in the chart's units, 0 to CHART_WIDTH
    y: int = 0


@dataclass
class Chart:
    title: str
    bars: list[Bar]
    width: int = CHART_WIDTH

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * CHART_ROW


def bar_chart(title: str, items: list[tuple[str, int, str]], scale: int | None = None) -> Chart:
    """A chart of ``(label, value, note)`` rows; bars are drawn against ``scale`` (a total,
    for shares of it), else against the largest value."""
    top = scale if scale is not None else max((value for _l, value, _n in items), default=0)
    bars = [
        Bar(label, value, note, round(CHART_WIDTH * value / top, 1) if top else 0.0, i * CHART_ROW)
        for i, (label, value, note) in enumerate(items)
    ]
    return Chart(title, bars)
