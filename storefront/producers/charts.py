"""Charts drawn on the server: no JavaScript, readable on any phone.

These only compute rectangles and labels; templates/producers/_charts.html draws them,
always next to a table holding the same numbers. Column charts are SVG drawn in a
phone's width of units, so their labels keep 12 px or more on a 360 px screen; bar
charts are HTML rows (label, bar, value) whose text is page text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int
    share: float = 0.0  # percent of the chart's top value: a bar row's length


@dataclass(frozen=True)
class GridLine:
    position: float  # y for column charts, x for bar charts
    value: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    grid: list[GridLine]
    plot_left: float
    plot_bottom: float


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2 or 5 times a power of ten that is at least `value`."""
    if value <= 1:
        return 1
    power = 10 ** int(math.floor(math.log10(value)))
    for factor in (1, 2, 5, 10):
        if factor * power >= value:
            return factor * power
    return 10 * power  # pragma: no cover - the loop always returns


def grid_steps(top_value: int) -> int:
    """How many gridline intervals divide `top_value` into whole numbers (4, 5, 2 or 1)."""
    return next((steps for steps in (4, 5, 2) if top_value % steps == 0), 1)


def column_chart(items: Sequence[tuple[str, int]], width: int = 360, height: int = 220) -> Chart:
    """Vertical bars, one per item in order (weeks), on a scale from 0 with gridlines
    at whole values."""
    left, right, top, bottom = 104.0, 8.0, 12.0, 28.0
    plot_width, plot_height = width - left - right, height - top - bottom
    top_value = nice_ceiling(max((value for _, value in items), default=0))
    steps = grid_steps(top_value)
    slot = plot_width / max(len(items), 1)
    bars = []
    for index, (label, value) in enumerate(items):
        bar_height = plot_height * value / top_value
        bars.append(
            Bar(
                x=round(left + index * slot + slot * 0.15, 1),
                y=round(top + plot_height - bar_height, 1),
                width=round(slot * 0.7, 1),
                height=round(bar_height, 1),
                label=label,
                value=value,
            )
        )
    grid = [
        GridLine(
            round(top + plot_height - plot_height * step / steps, 1), top_value * step // steps
        )
        for step in range(steps + 1)
    ]
    return Chart(width, height, bars, grid, left, top + plot_height)


def bar_chart(items: Sequence[tuple[str, int]], width: int = 640, row: int = 28) -> Chart:
    """Horizontal bars, one row per item (provinces, products), longest scale first."""
    left, right, top = 180.0, 56.0, 4.0
    plot_width = width - left - right
    top_value = nice_ceiling(max((value for _, value in items), default=0))
    bars = [
        Bar(
            x=left,
            y=top + index * row,
            width=round(plot_width * value / top_value, 1),
            height=row * 0.7,
            label=label,
            value=value,
            share=round(100 * value / top_value, 1),
        )
        for index, (label, value) in enumerate(items)
    ]
    height = int(top * 2 + row * max(len(items), 1))
    return Chart(width, height, bars, [GridLine(left, 0)], left, height - top)
