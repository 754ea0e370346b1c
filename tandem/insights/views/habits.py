"""The habits pages: "My team and coaching habits" for a manager (their own figures and
their own direct reports only) and the cascade (coached managers against the others)
for program admins and executive viewers, who never see one manager's figures, as a
page and as CSV. Anyone else gets a 404."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from tandem.accounts import policy
from tandem.insights import access, export, habits
from tandem.lib import charts, stats
from tandem.people.models import Person


def own_habits_manager(user: Any) -> Person | None:
    """The person whose habits `user` may read: themselves, when they manage anyone."""
    me = access.led_team(user)
    return me if habits.is_manager(me) else None


def cascade_context(result: habits.Cascade | None = None) -> dict[str, Any]:
    """The cascade page's context; the impact dashboard passes the result it computed."""
    result = result or habits.cascade()
    chart = charts.data_uri(habits.cascade_chart(result)) if result.pulses else None
    groups = [result.coached, result.others]
    rows = [
        (pulse.name, [group.engagement[number] for group in groups])
        for number, pulse in enumerate(result.pulses)
    ]
    return {"cascade": result, "groups": groups, "rows": rows, "chart": chart}


@login_required
def my_habits(request: HttpRequest) -> HttpResponse:
    manager = own_habits_manager(request.user)
    if manager is None:
        access.require_impact_reader(request.user)
        return render(request, "insights/habits_cascade.html", cascade_context())
    figures = habits.manager_habits(manager)
    return render(
        request,
        "insights/habits.html",
        {
            "manager": manager,
            "figures": figures,
            "team": habits.team_of(manager, figures.period),
            "sees_cascade": access.sees_impact(request.user),
        },
    )


HABITS_COLUMNS = ["figure", "value", "n", "low", "high"]


def habit_rows(figures: habits.Habits) -> list[list[Any]]:
    """A manager's figures as CSV rows: the same numbers as the page and the API."""

    def share(value: float | None) -> Any:
        return "" if value is None else round(value * 100, 1)

    rows: list[list[Any]] = [
        HABITS_COLUMNS,
        ["one_on_ones_planned", figures.planned, "", "", ""],
        ["one_on_ones_held", figures.held, "", "", ""],
        ["one_on_ones_held_percent", share(figures.held_share), figures.planned, "", ""],
        [
            "one_on_ones_with_next_steps_percent",
            share(figures.next_steps_share),
            figures.planned,
            "",
            "",
        ],
        [
            "feedback_per_report_per_month",
            ""
            if figures.feedback_per_report_month is None
            else round(figures.feedback_per_report_month, 2),
            figures.reports,
            "",
            "",
        ],
    ]
    for item in figures.items:
        estimate = item.agreeing
        rows.append(
            [
                f"pulse_{item.key}_agreeing_percent",
                "" if estimate.value is None else round(estimate.value * 100, 1),
                estimate.n,
                "" if estimate.low is None else round(estimate.low * 100, 1),
                "" if estimate.high is None else round(estimate.high * 100, 1),
            ]
        )
    return rows


@login_required
def my_habits_csv(request: HttpRequest) -> HttpResponse:
    """The manager's own figures as CSV (nobody else's: 404 for anyone else)."""
    manager = own_habits_manager(request.user)
    if manager is None:
        raise Http404("No such page.")
    return export.csv_response(habit_rows(habits.manager_habits(manager)), "my-habits.csv")


@login_required
def cascade(request: HttpRequest) -> HttpResponse:
    access.require_impact_reader(request.user)
    return render(request, "insights/habits_cascade.html", cascade_context())


CASCADE_COLUMNS = ["group", "figure", "pulse", "managers", "n", "value", "low", "high", "enough"]


def cascade_rows(result: habits.Cascade) -> list[list[Any]]:
    """The cascade as CSV rows, unrounded: the same numbers as the page and the API.
    Groups only; no row names a manager."""
    rows: list[list[Any]] = [CASCADE_COLUMNS]

    def row(
        group: habits.Group, figure: str, estimate: stats.Estimate, pulse: str = ""
    ) -> list[Any]:
        data = export.estimate_data(estimate)  # None (not enough data) writes an empty cell
        return [group.name, figure, pulse, group.managers] + [
            data[key] for key in ("n", "value", "low", "high", "enough")
        ]

    for group in (result.coached, result.others):
        rows.append(row(group, "one_on_ones_held_share", group.held_share))
        rows.append(row(group, "feedback_per_report_per_month", group.feedback_per_report_month))
        for pulse, estimate in zip(result.labels, group.engagement, strict=True):
            rows.append(row(group, "team_engagement_index", estimate, pulse))
    return rows


@login_required
def cascade_csv(request: HttpRequest) -> HttpResponse:
    access.require_impact_reader(request.user)
    return export.csv_response(cascade_rows(habits.cascade()), "habits-cascade.csv")


def sees_habits(user: Any) -> bool:
    """The menu entry: managers (their own team and habits)."""
    return policy.person_of(user) is not None and own_habits_manager(user) is not None
