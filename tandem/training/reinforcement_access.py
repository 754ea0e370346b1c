"""Who may see and do what in reinforcement. Every page and endpoint of this half
fetches through one `access_*` helper per resource.

Rules (DESIGN.md, individual records): a learner's cards, reviews, practice logs and
flags are readable by the learner, their management chain and program admins;
executive viewers see cohort aggregates only (and those only from 5 learners, see
`retention`). Answering a burst is the learner's own act; confirming practice is
their managers' (anyone up the chain), not the learner's and not an admin's by
virtue of the role. Anyone who may not see a record gets a 404, so ids cannot be
probed; someone who may see it but not do this gets a 403.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from tandem.accounts import policy
from tandem.accounts.models import Role
from tandem.people.models import Person
from tandem.training.models import Card, Course, CourseSession, LearnerFlag, PracticeLog


def access_own_card(user: Any, pk: int) -> Card:
    """A card of the user's own, to answer (404 for anyone else's)."""
    me = policy.person_of(user)
    card = (
        Card.objects.filter(pk=pk, seat__person=me).select_related("seat__session__course").first()
        if me is not None
        else None
    )
    if card is None:
        raise Http404("No such card.")
    return card


def practice_logs_visible_to(user: Any) -> Any:
    """The user's own practice logs and their reports' (the whole line below them);
    every log for program admins."""
    logs = PracticeLog.objects.select_related("person", "objective__course", "confirmed_by")
    if policy.is_program_admin(user):
        return logs
    me = policy.person_of(user)
    if me is None:
        return logs.none()
    return logs.filter(person__in=Person.objects.line_of(me))


def access_practice_log(user: Any, pk: int, *, confirm: bool = False) -> PracticeLog:
    """A practice log the user may read; with confirm=True, one they may confirm (a
    manager of the learner: 403 for the learner themselves or an admin who is not)."""
    log = practice_logs_visible_to(user).filter(pk=pk).first()
    if log is None:
        raise Http404("No such practice log.")
    if confirm:
        me = policy.person_of(user)
        if me is None or not log.person.is_managed_by(me):
            raise PermissionDenied("Only the learner's managers confirm their practice.")
    return log


def can_see_flags(user: Any) -> bool:
    return policy.is_program_admin(user)


def access_flag(user: Any, pk: int) -> LearnerFlag:
    """Flags go to program admins only."""
    if not can_see_flags(user):
        raise Http404("No such flag.")
    flag = LearnerFlag.objects.filter(pk=pk).select_related("seat__person").first()
    if flag is None:
        raise Http404("No such flag.")
    return flag


def access_learner(user: Any, pk: int) -> Person:
    """A learner whose retention the user may see: themselves, someone in their line,
    anyone for program admins."""
    return policy.access_person(user, pk)


def sees_cohorts(user: Any) -> bool:
    """Cohort and course aggregates: program admins and executive viewers."""
    return policy.is_program_admin(user) or Role.EXECUTIVE_VIEWER in policy.roles_of(user)


def access_session_cohort(user: Any, pk: int) -> CourseSession:
    """A session's cohort aggregates: program admins, executive viewers and the
    session's facilitator."""
    session = CourseSession.objects.filter(pk=pk).select_related("course").first()
    me = policy.person_of(user)
    facilitates = session is not None and me is not None and session.facilitator_id == me.pk
    if session is None or not (sees_cohorts(user) or facilitates):
        raise Http404("No such session.")
    return session


def access_course_cohorts(user: Any, pk: int) -> Course:
    """A course's aggregates: program admins, executive viewers and its facilitators."""
    me = policy.person_of(user)
    course = Course.objects.filter(pk=pk).first()
    if course is None:
        raise Http404("No such course.")
    if sees_cohorts(user):
        return course
    if me is not None and course.sessions.filter(Q(facilitator=me)).exists():
        return course
    raise Http404("No such course.")
