"""Who sees and does what in one-on-ones: the series' manager and report only.

Everyone else — their managers, program admins, superusers — gets "not found" (404),
so ids cannot be probed. Private notes are further restricted to their author, which
`oneonones.private_note_read` enforces by reading only the caller's own."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tandem.accounts import policy
from tandem.conversations.models import (
    AgendaItem,
    Meeting,
    NextStep,
    OneOnOneSeries,
    SeriesQuerySet,
)
from tandem.people.models import Person


def me(user: Any) -> Person | None:
    return policy.person_of(user)


def sees_oneonones(user: Any) -> bool:
    """The menu entry: a person with a manager or with direct reports."""
    person = me(user)
    if person is None:
        return False
    return person.manager_id is not None or Person.objects.filter(manager=person).exists()


def reports_of(person: Person) -> Any:
    return Person.objects.filter(manager=person).order_by("last_name", "first_name", "pk")


def can_start_series(user: Any) -> bool:
    person = me(user)
    return person is not None and reports_of(person).exists()


def series_visible_to(user: Any) -> SeriesQuerySet:
    person = me(user)
    series = OneOnOneSeries.objects.select_related("manager", "report")
    if person is None:
        return series.none()
    return series.of(person)


def role_in(user: Any, series: OneOnOneSeries) -> str | None:
    person = me(user)
    if person is None:
        return None
    if series.manager_id == person.pk:
        return "manager"
    if series.report_id == person.pk:
        return "report"
    return None


def access_series(user: Any, pk: int, *, manage: bool = False) -> OneOnOneSeries:
    """The series `pk` if `user` is its manager or report (404 otherwise); with
    manage=True, its manager only (403 for the report)."""
    series = series_visible_to(user).filter(pk=pk).first()
    if series is None:
        raise Http404("No such one-on-one.")
    if manage and role_in(user, series) != "manager":
        raise PermissionDenied("Only the manager does this.")
    return series


def access_meeting(user: Any, pk: int) -> Meeting:
    person = me(user)
    meeting = (
        Meeting.objects.select_related("series__manager", "series__report").filter(pk=pk).first()
        if person is not None
        else None
    )
    if meeting is None or person is None or role_in(user, meeting.series) is None:
        raise Http404("No such meeting.")
    return meeting


def access_agenda_item(user: Any, pk: int) -> AgendaItem:
    item = AgendaItem.objects.filter(pk=pk).only("pk", "meeting_id").first()
    if item is None:
        raise Http404("No such agenda item.")
    meeting = access_meeting(user, item.meeting_id)
    item = AgendaItem.objects.get(pk=pk)
    item.meeting = meeting
    return item


def access_next_step(user: Any, pk: int) -> NextStep:
    """A next step of a meeting `user` takes part in (404 otherwise)."""
    step = NextStep.objects.filter(pk=pk).select_related("owner").first()
    if step is None:
        raise Http404("No such next step.")
    step.meeting = access_meeting(user, step.meeting_id)
    return step
