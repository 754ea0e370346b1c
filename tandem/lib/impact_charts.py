"""Impact charts as SVG (same conventions as `tandem.lib.charts`): one function per
chart, plain values in, the SVG document out.

A figure without enough data is a gap, never a zero: trend lines break around it, a
criterion or an effect without enough data writes "not enough data (n=..)" in its row,
and a retention curve without enough data is only a legend entry saying so.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from matplotlib.axes import Axes
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, PercentFormatter

from tandem.lib import impact, stats
from tandem.lib.charts import PALETTE, _new_figure, _svg

DAYS_PER_MONTH = 365.25 / 12

# Okabe-Ito, as in tandem.lib.charts: distinguishable with every common colour blindness.
MET_COLOUR = "#009E73"
NOT_MET_COLOUR = "#D55E00"
UNCLEAR_COLOUR = "#E69F00"
NEUTRAL_COLOUR = "#0072B2"
MUTED = "#666666"
GRID = "#dddddd"

VERDICT_COLOURS = {
    impact.MET: MET_COLOUR,
    impact.NOT_MET: NOT_MET_COLOUR,
    impact.NOT_YET_CLEAR: UNCLEAR_COLOUR,
}


def not_enough(estimate: stats.Estimate) -> str:
    return f"not enough data (n={estimate.n})"


def runs(values: Sequence[float | None]) -> list[list[int]]:
    """The positions of the shown values, in runs of neighbours: a line is drawn
    through each run and broken where a value is missing."""
    found: list[list[int]] = []
    for position, value in enumerate(values):
        if value is None:
            continue
        if found and found[-1][-1] == position - 1:
            found[-1].append(position)
        else:
            found.append([position])
    return found


def _legend_below(axes: Axes, columns: int, *, below: float = 0.2, **kwargs: Any) -> None:
    axes.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -below),
        ncol=max(1, min(columns, 5)),
        frameon=False,
        fontsize="small",
        **kwargs,
    )


def trend_svg(
    labels: Sequence[str], series: Mapping[str, Sequence[stats.Estimate]], ylabel: str
) -> str:
    """One line per series over the pulses (x: `labels`), each point with its interval
    as a band (a lone point: an error bar). A point without enough data is a gap."""
    figure, axes = _new_figure(6)
    xs = list(range(len(labels)))
    missing = False
    for index, (name, estimates) in enumerate(series.items()):
        if len(estimates) != len(labels):
            raise ValueError(f"{name!r} has {len(estimates)} points for {len(labels)} labels")
        colour = PALETTE[index % len(PALETTE)]
        values = [e.value if e.enough else None for e in estimates]
        missing = missing or any(value is None for value in values)
        for number, run in enumerate(runs(values)):
            # A run holds only estimates with enough data: value, low and high are set.
            ys = [float(estimates[x].value or 0) for x in run]
            lows = [float(estimates[x].low or 0) for x in run]
            highs = [float(estimates[x].high or 0) for x in run]
            label = name if number == 0 else None
            axes.plot(run, ys, marker="o", color=colour, linewidth=2, label=label)
            if len(run) > 1:
                axes.fill_between(run, lows, highs, color=colour, alpha=0.15, linewidth=0)
            else:
                axes.errorbar(
                    run,
                    ys,
                    yerr=[[ys[0] - lows[0]], [highs[0] - ys[0]]],
                    color=colour,
                    capsize=4,
                    linewidth=1,
                )
        if not runs(values):
            axes.plot([], [], color=colour, label=f"{name}: not enough data")
    axes.set_xticks(xs, list(labels), rotation=45, ha="right")
    axes.set_xlim(-0.5, max(0.5, len(labels) - 0.5))
    axes.set_ylabel(ylabel)
    axes.grid(axis="y", color=GRID, linewidth=0.6)
    axes.set_axisbelow(True)
    note = "bands: 95% intervals"
    if missing:
        note += "; gaps: not enough data (fewer than 5 people)"
    axes.set_title(note, loc="left", color=MUTED, fontsize="small")
    _legend_below(axes, len(series), below=0.28)
    return _svg(figure)


def retention_label(name: str, curve: impact.Curve) -> str:
    if not curve.enough:
        return f"{name}: not enough data (n={curve.n})"
    return f"{name} (n={curve.n}, {curve.events} left)"


def retention_svg(curves: Mapping[str, impact.Curve]) -> str:
    """Kaplan-Meier step curves of voluntary retention with their pointwise bands, x in
    months since the start. A curve without enough data is only named in the legend."""
    figure, axes = _new_figure(6)
    longest = 1.0
    for index, (name, curve) in enumerate(curves.items()):
        colour = PALETTE[index % len(PALETTE)]
        label = retention_label(name, curve)
        if not curve.enough or not curve.timeline:
            axes.plot([], [], color=colour, linestyle=":", label=label)
            continue
        months = [day / DAYS_PER_MONTH for day in curve.timeline]
        longest = max(longest, months[-1])
        axes.step(months, curve.survival, where="post", color=colour, linewidth=2, label=label)
        axes.fill_between(
            months, curve.lower, curve.upper, step="post", color=colour, alpha=0.15, linewidth=0
        )
    axes.set_ylim(0, 1.02)
    axes.set_xlim(0, longest)
    axes.yaxis.set_major_formatter(PercentFormatter(1.0))
    axes.set_xlabel("months since the program started (bands: 95% intervals)")
    axes.set_ylabel("still with the organization")
    axes.grid(axis="y", color=GRID, linewidth=0.6)
    _legend_below(axes, len(curves))
    return _svg(figure)


@dataclass(frozen=True)
class CriterionRow:
    """A success criterion as the chart draws it: its actual figure against its
    baseline and target, in the criterion's own unit."""

    label: str
    actual: stats.Estimate
    baseline: float
    target: float
    verdict: str = ""


