"""The habits pages: "My coaching habits" for a manager (their own figures only) and
the cascade (coached managers against the others) for program admins and executive
viewers, who never see one manager's figures. Anyone else gets a 404."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from tandem.accounts import policy
from tandem.insights import access, export, habits
from tandem.lib import charts
from tandem.people.models import Person


def own_habits_manager(user: Any) -> Person | None:
    """The person whose habits `user` may read: themselves, when they manage anyone."""
    me = access.led_team(user)
    return me if habits.is_manager(me) else None


def cascade_context() -> dict[str, Any]:
    result = habits.cascade()
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


def sees_habits(user: Any) -> bool:
    """The menu entry: managers (their own habits)."""
    return policy.person_of(user) is not None and own_habits_manager(user) is not None
