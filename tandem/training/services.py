"""Course workflows that span models, send mail or must hold a lock.

Seats: a session never has more enrolled learners than seats. `seat_take` and
`seat_cancel` lock the session's row (`select_for_update`) before counting, so two
requests for the last seat queue on the lock and the second counts the first's seat
(and joins the waitlist); on SQLite, whose transactions here begin IMMEDIATE, writers
queue on the database instead. The waitlist is served in the order people asked.

Attendance: once a session is marked held, each learner who attended a reinforced
course is handed to `on_attended`, a registry the reinforcement half fills (it creates
the learner's cards). The course half does not import the reinforcement half.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts import policy
from tandem.accounts.models import AuditAction, AuditLog
from tandem.people.models import Person
from tandem.programs.models import Cohort, Enrollment, Program
from tandem.training import course_emails, course_tasks
from tandem.training.models import (
    SCALE_MAX,
    SCALE_MIN,
    CheckAnswer,
    CheckAttempt,
    CheckPhase,
    CourseSession,
    Question,
    ReactionSurvey,
    Seat,
    SeatSource,
    SeatStatus,
    SessionStatus,
)

# Filled by the reinforcement half (reinforcement_hooks.register): each is called, inside
# the attendance transaction, with every seat newly marked attended of a reinforced course.
on_attended: list[Callable[[Seat], object]] = []

# Changing one of these sends every enrolled learner an updated invitation.
CALENDAR_FIELDS = ("starts_at", "duration_minutes", "time_zone", "venue", "video_link")


class Refused(ValidationError):
    """A step that cannot happen now; `messages` say why, for people."""


def _audit(actor: Any, action: str, target: Any, person_id: int | None, summary: str) -> None:
    AuditLog.objects.record(
        actor=actor, action=action, target=target, subject_person_id=person_id, summary=summary
    )


def _locked(session: CourseSession) -> CourseSession:
    """The session's row, locked until the transaction ends (only the session's row:
    PostgreSQL would otherwise lock the joined course too)."""
    return (
        CourseSession.objects.select_for_update(of=("self",))
        .select_related("course")
        .get(pk=session.pk)
    )


# Seats ------------------------------------------------------------------------------


def session_problems(session: CourseSession) -> list[str]:
    """Why nobody can ask for a seat in `session` now, whatever the seats left."""
    problems = []
    if session.status != SessionStatus.SCHEDULED:
        problems.append(
            _("This session is not open for enrollment: it is %(status)s.")
            % {"status": session.get_status_display().lower()}
        )
    elif session.starts_at <= timezone.now():
        problems.append(_("This session has already started."))
    if not session.course.active:
        problems.append(_("This course is no longer offered."))
    return problems


def enrollment_problems(session: CourseSession, person: Person) -> list[str]:
    """Why `person` cannot ask for a seat in `session` now, whatever the seats left."""
    problems = session_problems(session)
    if not person.is_active:
        problems.append(_("%(name)s has left the organization.") % {"name": person.full_name})
    return problems


@transaction.atomic
def seat_take(
    *, session: CourseSession, person: Person, by: Any, source: str = SeatSource.SELF
) -> Seat:
    """Give `person` a seat in `session` if one is free, else a place on the waitlist.
    Refused when they already have one, or for a reason of `enrollment_problems`. A
    learner who cancelled before asks again at the back of the waitlist."""
    locked = _locked(session)
    problems = enrollment_problems(locked, person)
    if problems:
        raise Refused(problems)
    now = timezone.now()
    seat = Seat.objects.filter(session=locked, person=person).first()
    if seat is not None and seat.status != SeatStatus.CANCELLED:
        raise Refused(
            _("%(name)s is already %(status)s.")
            % {"name": person.full_name, "status": seat.get_status_display().lower()}
        )
    full = locked.seats.enrolled().count() >= locked.capacity
    status = SeatStatus.WAITLISTED if full else SeatStatus.ENROLLED
    if seat is None:
        seat = Seat(session=locked, person=person)
    seat.status = status
    seat.source = source
    seat.enrolled_by = by if getattr(by, "is_authenticated", False) else None
    seat.requested_at = seat.status_changed_at = now
    seat.attended = None
    seat.attendance_marked_at = None
    try:
        with transaction.atomic():
            seat.save()
    except IntegrityError:
        # The same person asked twice at the same moment; the other request won.
        raise Refused(_("%(name)s already has a seat.") % {"name": person.full_name}) from None
    seat.session = locked
    _audit(by, AuditAction.CREATE, seat, person.pk, f"Seat in session {locked.pk}: {status}")
    if status == SeatStatus.ENROLLED:
        course_emails.send_invitation(seat)
    else:
        course_tasks.seat_notice_after_commit(seat.pk, "waitlisted")
    return seat


def _promote(session: CourseSession, *, free: int) -> list[Seat]:
    """Move the first `free` learners on the waitlist into seats (the session is locked)."""
    promoted = list(session.seats.waitlisted().select_related("person__user")[: max(free, 0)])
    now = timezone.now()
    for seat in promoted:
        seat.status = SeatStatus.ENROLLED
        seat.status_changed_at = now
        seat.save(update_fields=["status", "status_changed_at"])
        seat.session = session
        course_emails.send_invitation(seat)
        course_tasks.seat_notice_after_commit(seat.pk, "promoted")
    return promoted


@transaction.atomic
def seat_cancel(*, seat: Seat, by: Any) -> list[Seat]:
    """Give up a seat (or a place on the waitlist). A freed seat goes to the first
    learner on the waitlist, in the same transaction; returns who was promoted."""
    locked = _locked(seat.session)
    current = Seat.objects.select_related("person__user").get(pk=seat.pk)
    if current.status == SeatStatus.CANCELLED:
        raise Refused(_("This seat is already cancelled."))
    if locked.status != SessionStatus.SCHEDULED or locked.starts_at <= timezone.now():
        raise Refused(_("Seats can be given up only before the session starts."))
    was_enrolled = current.status == SeatStatus.ENROLLED
    current.status = SeatStatus.CANCELLED
    current.status_changed_at = timezone.now()
    current.save(update_fields=["status", "status_changed_at"])
    current.session = locked
    _audit(by, AuditAction.UPDATE, current, current.person_id, "Seat cancelled")
    promoted: list[Seat] = []
    if was_enrolled:
        # The learner's calendar drops the event: a CANCEL with a higher SEQUENCE.
        locked.sequence += 1
        locked.save(update_fields=["sequence"])
        course_emails.send_invitation(current, cancelled=True)
        free = locked.capacity - locked.seats.enrolled().count()
        promoted = _promote(locked, free=free)
    seat.status = current.status
    return promoted


def waitlist_position(seat: Seat) -> int | None:
    """1 for the first in line; None when the seat is not on the waitlist."""
    if seat.status != SeatStatus.WAITLISTED:
        return None
    ahead = Seat.objects.filter(
        session_id=seat.session_id, status=SeatStatus.WAITLISTED, requested_at__lt=seat.requested_at
    ).count()
    same_moment = Seat.objects.filter(
        session_id=seat.session_id,
        status=SeatStatus.WAITLISTED,
        requested_at=seat.requested_at,
        pk__lt=seat.pk,
    ).count()
    return ahead + same_moment + 1


@dataclass(frozen=True)
class BulkEnrollment:
    enrolled: list[Seat]
    waitlisted: list[Seat]
    skipped: list[tuple[Person, str]]  # who got nothing, and why


def _take_each(
    session: CourseSession, people: Iterable[Person], *, by: Any, source: str
) -> BulkEnrollment:
    enrolled: list[Seat] = []
    waitlisted: list[Seat] = []
    skipped: list[tuple[Person, str]] = []
    for person in people:
        try:
            seat = seat_take(session=session, person=person, by=by, source=source)
        except Refused as refusal:
            skipped.append((person, " ".join(refusal.messages)))
            continue
        (enrolled if seat.status == SeatStatus.ENROLLED else waitlisted).append(seat)
    return BulkEnrollment(enrolled, waitlisted, skipped)


def seats_for_reports(
    *, session: CourseSession, people: Iterable[Person], by: Any
) -> BulkEnrollment:
    """A manager enrolls people in their line (a program admin: anyone). Refused as a
    whole, before any seat is taken, if one of them is not theirs to enroll."""
    people = list(people)
    manager = policy.person_of(by)
    if not policy.is_program_admin(by):
        strangers = [p.full_name for p in people if manager is None or not p.is_managed_by(manager)]
        if strangers:
            raise Refused(
                _("You can enroll only people who report to you: %(names)s.")
                % {"names": ", ".join(strangers)}
            )
    if not people:
        raise Refused(_("Choose at least one person."))
    source = SeatSource.PROGRAM if policy.is_program_admin(by) else SeatSource.MANAGER
    return _take_each(session, people, by=by, source=source)


def seats_for_program(
    *, session: CourseSession, program: Program, cohort: Cohort | None = None, by: Any
) -> BulkEnrollment:
    """Every current enrollment of the program (or of one of its cohorts) gets a seat,
    in the order they enrolled; beyond the capacity, a place on the waitlist. Those who
    already have a seat are skipped."""
    if cohort is not None and cohort.program_id != program.pk:
        raise Refused(_("That cohort belongs to another program."))
    enrollments = Enrollment.objects.current().filter(program=program).select_related("person")
    if cohort is not None:
        enrollments = enrollments.filter(cohort=cohort)
    people = [e.person for e in enrollments.order_by("enrolled_at", "pk")]
    return _take_each(session, people, by=by, source=SeatSource.PROGRAM)


# Sessions ---------------------------------------------------------------------------


@transaction.atomic
def session_save(*, session: CourseSession, changed: Iterable[str], by: Any) -> CourseSession:
    """Save a new or changed session (its fields already set and validated). A change
    of time or place sends enrolled learners the invitation again with a higher
    SEQUENCE; more seats promote learners from the waitlist; fewer seats than are
    taken is refused, on the capacity field."""
    changed = set(changed)
    if session.pk is None:
        session.save()
        _audit(by, AuditAction.CREATE, session, None, "Course session created")
        return session
    locked = _locked(session)
    if locked.status == SessionStatus.CANCELLED:
        raise Refused(_("A cancelled session cannot be changed."))
    taken = locked.seats.enrolled().count()
    if session.capacity < taken:
        raise Refused(
            {
                "capacity": [
                    _("%(taken)s seats are taken: cancel seats before lowering the capacity.")
                    % {"taken": taken}
                ]
            }
        )
    moved = bool(changed & set(CALENDAR_FIELDS))
    if moved:
        session.sequence = locked.sequence + 1
    else:
        session.sequence = locked.sequence
    session.save()
    _audit(by, AuditAction.UPDATE, session, None, "Course session changed")
    if moved:
        course_emails.send_invitations(session)
    _promote(session, free=session.capacity - taken)
    return session


@transaction.atomic
def session_cancel(*, session: CourseSession, by: Any) -> CourseSession:
    """Cancel a scheduled session: enrolled learners get a CANCEL for their calendar."""
    locked = _locked(session)
    if locked.status != SessionStatus.SCHEDULED:
        raise Refused(_("Only a scheduled session can be cancelled."))
    locked.status = SessionStatus.CANCELLED
    locked.sequence += 1
    locked.save(update_fields=["status", "sequence"])
    _audit(by, AuditAction.UPDATE, locked, None, "Course session cancelled")
    course_emails.send_invitations(locked, cancelled=True)
    return locked


@transaction.atomic
def attendance_mark(
    *, session: CourseSession, attended: Mapping[Seat, bool] | Mapping[int, bool], by: Any
) -> CourseSession:
    """Record who came (keys: enrolled seats or their ids) and mark the session held.
    Once it has started only; seats not named keep what they had. For a reinforced
    course, each seat newly marked attended goes to the `on_attended` hooks."""
    locked = _locked(session)
    if locked.status == SessionStatus.CANCELLED:
        raise Refused(_("A cancelled session has no attendance."))
    now = timezone.now()
    if locked.starts_at > now:
        raise Refused(_("Attendance is taken once the session has started."))
    by_id = {
        (key.pk if isinstance(key, Seat) else int(key)): bool(value)
        for key, value in attended.items()
    }
    seats = {seat.pk: seat for seat in locked.seats.enrolled().select_related("person")}
    unknown = sorted(set(by_id) - set(seats))
    if unknown:
        raise Refused(
            {
                "attended": [
                    _("Not an enrolled seat of this session: %(ids)s.")
                    % {"ids": ", ".join(map(str, unknown))}
                ]
            }
        )
    newly_attended = []
    for pk, came in by_id.items():
        seat = seats[pk]
        if seat.attended is not True and came:
            newly_attended.append(seat)
        seat.attended = came
        seat.attendance_marked_at = now
        seat.session = locked
    Seat.objects.bulk_update([seats[pk] for pk in by_id], ["attended", "attendance_marked_at"])
    if locked.status != SessionStatus.HELD:
        locked.status = SessionStatus.HELD
        locked.held_at = now
        locked.save(update_fields=["status", "held_at"])
    _audit(by, AuditAction.UPDATE, locked, None, f"Attendance of {len(by_id)} learners recorded")
    if locked.course.reinforce:
        for seat in newly_attended:
            for hook in on_attended:
                hook(seat)
    return locked


# Reaction survey (Kirkpatrick 1) and knowledge checks (Kirkpatrick 2) ---------------------


def reaction_open(seat: Seat) -> str | None:
    """Why the seat's learner cannot answer the reaction survey now, or None."""
    if seat.status != SeatStatus.ENROLLED or seat.attended is not True:
        return _("The reaction survey is for learners who attended the session.")
    if ReactionSurvey.objects.filter(seat=seat).exists():
        return _("You have already answered the reaction survey for this session.")
    return None


