"""Retention charts as SVG (same conventions as `tandem.lib.charts`): one function per
chart, plain numbers in (None where a figure is not shown), the SVG document out."""

from collections.abc import Sequence

from matplotlib.ticker import MaxNLocator, PercentFormatter

from tandem.lib.charts import PALETTE, _new_figure, _svg

REINFORCED = PALETTE[0]
UNREINFORCED = PALETTE[6]


def retention_curve_svg(
    mean: Sequence[float | None],
    unreinforced: Sequence[float],
    *,
    low: Sequence[float | None] | None = None,
    high: Sequence[float | None] | None = None,
    label: str = "with reinforcement",
    baseline_label: str = "without reinforcement",
    target: float | None = None,
) -> str:
    """Estimated recall by day since the session: the line (with its 95% band when
    given) against the unreinforced forgetting curve, dashed; `target` as a dotted
    line. Days with None draw nothing."""
    figure, axes = _new_figure(5)
    days = list(range(len(mean)))
    shown = [(d, v) for d, v in zip(days, mean, strict=True) if v is not None]
    axes.plot(
        range(len(unreinforced)),
        unreinforced,
        color=UNREINFORCED,
        linestyle="--",
        linewidth=1.5,
        label=baseline_label,
    )
    if low is not None and high is not None:
        band = [
            (d, lo, hi)
            for d, lo, hi in zip(days, low, high, strict=True)
            if lo is not None and hi is not None
        ]
        if band:
            axes.fill_between(
                [b[0] for b in band],
                [max(0.0, b[1]) for b in band],
                [min(1.0, b[2]) for b in band],
                color=REINFORCED,
                alpha=0.18,
                linewidth=0,
                label="95% interval",
            )
    if shown:
        axes.plot(
            [d for d, _ in shown], [v for _, v in shown], color=REINFORCED, linewidth=2, label=label
        )
    if target is not None:
        axes.axhline(target, color=PALETTE[1], linestyle=":", linewidth=1, label="target")
    axes.set_ylim(0, 1.02)
    axes.set_xlim(0, max(1, len(mean) - 1, len(unreinforced) - 1))
    axes.yaxis.set_major_formatter(PercentFormatter(1.0))
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("days since the session")
    axes.set_ylabel("estimated recall")
    axes.grid(axis="y", color="#dddddd", linewidth=0.6)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=4, frameon=False)
    return _svg(figure)


def cohorts_retention_svg(
    cohorts: Sequence[
        tuple[str, Sequence[float | None], Sequence[float | None], Sequence[float | None]]
    ],
    unreinforced: Sequence[float],
    *,
    target: float | None = None,
) -> str:
    """Several cohorts' estimated recall by day since their own session, each a line
    with its 95% band: (label, mean, low, high) per cohort, None where a day is not
    shown. Cohorts are drawn apart rather than pooled: their sessions are on different
    days, so a pooled mean would jump where the shorter cohort's days run out."""
    figure, axes = _new_figure(5)
    axes.plot(
        range(len(unreinforced)),
        unreinforced,
        color=UNREINFORCED,
        linestyle="--",
        linewidth=1.5,
        label="without reinforcement (model)",
    )
    longest = len(unreinforced)
    for number, (label, mean, low, high) in enumerate(cohorts):
        colour = PALETTE[(2 * number) % len(PALETTE)] if number else REINFORCED
        band = [
            (day, lo, hi)
            for day, (lo, hi) in enumerate(zip(low, high, strict=True))
            if lo is not None and hi is not None
        ]
        if band:
            axes.fill_between(
                [b[0] for b in band],
                [max(0.0, b[1]) for b in band],
                [min(1.0, b[2]) for b in band],
                color=colour,
                alpha=0.15,
                linewidth=0,
            )
        shown = [(day, value) for day, value in enumerate(mean) if value is not None]
        if shown:
            axes.plot(
                [d for d, _ in shown], [v for _, v in shown], color=colour, linewidth=2, label=label
            )
        longest = max(longest, len(mean))
    if target is not None:
        axes.axhline(target, color=PALETTE[1], linestyle=":", linewidth=1, label="target")
    axes.set_ylim(0, 1.02)
    axes.set_xlim(0, max(1, longest - 1))
    axes.yaxis.set_major_formatter(PercentFormatter(1.0))
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("days since the session (bands: 95% intervals)")
    axes.set_ylabel("estimated recall")
    axes.grid(axis="y", color="#dddddd", linewidth=0.6)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2, frameon=False)
    return _svg(figure)


def completion_bars_svg(labels: Sequence[str], done: Sequence[int], due: Sequence[int]) -> str:
    """Bursts answered out of bursts due, one horizontal bar pair per row (a learner's
    objectives, or a course's cohorts)."""
    figure, axes = _new_figure(len(labels))
    rows = range(len(labels))
    axes.barh([r - 0.2 for r in rows], due, height=0.4, color=UNREINFORCED, label="due")
    axes.barh([r + 0.2 for r in rows], done, height=0.4, color=REINFORCED, label="answered")
    axes.set_yticks(list(rows), labels=list(labels))
    axes.invert_yaxis()
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(axis="x", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=2, frameon=False)
    return _svg(figure)
