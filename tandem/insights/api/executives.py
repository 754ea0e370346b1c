"""Executive participation under /api/v1/impact/executives: the share of senior
executives in each activity (sponsoring, mentoring, being coached, regular
one-on-ones, talent reviews, any of these) in the quarter under way and in each
quarter of the last two years.

Program admins and executive viewers read it (`insights.access.sees_impact`); anyone
else gets a 404. The figures are those of the page and the CSV
(`executives.participation`); nothing names a person. Each share is an estimate in
percent, {n, value, low, high, enough}: n is the number of senior executives, and
value, low and high are null under 5.
"""

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from tandem.api.errors import errors
from tandem.insights import access, export
from tandem.insights.api.impact import ImpactEstimateOut
from tandem.insights.executives import PeriodShares
from tandem.insights.views import executives as views

router = Router(tags=["impact"])


class ExecutivesShareOut(Schema):
    key: str = Field(
        ...,
        description="sponsoring, mentoring, coached, one_on_ones, talent_reviews or any",
    )
    label: str
    share: ImpactEstimateOut = Field(..., description="Percent of the senior executives")


class ExecutivesQuarterOut(Schema):
    label: str = Field(..., description="E.g. 2026 Q3")
    start: date
    end: date = Field(..., description="The day the executives are counted on")
    current: bool = Field(..., description="The quarter under way (up to today)")
    executives: int = Field(..., description="Senior executives active on `end`")
    shares: list[ExecutivesShareOut]


class ExecutivesParticipationOut(Schema):
    current: ExecutivesQuarterOut
    quarters: list[ExecutivesQuarterOut] = Field(
        ..., description="Oldest first; the last is the current quarter"
    )


def _quarter(quarter: PeriodShares) -> dict[str, Any]:
    period = quarter.period
    return {
        "label": period.label,
        "start": period.start,
        "end": period.end,
        "current": period.current,
        "executives": quarter.executives,
        "shares": [
            {"key": share.key, "label": share.label, "share": export.estimate_data(share.estimate)}
            for share in quarter.shares
        ],
    }


@router.get(
    "/impact/executives",
    response={200: ExecutivesParticipationOut, **errors(401, 404)},
    summary="The share of senior executives taking part in developing others, now and "
    "by quarter (program admins and executive viewers)",
    operation_id="get_executive_participation",
)
def participation(request: HttpRequest) -> Any:
    access.require_impact_reader(request.user)
    found = views.participation_of(request)
    return {
        "current": _quarter(found.current),
        "quarters": [_quarter(quarter) for quarter in found.quarters],
    }