@transaction.atomic
def reaction_submit(
    *, seat: Seat, relevance: int, engagement: int, intent_to_apply: int, comment: str = ""
) -> ReactionSurvey:
    reason = reaction_open(seat)
    if reason:
        raise Refused(reason)
    values = {"relevance": relevance, "engagement": engagement, "intent_to_apply": intent_to_apply}
    out_of_range = {
        name: [_("Choose from %(low)s to %(high)s.") % {"low": SCALE_MIN, "high": SCALE_MAX}]
        for name, value in values.items()
        if isinstance(value, bool)
        or not isinstance(value, int)
        or not SCALE_MIN <= value <= SCALE_MAX
    }
    if out_of_range:
        raise ValidationError(out_of_range)
    try:
        with transaction.atomic():
            return ReactionSurvey.objects.create(seat=seat, comment=comment.strip(), **values)
    except IntegrityError:
        raise Refused(
            _("You have already answered the reaction survey for this session.")
        ) from None


def check_questions(session: CourseSession) -> list[Question]:
    """The active questions of the session's course, objective by objective."""
    return list(
        Question.objects.filter(objective__course_id=session.course_id, active=True)
        .select_related("objective")
        .order_by("objective__order", "objective_id", "pk")
    )


def check_open(seat: Seat, phase: str) -> str | None:
    """Why the seat's learner cannot take the `phase` check now, or None. Before: an
    enrolled learner, until the session starts. After: a learner who attended."""
    session = seat.session
    if phase not in CheckPhase.values:
        return _("No such knowledge check.")
    if seat.status != SeatStatus.ENROLLED:
        return _("Knowledge checks are for learners with a seat.")
    if phase == CheckPhase.BEFORE and (
        session.status != SessionStatus.SCHEDULED or session.starts_at <= timezone.now()
    ):
        return _("The check before the session closes when the session starts.")
    if phase == CheckPhase.AFTER and seat.attended is not True:
        return _("The check after the session opens once your attendance is recorded.")
    if CheckAttempt.objects.filter(seat=seat, phase=phase).exists():
        return _("You have already taken this check.")
    return None