def progress(value: float, baseline: float, target: float) -> float:
    """`value` on the row's own scale: 0 at the baseline, 100 at the target (whichever
    way the target lies). A target equal to its baseline ("hold") sits at 100, and the
    scale is then the value as a % of the target."""
    if target != baseline:
        return (value - baseline) / (target - baseline) * 100
    span = abs(target) or 1.0
    return 100 + (value - target) / span * 100


def criteria_svg(rows: Sequence[CriterionRow]) -> str:
    """One row per criterion on its own scale (0 = baseline, 100 = target): the actual
    as a dot with its interval, coloured by verdict; without enough data, a note."""
    figure, axes = _new_figure(len(rows))
    axes.axvline(0, color=MUTED, linewidth=1, linestyle="--", label="baseline")
    axes.axvline(100, color=MET_COLOUR, linewidth=1.5, linestyle="-", label="target")
    left, right = -20.0, 140.0
    for row_number, row in enumerate(rows):
        actual = row.actual
        if not actual.enough:
            axes.text(50, row_number, not_enough(actual), ha="center", va="center", color=MUTED)
            continue
        assert actual.value is not None and actual.low is not None and actual.high is not None
        points = [progress(x, row.baseline, row.target) for x in (actual.low, actual.high)]
        low, high = min(points), max(points)
        value = progress(actual.value, row.baseline, row.target)
        colour = VERDICT_COLOURS.get(row.verdict, NEUTRAL_COLOUR)
        axes.plot([low, high], [row_number, row_number], color=colour, linewidth=2.5)
        axes.plot([value], [row_number], marker="o", markersize=8, color=colour)
        left, right = min(left, low - 10), max(right, high + 10)
    axes.set_xlim(max(left, -300), min(right, 400))
    axes.set_ylim(len(rows) - 0.5, -0.5)
    axes.set_yticks(range(len(rows)), labels=[row.label for row in rows])
    axes.set_xlabel("progress from baseline (0) to target (100), each criterion on its own scale")
    axes.grid(axis="x", color=GRID, linewidth=0.6)
    axes.set_axisbelow(True)
    for verdict, colour in VERDICT_COLOURS.items():
        axes.plot([], [], marker="o", color=colour, linewidth=2.5, label=verdict)
    _legend_below(axes, 5, below=0.25)
    return _svg(figure)


def money(amount: float, currency: str) -> str:
    """A compact amount for an axis, e.g. "EUR 12.5k" (negative: a U+2212 minus first)."""
    sign = "\u2212" if amount < 0 else ""
    size = abs(amount)
    for threshold, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if size >= threshold:
            return f"{sign}{currency} {size / threshold:.3g}{suffix}"
    return f"{sign}{currency} {size:.0f}"


