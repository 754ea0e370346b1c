"""The impact figures as plain data: one row per figure for the CSV and XLSX exports,
and the estimate as the API returns it. Aggregates only, by construction: every row
is a figure over a group (with its n), a criterion, an effect or an ROI total; no
column names a person.

The rows hold the numbers unrounded, exactly as `report.program_impact` computed them,
so the page (which rounds for reading), the API and the exports agree.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, cast

from django.http import HttpResponse

from tandem.insights import report as impact_report
from tandem.insights.report import ProgramImpact
from tandem.insights.roi import ProgramRoi
from tandem.lib import stats
from tandem.lib.csvsafe import neutralised

if TYPE_CHECKING:
    from tandem.insights.views.impact import ProgramSummary

COLUMNS = [
    "section",
    "program",
    "key",
    "label",
    "scope",
    "unit",
    "group",
    "n",
    "value",
    "low",
    "high",
    "enough",
    "baseline",
    "target",
    "verdict",
]

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def estimate_data(estimate: stats.Estimate) -> dict[str, Any]:
    """An estimate for the API: {n, value, low, high, enough}; value, low and high are
    None without enough data."""
    return {
        "n": estimate.n,
        "value": estimate.value,
        "low": estimate.low,
        "high": estimate.high,
        "enough": estimate.enough,
    }


def _row(section: str, program: str, key: str, label: str, **cells: Any) -> list[Any]:
    values = {"section": section, "program": program, "key": key, "label": label, **cells}
    estimate = values.pop("estimate", None)
    if estimate is not None:
        values.update(estimate_data(estimate))
    unknown = set(values) - set(COLUMNS)
    if unknown:
        raise ValueError(f"not export columns: {sorted(unknown)}")
    return [values.get(column, "") for column in COLUMNS]


def report_rows(report: ProgramImpact) -> list[list[Any]]:
    """Every figure of a program's impact report, as export rows (the header first)."""
    name = report.program.name
    rows: list[list[Any]] = [list(COLUMNS)]
    rows.append(_row("group", name, "participants", "Participants", value=report.participants))
    rows.append(
        _row("group", name, "comparison", "Matched comparison group", value=report.comparison)
    )
    for figure in report.figures:
        cells = {"scope": figure.scope, "unit": figure.unit}
        rows.append(
            _row(
                "figure",
                name,
                figure.key,
                figure.label,
                group=impact_report.PARTICIPANTS,
                estimate=figure.estimate,
                **cells,
            )
        )
        if figure.comparison is not None:
            rows.append(
                _row(
                    "figure",
                    name,
                    figure.key,
                    figure.label,
                    group=impact_report.COMPARISON,
                    estimate=figure.comparison,
                    **cells,
                )
            )
    for status in report.criteria:
        criterion = status.criterion
        rows.append(
            _row(
                "criterion",
                name,
                criterion_key(status),
                criterion_label(status),
                unit=criterion.unit,
                estimate=status.actual,
                baseline=float(criterion.baseline),
                target=float(criterion.target),
                verdict=status.verdict,
            )
        )
    for effect in report.effects:
        rows.append(
            _row(
                "effect",
                name,
                effect.key,
                effect.label,
                unit=effect.unit,
                group="difference in differences",
                estimate=effect.estimate,
            )
        )
        for group, estimate in effect_groups(effect):
            rows.append(
                _row(
                    "effect",
                    name,
                    effect.key,
                    effect.label,
                    unit=effect.unit,
                    group=group,
                    estimate=estimate,
                )
            )
    retention = report.retention
    rows.append(
        _row(
            "retention",
            name,
            "hazard_ratio",
            "Hazard ratio of leaving voluntarily (participants / comparison)",
            unit="ratio",
            estimate=retention.hazard_ratio,
        )
    )
    for group, curve in retention.curves.items():
        rows.append(
            _row(
                "retention",
                name,
                "voluntary_exits",
                "People observed and voluntary exits",
                group=group,
                n=curve.n,
                value=curve.events,
                enough=curve.enough,
            )
        )
    rows.append(
        _row(
            "retention",
            name,
            "exits_avoided",
            f"Voluntary exits avoided in {retention.horizon_days} days",
            unit="people",
            value=retention.exits_avoided,
        )
    )
    rows.extend(roi_rows(report))
    return rows