def answer_key(question_id: int) -> str:
    return f"question_{question_id}"


@transaction.atomic
def check_submit(*, seat: Seat, phase: str, answers: Mapping[int, Any]) -> CheckAttempt:
    """Score a knowledge check: every active question of the course answered with one
    of its options (1 to the number of options). Errors name each question's field
    (`question_<id>`) and nothing is written."""
    reason = check_open(seat, phase)
    if reason:
        raise Refused(reason)
    questions = check_questions(seat.session)
    if not questions:
        raise Refused(_("This course has no knowledge-check questions yet."))
    known = {q.pk for q in questions}
    problems: dict[str, list[str]] = {}
    for question_id in answers:
        if question_id not in known:
            problems[answer_key(question_id)] = [_("Not a question of this check.")]
    for question in questions:
        chosen = answers.get(question.pk)
        if chosen is None:
            problems[answer_key(question.pk)] = [_("Answer this question.")]
        elif isinstance(chosen, bool) or not isinstance(chosen, int):
            problems[answer_key(question.pk)] = [_("Choose one of the options.")]
        elif not 1 <= chosen <= len(question.options):
            problems[answer_key(question.pk)] = [
                _("Choose one of the options (1 to %(count)s).") % {"count": len(question.options)}
            ]
    if problems:
        raise ValidationError(problems)
    try:
        with transaction.atomic():
            attempt = CheckAttempt.objects.create(seat=seat, phase=phase)
    except IntegrityError:
        raise Refused(_("You have already taken this check.")) from None
    CheckAnswer.objects.bulk_create(
        CheckAnswer(
            attempt=attempt,
            question=question,
            chosen=answers[question.pk],
            right=question.is_right(answers[question.pk]),
        )
        for question in questions
    )
    return attempt
