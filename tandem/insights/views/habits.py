"""The habits pages: "My coaching habits" for a manager (their own figures only) and
the cascade (coached managers against the others) for program admins and executive
viewers, who never see one manager's figures. Anyone else gets a 404."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from tandem.accounts import policy
from tandem.insights import access, habits
from tandem.lib import charts
from tandem.people.models import Person


def own_habits_manager(user: Any) -> Person | None:
    """The person whose habits `user` may read: themselves, when they manage anyone."""
    me = access.led_team(user)
    return me if habits.is_manager(me) else None


def require_cascade(user: Any) -> None:
    if not access.sees_impact(user):
        raise Http404("No such page.")


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
        require_cascade(request.user)
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


@login_required
def cascade(request: HttpRequest) -> HttpResponse:
    require_cascade(request.user)
    return render(request, "insights/habits_cascade.html", cascade_context())


def sees_habits(user: Any) -> bool:
    """The menu entry: managers (their own habits)."""
    return policy.person_of(user) is not None and own_habits_manager(user) is not None