def roi_rows(report: ProgramImpact) -> list[list[Any]]:
    roi = cast("ProgramRoi | None", report.roi)
    if roi is None:
        return []
    name = report.program.name
    result = roi.result
    currency = roi.currency
    return [
        _row(
            "roi",
            name,
            "total_costs",
            "Fully loaded costs",
            unit=currency,
            value=result.total_costs,
        ),
        _row(
            "roi",
            name,
            "total_benefits",
            f"Monetized benefits ({result.months} months)",
            unit=currency,
            value=result.total_benefits,
        ),
        _row("roi", name, "bcr", "Benefit-cost ratio", unit="ratio", value=result.bcr),
        _row("roi", name, "roi_percent", "ROI", unit="%", value=result.roi_percent),
        _row(
            "roi",
            name,
            "payback_months",
            "Payback period",
            unit="months",
            value="" if result.payback_months is None else result.payback_months,
        ),
    ]


def dashboard_rows(
    summaries: Iterable["ProgramSummary"], organization: Iterable[impact_report.Figure]
) -> list[list[Any]]:
    """The dashboard's figures as export rows: each program's headline figures, then the
    organization's."""
    rows: list[list[Any]] = [list(COLUMNS)]
    for summary in summaries:
        name = summary.program.name
        rows.append(
            _row("program", name, "participants", "Participants", value=summary.participants)
        )
        rows.append(
            _row(
                "program", name, "comparison", "Matched comparison group", value=summary.comparison
            )
        )
        for verdict, count in summary.criteria.items():
            rows.append(
                _row(
                    "program",
                    name,
                    "criteria",
                    f"Criteria: {verdict}",
                    verdict=verdict,
                    value=count,
                )
            )
        rows.append(
            _row(
                "program",
                name,
                "team_engagement_effect",
                "Isolated effect on the engagement of their teams",
                unit="points",
                group="difference in differences",
                estimate=summary.engagement_effect,
            )
        )
        if summary.roi_percent is not None:
            rows.append(
                _row("program", name, "roi_percent", "ROI", unit="%", value=summary.roi_percent)
            )
            rows.append(
                _row("program", name, "bcr", "Benefit-cost ratio", unit="ratio", value=summary.bcr)
            )
    for figure in organization:
        rows.append(
            _row(
                "organization",
                "",
                figure.key,
                figure.label,
                scope="organization",
                unit=figure.unit,
                estimate=figure.estimate,
            )
        )
    return rows


def effect_groups(effect: impact_report.Effect) -> list[tuple[str, stats.Estimate]]:
    """The four group means behind a difference in differences."""
    return [
        ("participants before", effect.treated_before),
        ("participants after", effect.treated_after),
        ("comparison before", effect.comparison_before),
        ("comparison after", effect.comparison_after),
    ]


def criterion_key(status: impact_report.CriterionStatus) -> str:
    criterion = status.criterion
    competency = criterion.competency.name if criterion.competency is not None else ""
    return f"{criterion.metric}:{competency}" if competency else criterion.metric


def criterion_label(status: impact_report.CriterionStatus) -> str:
    criterion = status.criterion
    label = str(criterion.get_metric_display())
    if criterion.competency is not None:
        label += f": {criterion.competency.name}"
    return label


# --- writing ----------------------------------------------------------------------------------


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([neutralised(cell) for cell in row])
    return buffer.getvalue()


def xlsx_bytes(rows: Iterable[Sequence[Any]], *, title: str = "Impact") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for row in rows:
        sheet.append([neutralised(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_response(rows: Iterable[Sequence[Any]], filename: str) -> HttpResponse:
    response = HttpResponse(csv_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def xlsx_response(rows: Iterable[Sequence[Any]], filename: str) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(rows), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
