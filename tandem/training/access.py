"""Who may see and do what with courses, sessions and seats. Every page and endpoint
fetches through one `access_*` helper per resource, so none can forget a rule.

Rules (DESIGN.md, "Confidentiality rules"):
- Program admins manage courses, sessions, questions and every seat.
- Anyone signed in sees the active courses and their sessions (what is on offer);
  a course that is no longer active stays visible to those who had a seat in it.
- A seat, its knowledge checks and its reaction survey are an individual's record: the
  learner, their management chain and program admins. Executive viewers see aggregates
  only. A manager enrolls the people in their line and may give up their seats.
- A session's facilitator sees its roster and records attendance; they do not see the
  learners' check answers or survey comments.
- Knowledge-check questions with their answers are for program admins; learners get
  the questions without the answers.

A record the user may not see is "not found" (404), so ids cannot be probed; one they
may see but not change is "forbidden" (403).
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from tandem.accounts import policy
from tandem.accounts.models import Role
from tandem.people.models import Person
from tandem.training.models import (
    Course,
    CourseQuerySet,
    CourseSession,
    CourseSessionQuerySet,
    Question,
    Seat,
    SeatQuerySet,
)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _is_executive_viewer(user: Any) -> bool:
    return Role.EXECUTIVE_VIEWER in policy.roles_of(user) and not policy.is_program_admin(user)


def sees_training(user: Any) -> bool:
    """Whether the navigation offers training: people in the organization and admins."""
    return policy.is_program_admin(user) or policy.person_of(user) is not None


def is_manager(user: Any) -> bool:
    return Role.MANAGER in policy.roles_of(user)


def can_manage(user: Any) -> bool:
    """Create and change courses, sessions, objectives, questions and challenges."""
    return policy.is_program_admin(user)


def require_manager_of_courses(user: Any) -> None:
    if not can_manage(user):
        raise PermissionDenied("Only program admins manage courses.")


# Courses ---------------------------------------------------------------------------------


def courses_visible_to(user: Any) -> CourseQuerySet:
    if policy.is_program_admin(user):
        return Course.objects.all()
    if not _signed_in(user):
        return Course.objects.none()
    me = policy.person_of(user)
    visible = Q(active=True)
    if me is not None:
        visible |= Q(sessions__seats__person=me) | Q(sessions__facilitator=me)
    return Course.objects.filter(visible).distinct()


def access_course(user: Any, pk: int, *, write: bool = False) -> Course:
    course = courses_visible_to(user).filter(pk=pk).first()
    if course is None:
        raise Http404("No such course.")
    if write and not can_manage(user):
        raise PermissionDenied("Only program admins change courses.")
    return course


def access_question(user: Any, pk: int) -> Question:
    """A question with its answer: program admins only (anyone else: 404)."""
    question = None
    if can_manage(user):
        question = Question.objects.select_related("objective__course").filter(pk=pk).first()
    if question is None:
        raise Http404("No such question.")
    return question


# Sessions --------------------------------------------------------------------------------


def sessions_visible_to(user: Any) -> CourseSessionQuerySet:
    sessions = CourseSession.objects.select_related("course", "facilitator", "cohort")
    if policy.is_program_admin(user):
        return sessions
    if not _signed_in(user):
        return sessions.none()
    me = policy.person_of(user)
    visible = Q(course__active=True)
    if me is not None:
        visible |= Q(seats__person=me) | Q(facilitator=me)
    return sessions.filter(visible).distinct()


def is_facilitator(user: Any, session: CourseSession) -> bool:
    me = policy.person_of(user)
    return me is not None and session.facilitator_id == me.pk


def can_see_roster(user: Any, session: CourseSession) -> bool:
    return policy.is_program_admin(user) or is_facilitator(user, session)


def access_session(
    user: Any, pk: int, *, write: bool = False, roster: bool = False
) -> CourseSession:
    """The session `pk` if `user` may see it; with write=True, one they manage (program
    admins); with roster=True, one whose roster they keep (admins and the facilitator)."""
    session = sessions_visible_to(user).filter(pk=pk).first()
    if session is None:
        raise Http404("No such session.")
    if write and not can_manage(user):
        raise PermissionDenied("Only program admins change sessions.")
    if roster and not can_see_roster(user, session):
        raise PermissionDenied("The roster is for the facilitator and program admins.")
    return session


# Seats -----------------------------------------------------------------------------------


def seats_visible_to(user: Any) -> SeatQuerySet:
    """Individual records: the learner's own seats, those of the people in their line
    (not for executive viewers), the seats of sessions they facilitate, every seat for
    program admins."""
    seats = Seat.objects.select_related("person__user", "session__course")
    if policy.is_program_admin(user):
        return seats
    me = policy.person_of(user)
    if me is None or not _signed_in(user):
        return seats.none()
    visible = Q(person=me) | Q(session__facilitator=me)
    if not _is_executive_viewer(user):
        visible |= Q(person__in=Person.objects.below(me))
    return seats.filter(visible)


def is_learner(user: Any, seat: Seat) -> bool:
    me = policy.person_of(user)
    return me is not None and seat.person_id == me.pk


def can_change_seat(user: Any, seat: Seat) -> bool:
    """Give up the seat: the learner, their management chain, program admins."""
    if policy.is_program_admin(user) or is_learner(user, seat):
        return True
    me = policy.person_of(user)
    return me is not None and not _is_executive_viewer(user) and seat.person.is_managed_by(me)


def access_seat(user: Any, pk: int, *, write: bool = False, own: bool = False) -> Seat:
    """The seat `pk` if `user` may see it; write=True: they may give it up; own=True:
    it is their own (checks and surveys are answered by the learner only)."""
    seat = seats_visible_to(user).filter(pk=pk).first()
    if seat is None:
        raise Http404("No such seat.")
    if write and not can_change_seat(user, seat):
        raise PermissionDenied("Only the learner, their manager and program admins change this.")
    if own and not is_learner(user, seat):
        raise PermissionDenied("Only the learner answers this.")
    return seat


def own_seat(user: Any, session: CourseSession) -> Seat | None:
    me = policy.person_of(user)
    if me is None:
        return None
    return Seat.objects.filter(session=session, person=me).first()


def access_own_seat(user: Any, session: CourseSession) -> Seat:
    """The user's own seat in the session (for checks and surveys), or 404."""
    seat = own_seat(user, session)
    if seat is None:
        raise Http404("You have no seat in this session.")
    seat.session = session
    return seat


def reports_of(user: Any) -> Any:
    """The people `user` may enroll: everyone in their line (program admins: anyone)."""
    if policy.is_program_admin(user):
        return Person.objects.active()
    me = policy.person_of(user)
    if me is None or _is_executive_viewer(user):
        return Person.objects.none()
    return Person.objects.below(me).active()


def can_enroll_others(user: Any) -> bool:
    return policy.is_program_admin(user) or (is_manager(user) and not _is_executive_viewer(user))


def can_read_summaries(user: Any) -> bool:
    """Kirkpatrick 1-2 aggregates (each under the >= 5 rule): admins, executive viewers,
    and the facilitator of a session (checked by the caller)."""
    return policy.is_program_admin(user) or Role.EXECUTIVE_VIEWER in policy.roles_of(user)
