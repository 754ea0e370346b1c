"""Charts as SVG, one function per chart; one chart serves the page and the PDF.

Each function takes plain numbers (None where a figure is not shown) and returns the
SVG document as text; `data_uri` turns it into an `<img src>` (inline `<svg>` renders in
WeasyPrint but logs warnings). Text is drawn as paths, so a chart looks the same on
every machine and only DejaVu fonts are needed.
"""

import base64
import io
from collections.abc import Mapping, Sequence

import matplotlib

matplotlib.use("Agg")  # no display on servers and workers

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

# Colour-blind-safe (Okabe-Ito) colours, in series order.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999")
GAP_HIGHER = "#D55E00"  # self above others
GAP_LOWER = "#0072B2"  # self below others


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    with plt.rc_context({"svg.hashsalt": "tandem", "svg.fonttype": "path"}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    return buffer.getvalue()


def data_uri(svg: str) -> str:
    """The SVG as a `data:` URI for an `<img src>`."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def _new_figure(rows: int) -> tuple[Figure, Axes]:
    figure = plt.figure(figsize=(7.0, max(2.2, 0.55 * rows + 1.0)))
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    return figure, axes


def competency_profile_svg(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    scale_min: float,
    scale_max: float,
) -> str:
    """Horizontal grouped bars: one row per competency, one bar per series (self, each
    shown group, all others). A None value draws no bar."""
    figure, axes = _new_figure(len(labels))
    count = max(1, len(series))
    height = 0.8 / count
    for index, (name, values) in enumerate(series.items()):
        positions = [
            row - 0.4 + height * (index + 0.5)
            for row, value in enumerate(values)
            if value is not None
        ]
        widths = [value - scale_min for value in values if value is not None]
        axes.barh(
            positions,
            widths,
            height=height,
            left=scale_min,
            label=name,
            color=PALETTE[index % len(PALETTE)],
        )
    axes.set_yticks(range(len(labels)), labels=list(labels))
    axes.invert_yaxis()
    axes.set_xlim(scale_min, scale_max)
    axes.set_xticks(range(int(scale_min), int(scale_max) + 1))
    axes.grid(axis="x", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    if series:
        axes.legend(
            loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=min(count, 4), frameon=False
        )
    return _svg(figure)


def gap_svg(labels: Sequence[str], gaps: Sequence[float | None], *, much: float) -> str:
    """Self minus others per competency, as bars either side of zero, with the "much"
    lines (a gap at or beyond them is a blind spot or a hidden strength)."""
    figure, axes = _new_figure(len(labels))
    rows = [row for row, value in enumerate(gaps) if value is not None]
    values = [value for value in gaps if value is not None]
    axes.barh(
        rows,
        values,
        height=0.6,
        color=[GAP_HIGHER if value > 0 else GAP_LOWER for value in values],
    )
    limit = max([much * 1.5, *(abs(value) * 1.15 for value in values)])
    axes.set_xlim(-limit, limit)
    axes.axvline(0, color="#333333", linewidth=0.8)
    for edge in (-much, much):
        axes.axvline(edge, color="#999999", linewidth=0.8, linestyle="--")
    axes.set_yticks(range(len(labels)), labels=list(labels))
    axes.invert_yaxis()
    axes.set_xlabel("self - others")
    return _svg(figure)


def pause_trend_svg(periods: Sequence[str], entries: Sequence[int], paused: Sequence[int]) -> str:
    """Reflection journal trend: per period, the moments written down and how many of
    them the author paused in before reacting, as bars side by side."""
    figure = plt.figure(figsize=(7.0, 2.8))
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    positions = range(len(periods))
    axes.bar([p - 0.2 for p in positions], entries, width=0.4, color=PALETTE[6], label="written")
    axes.bar([p + 0.2 for p in positions], paused, width=0.4, color=PALETTE[2], label="paused")
    axes.set_xticks(list(positions), labels=list(periods))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(axis="y", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False)
    return _svg(figure)


def count_bars_svg(labels: Sequence[str], counts: Sequence[int]) -> str:
    """Horizontal bars, one per label, longest first as given (e.g. recurring triggers)."""
    figure, axes = _new_figure(len(labels))
    axes.barh(range(len(labels)), counts, height=0.6, color=PALETTE[0])
    axes.set_yticks(range(len(labels)), labels=list(labels))
    axes.invert_yaxis()
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(axis="x", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    return _svg(figure)
