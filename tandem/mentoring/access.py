"""Who may see and do what in the matching half of mentoring. Every page and endpoint
fetches through one `access_*` helper per resource.

Rules:
- Program admins configure a mentoring program (settings, questionnaire, mentor pool),
  run, edit and publish its matches, and offer suggestions.
- A mentee or a mentor answers the questionnaire for themselves; a mentee states their
  own intent. Nobody answers for someone else (admins neither).
- Mentees see only their own suggestions. Mentors see nothing of a match draft (runs,
  proposals, unmatched lists are for program admins only); they hear of a match once
  it is published, as a relationship request.

A record the user may not see is "not found" (404), so ids cannot be probed; one they
may see but not change is "forbidden" (403).
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from tandem.accounts import policy
from tandem.mentoring.models import MatchProposal, MatchRun, Mentee, Mentor, Question, Suggestion
from tandem.programs.models import EnrollmentStatus, Program, ProgramKind

LIVE_ENROLLMENT = [EnrollmentStatus.INVITED, EnrollmentStatus.ACTIVE]


def can_manage(user: Any) -> bool:
    return policy.is_program_admin(user)


def require_manager(user: Any) -> None:
    if not can_manage(user):
        raise PermissionDenied("Only program admins run mentoring programs.")


def mentoring_programs_visible_to(user: Any) -> QuerySet[Program]:
    """Admins: every mentoring program. Others: those they are enrolled in as a mentee
    or are a mentor of."""
    programs = Program.objects.filter(kind=ProgramKind.MENTORING)
    if can_manage(user):
        return programs
    me = policy.person_of(user)
    if me is None:
        return programs.none()
    return programs.filter(
        Q(pk__in=Mentor.objects.filter(person=me, active=True).values("program_id"))
        | Q(
            pk__in=me.enrollments.filter(status__in=LIVE_ENROLLMENT).values("program_id"),
        )
    )


def access_program(user: Any, pk: int, *, manage: bool = False) -> Program:
    """The mentoring program `pk` if `user` takes part in it or runs it; with
    manage=True, only for program admins (403 for a participant)."""
    program = mentoring_programs_visible_to(user).filter(pk=pk).first()
    if program is None:
        raise Http404("No such mentoring program.")
    if manage:
        require_manager(user)
    return program


def sees_mentoring(user: Any) -> bool:
    """Whether the navigation offers mentoring: admins, and anyone who is a person."""
    return can_manage(user) or policy.person_of(user) is not None


# Questions, mentors (admin side) -----------------------------------------------------


def access_question(user: Any, pk: int) -> Question:
    require_manager(user)
    question = Question.objects.select_related("program").filter(pk=pk).first()
    if question is None:
        raise Http404("No such question.")
    return question


def access_mentor(user: Any, pk: int) -> Mentor:
    """A mentor in a pool, to change their capacity or status: program admins."""
    require_manager(user)
    mentor = Mentor.objects.select_related("program", "person").filter(pk=pk).first()
    if mentor is None:
        raise Http404("No such mentor.")
    return mentor


# Own answers and intent ---------------------------------------------------------------


def own_mentor(user: Any, program: Program) -> Mentor | None:
    me = policy.person_of(user)
    if me is None:
        return None
    return Mentor.objects.filter(program=program, person=me, active=True).first()


def own_mentee(user: Any, program: Program) -> Mentee | None:
    """The user as a mentee of `program` (enrolled in it), or None."""
    from tandem.mentoring import matching

    me = policy.person_of(user)
    if me is None or not me.is_active:
        return None
    return matching.mentee_of(program, me)


def access_own_mentor(user: Any, program_pk: int) -> Mentor:
    program = access_program(user, program_pk)
    mentor = own_mentor(user, program)
    if mentor is None:
        raise Http404("You are not a mentor in this program.")
    return mentor


def access_own_mentee(user: Any, program_pk: int) -> Mentee:
    program = access_program(user, program_pk)
    mentee = own_mentee(user, program)
    if mentee is None:
        raise Http404("You are not a mentee in this program.")
    return mentee


# Match runs (program admins only) -----------------------------------------------------


def access_run(user: Any, pk: int) -> MatchRun:
    """A match run and its draft: program admins only. Anyone else, mentors included,
    is told there is no such run."""
    if not can_manage(user):
        raise Http404("No such match run.")
    run = MatchRun.objects.select_related("program").filter(pk=pk).first()
    if run is None:
        raise Http404("No such match run.")
    return run


def access_proposal(user: Any, pk: int) -> MatchProposal:
    if not can_manage(user):
        raise Http404("No such proposal.")
    proposal = (
        MatchProposal.objects.select_related("run__program", "mentee__person", "mentor__person")
        .filter(pk=pk)
        .first()
    )
    if proposal is None:
        raise Http404("No such proposal.")
    return proposal


# Suggestions (the mentee's own) ------------------------------------------------------------


def suggestions_visible_to(user: Any) -> QuerySet[Suggestion]:
    """A mentee's own suggestions; nobody else's, admins' included (they see the match)."""
    me = policy.person_of(user)
    if me is None:
        return Suggestion.objects.none()
    return Suggestion.objects.filter(mentee__person=me).select_related(
        "mentor__person__org_unit", "mentee", "program"
    )


def access_suggestion(user: Any, pk: int) -> Suggestion:
    suggestion = suggestions_visible_to(user).filter(pk=pk).first()
    if suggestion is None:
        raise Http404("No such suggestion.")
    return suggestion
