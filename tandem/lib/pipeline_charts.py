"""Pipeline charts as SVG (same conventions as `tandem.lib.charts`): plain numbers in
(None where a figure is not shown), the SVG document out."""

from collections.abc import Mapping, Sequence

from matplotlib.ticker import MaxNLocator, PercentFormatter

from tandem.lib.charts import PALETTE, _new_figure, _svg

Series = tuple[Sequence[float | None], Sequence[float | None], Sequence[float | None]]


def proportions_trend_svg(labels: Sequence[str], series: Mapping[str, Series]) -> str:
    """One line per figure over the snapshots (x: `labels`), each with its 95% band;
    points with None are left out (not enough data)."""
    figure, axes = _new_figure(6)
    xs = list(range(len(labels)))
    for index, (name, (values, low, high)) in enumerate(series.items()):
        colour = PALETTE[index % len(PALETTE)]
        points = [(x, v) for x, v in zip(xs, values, strict=True) if v is not None]
        if points:
            axes.plot(*zip(*points, strict=True), marker="o", color=colour, label=name)
        band = [
            (x, lo, hi)
            for x, lo, hi in zip(xs, low, high, strict=True)
            if lo is not None and hi is not None
        ]
        if band:
            bx, blo, bhi = zip(*band, strict=True)
            axes.fill_between(bx, blo, bhi, color=colour, alpha=0.12, linewidth=0)
    axes.set_ylim(0, 1)
    axes.yaxis.set_major_formatter(PercentFormatter(1.0))
    axes.set_xticks(xs, list(labels), rotation=45, ha="right")
    axes.legend(loc="lower left", frameon=False, fontsize="small")
    return _svg(figure)


def counts_trend_svg(labels: Sequence[str], counts: Sequence[int], *, name: str) -> str:
    """A count over the snapshots, as bars."""
    figure, axes = _new_figure(4)
    xs = list(range(len(labels)))
    axes.bar(xs, list(counts), color=PALETTE[5], label=name)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xticks(xs, list(labels), rotation=45, ha="right")
    axes.legend(loc="upper left", frameon=False, fontsize="small")
    return _svg(figure)
