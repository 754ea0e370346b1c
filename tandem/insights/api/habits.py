"""The habits part of /api/v1/impact: a manager's own coaching habits and their direct
reports' lines (GET /impact/habits/me) and the cascade, coached managers against the others (GET
/impact/habits/cascade, program admins and executive viewers). The same figures as the
pages (tandem.insights.habits); anyone else gets a 404."""

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from tandem.api.errors import errors
from tandem.insights import access, export, habits
from tandem.insights.views import habits as views

router = Router(tags=["impact"])


class HabitsEstimateOut(Schema):
    n: int = Field(..., description="How many answers (or managers, teams) it is over")
    value: float | None = Field(..., description="null: not enough data")
    low: float | None = Field(..., description="The 95% interval's lower end")
    high: float | None
    enough: bool


class HabitsItemOut(Schema):
    key: str
    text: str
    agreeing: HabitsEstimateOut = Field(..., description="Share answering 4 or 5")


class HabitsTeamMemberOut(Schema):
    person_id: int
    name: str
    series_id: int | None = Field(..., description="Their 1:1 series (active, else ended)")
    cadence: str | None = Field(..., description="weekly, fortnightly or monthly")
    last_held: date | None = Field(..., description="The last completed 1:1")
    next_on: date | None = Field(..., description="The next planned 1:1")
    open_next_steps: int = Field(..., description="The series' next steps not yet done")
    overdue_next_steps: int = Field(..., description="Of those, past their due date")
    feedback_given: int = Field(..., description="Feedback the manager gave them")


class HabitsMeOut(Schema):
    period_start: date
    period_end: date
    planned: int = Field(..., description="Planned 1:1 dates of active series")
    held: int = Field(..., description="Completed 1:1s")
    held_share: float | None
    with_next_steps: int
    next_steps_share: float | None
    reports: int = Field(..., description="Direct reports at the period's end")
    feedback_given: int
    feedback_per_report_month: float | None
    pulse: str | None = Field(..., description="The latest closed pulse, if any")
    items: list[HabitsItemOut]
    team: list[HabitsTeamMemberOut] = Field(..., description="The direct reports, by name")


class HabitsGroupOut(Schema):
    name: str
    managers: int
    engagement: list[HabitsEstimateOut] = Field(..., description="One per closed pulse")
    held_share: HabitsEstimateOut
    feedback_per_report_month: HabitsEstimateOut


class HabitsCascadeOut(Schema):
    period_start: date
    period_end: date
    pulses: list[str]
    coached: HabitsGroupOut
    others: HabitsGroupOut


@router.get(
    "/impact/habits/me",
    response={200: HabitsMeOut, **errors(401, 404)},
    summary="My coaching habits: 1:1s held and with next steps against planned, "
    "feedback per direct report per month, the team's habit pulse answers, and one line "
    "per direct report (managers)",
    operation_id="get_my_habits",
)
def habits_me(request: HttpRequest) -> Any:
    manager = views.own_habits_manager(request.user)
    if manager is None:
        raise Http404("No such figures.")
    figures = habits.manager_habits(manager)
    return {
        "period_start": figures.period.start,
        "period_end": figures.period.end,
        "planned": figures.planned,
        "held": figures.held,
        "held_share": figures.held_share,
        "with_next_steps": figures.with_next_steps,
        "next_steps_share": figures.next_steps_share,
        "reports": figures.reports,
        "feedback_given": figures.feedback_given,
        "feedback_per_report_month": figures.feedback_per_report_month,
        "pulse": figures.pulse.name if figures.pulse else None,
        "items": [
            {"key": i.key, "text": i.text, "agreeing": export.estimate_data(i.agreeing)}
            for i in figures.items
        ],
        "team": [
            {
                "person_id": member.person_id,
                "name": member.name,
                "series_id": member.series_id,
                "cadence": member.cadence,
                "last_held": member.last_held,
                "next_on": member.next_on,
                "open_next_steps": member.open_next_steps,
                "overdue_next_steps": member.overdue_next_steps,
                "feedback_given": member.feedback_given,
            }
            for member in habits.team_of(manager, figures.period)
        ],
    }


def _group(group: habits.Group) -> dict[str, Any]:
    return {
        "name": group.name,
        "managers": group.managers,
        "engagement": [export.estimate_data(e) for e in group.engagement],
        "held_share": export.estimate_data(group.held_share),
        "feedback_per_report_month": export.estimate_data(group.feedback_per_report_month),
    }


@router.get(
    "/impact/habits/cascade",
    response={200: HabitsCascadeOut, **errors(401, 404)},
    summary="Coached managers against the others: their teams' engagement per closed "
    "pulse and their habits' means (program admins and executive viewers)",
    operation_id="get_habits_cascade",
)
def habits_cascade(request: HttpRequest) -> Any:
    access.require_impact_reader(request.user)
    result = habits.cascade()
    return {
        "period_start": result.period.start,
        "period_end": result.period.end,
        "pulses": result.labels,
        "coached": _group(result.coached),
        "others": _group(result.others),
    }
