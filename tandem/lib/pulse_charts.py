"""The engagement pulse trend as SVG (same conventions as `tandem.lib.charts`): plain
numbers in (None where a pulse's figure is not shown), the SVG document out."""

from collections.abc import Sequence

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

from tandem.lib.charts import PALETTE, _svg

# One figure over the pulses: its values, and the low and high ends of its interval.
Series = tuple[Sequence[float | None], Sequence[float | None], Sequence[float | None]]


def _draw(axes: Axes, xs: list[int], series: Series, colour: str, label: str) -> None:
    values, low, high = series
    points = [(x, v) for x, v in zip(xs, values, strict=True) if v is not None]
    if points:
        axes.plot(*zip(*points, strict=True), marker="o", color=colour, label=label)
    band = [
        (x, lo, hi)
        for x, lo, hi in zip(xs, low, high, strict=True)
        if lo is not None and hi is not None
    ]
    if band:
        bx, blo, bhi = zip(*band, strict=True)
        axes.fill_between(bx, blo, bhi, color=colour, alpha=0.15, linewidth=0)
        # Whiskers too, so that a lone pulse (no band to draw) still shows its interval.
        axes.vlines(bx, blo, bhi, color=colour, alpha=0.6, linewidth=1.2)


def pulse_trend_svg(
    labels: Sequence[str], index: Series, enps: Series, *, index_label: str, enps_label: str
) -> str:
    """Two panels over the pulses (x: `labels`, oldest first): the engagement index
    (0-100) and eNPS (-100 to 100), each with its 95% band. A pulse whose figure is not
    shown (not enough data) has no point."""
    figure, (top, bottom) = plt.subplots(
        2, 1, sharex=True, figsize=(7.0, 4.6), gridspec_kw={"hspace": 0.15}
    )
    xs = list(range(len(labels)))
    for axes in (top, bottom):
        axes.spines[["top", "right"]].set_visible(False)
    _draw(top, xs, index, PALETTE[0], index_label)
    top.set_ylim(0, 100)
    top.set_ylabel(index_label)
    _draw(bottom, xs, enps, PALETTE[1], enps_label)
    bottom.set_ylim(-100, 100)
    bottom.axhline(0, color=PALETTE[6], linewidth=0.8)
    bottom.set_ylabel(enps_label)
    bottom.set_xticks(xs, list(labels), rotation=45, ha="right")
    if len(xs) == 1:
        bottom.set_xlim(-1, 1)
    return _svg(figure)