def waterfall_svg(steps: Sequence[tuple[str, float]], currency: str) -> str:
    """The ROI as a waterfall: each cost (negative) steps down, each benefit (positive)
    steps up, from 0; the last bar is the net, from 0 to where the steps end."""
    labels = [label for label, _amount in steps] + ["Net"]
    figure, axes = _new_figure(6)
    total = 0.0
    for position, (_label, amount) in enumerate(steps):
        if not math.isfinite(amount):
            raise ValueError(f"step {position} is {amount!r}, not a finite amount")
        colour = NOT_MET_COLOUR if amount < 0 else MET_COLOUR
        axes.bar(position, amount, bottom=total, color=colour, width=0.6)
        if position:
            axes.plot([position - 1.3, position - 0.3], [total, total], color=MUTED, linewidth=0.6)
        total += amount
    axes.bar(len(steps), total, color=NEUTRAL_COLOUR, width=0.6)
    if steps:
        axes.plot([len(steps) - 1.3, len(steps) - 0.3], [total, total], color=MUTED, linewidth=0.6)
    axes.axhline(0, color="#333333", linewidth=0.8)
    axes.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
    axes.yaxis.set_major_formatter(FuncFormatter(lambda amount, _pos: money(amount, currency)))
    axes.grid(axis="y", color=GRID, linewidth=0.6)
    axes.set_axisbelow(True)
    keys = [
        Patch(color=NOT_MET_COLOUR, label="cost"),
        Patch(color=MET_COLOUR, label="benefit"),
        Patch(color=NEUTRAL_COLOUR, label=f"net: {money(total, currency)}"),
    ]
    _legend_below(axes, 3, below=0.3, handles=keys)
    return _svg(figure)


def effects_svg(effects: Sequence[tuple[str, str, stats.Estimate]]) -> str:
    """A forest plot of the program's effects (label, unit, estimate): each estimate a
    dot with its interval around 0; rows of one unit share a panel and its scale. An
    effect without enough data says so in its row."""
    units: dict[str, list[tuple[str, stats.Estimate]]] = {}
    for label, unit, estimate in effects:
        units.setdefault(unit, []).append((label, estimate))
    rows = max(1, len(effects))
    figure, first = _new_figure(rows + len(units))
    first.remove()
    grid = figure.add_gridspec(
        max(1, len(units)), 1, height_ratios=[len(group) for group in units.values()] or [1]
    )
    if not units:
        axes = figure.add_subplot(grid[0])
        axes.text(0.5, 0.5, "no effects to show", ha="center", va="center", color=MUTED)
        axes.set_axis_off()
        return _svg(figure)
    for number, (unit, group) in enumerate(units.items()):
        axes = figure.add_subplot(grid[number])
        axes.spines[["top", "right"]].set_visible(False)
        axes.axvline(0, color="#333333", linewidth=0.8)
        reach = 1.0
        for row, (_label, estimate) in enumerate(group):
            if not estimate.enough:
                continue
            assert estimate.value is not None and estimate.low is not None
            assert estimate.high is not None
            reach = max(reach, abs(estimate.low), abs(estimate.high))
            # Solid where the interval leaves 0 out (a clear effect), grey where not;
            # whether up is good depends on the metric, so no verdict colours here.
            colour = MUTED if estimate.low <= 0 <= estimate.high else NEUTRAL_COLOUR
            axes.plot([estimate.low, estimate.high], [row, row], color=colour, linewidth=2.5)
            axes.plot([estimate.value], [row], marker="s", markersize=7, color=colour)
        for row, (_label, estimate) in enumerate(group):
            if not estimate.enough:
                axes.text(0, row, not_enough(estimate), ha="center", va="center", color=MUTED)
        axes.set_xlim(-reach * 1.15, reach * 1.15)
        axes.set_ylim(len(group) - 0.5, -0.5)
        axes.set_yticks(range(len(group)), labels=[label for label, _estimate in group])
        axes.set_xlabel(f"effect ({unit}; difference in differences, 95% interval)")
        axes.grid(axis="x", color=GRID, linewidth=0.6)
        axes.set_axisbelow(True)
    figure.subplots_adjust(hspace=0.9)
    return _svg(figure)
