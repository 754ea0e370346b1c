"""Executive participation: the share of senior executives sponsoring, mentoring,
being coached, holding regular one-on-ones and joining talent reviews, now and for
each quarter of the last two years, as a page (a table and a chart) and a CSV.

Program admins and executive viewers read it (`insights.access.sees_impact`); anyone
else gets a 404. Aggregates only: nothing here names a person. The page, the CSV and
the API read the same `executives.participation`.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import AuditAction, AuditLog
from tandem.insights import access, executives, export
from tandem.insights.executives import Participation
from tandem.insights.views.impact import estimate_text
from tandem.lib import charts, impact_charts

CSV_COLUMNS = [
    "quarter",
    "start",
    "end",
    "current",
    "executives",
    "activity",
    "label",
    "n",
    "value",
    "low",
    "high",
    "enough",
]


def _require_executives(request: HttpRequest) -> None:
    access.require_impact_reader(request.user)


def participation_of(request: HttpRequest) -> Participation:
    """The figures, computed once per request."""
    found: Participation | None = request.__dict__.get("_executive_participation")
    if found is None:
        found = executives.participation()
        request.__dict__["_executive_participation"] = found
    return found


def csv_rows(participation: Participation) -> list[list[Any]]:
    rows: list[list[Any]] = [list(CSV_COLUMNS)]
    for quarter in participation.quarters:
        period = quarter.period
        for share in quarter.shares:
            data = export.estimate_data(share.estimate)
            rows.append(
                [
                    period.label,
                    period.start.isoformat(),
                    period.end.isoformat(),
                    "yes" if period.current else "no",
                    quarter.executives,
                    share.key,
                    share.label,
                    data["n"],
                    data["value"],
                    data["low"],
                    data["high"],
                    data["enough"],
                ]
            )
    return rows


def trend_chart(participation: Participation) -> str:
    labels = [quarter.period.label for quarter in participation.quarters]
    series = {
        str(label): [quarter.share(key).estimate for quarter in participation.quarters]
        for key, label in executives.ACTIVITIES
    }
    return charts.data_uri(impact_charts.trend_svg(labels, series, _("% of senior executives")))


@login_required
def page(request: HttpRequest) -> HttpResponse:
    _require_executives(request)
    participation = participation_of(request)
    current = participation.current
    context = {
        "current": current,
        "rows": [
            {"share": share, "text": estimate_text(share.estimate, "%")} for share in current.shares
        ],
        "quarters": [
            {
                "quarter": quarter,
                "texts": [estimate_text(share.estimate, "%") for share in quarter.shares],
            }
            for quarter in participation.quarters
        ],
        "activities": [label for _key, label in executives.ACTIVITIES],
        "chart": trend_chart(participation),
        "minimum": executives.MINIMUM,
    }
    return render(request, "insights/executives.html", context)


@login_required
def page_csv(request: HttpRequest) -> HttpResponse:
    _require_executives(request)
    name = f"executive-participation-{timezone.localdate():%Y-%m-%d}.csv"
    AuditLog.objects.record(
        actor=request.user, action=AuditAction.EXPORT, target_type="executives", summary=name
    )
    return export.csv_response(csv_rows(participation_of(request)), name)
