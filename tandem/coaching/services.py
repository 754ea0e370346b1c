"""Coaching workflows that span models, send mail or must hold a lock.

Capacity: a coach never has more open engagements than places. `engagement_pair`
locks the coach's row (`select_for_update`) before counting, so two requests for the
last place queue on the lock and the second counts the first's engagement; on SQLite,
whose transactions here begin IMMEDIATE, writers queue on the database instead. The
database adds a second guard: one open engagement per coachee.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.accounts.models import AuditAction, AuditLog, Role, UserRole
from tandem.coaching import access, notify
from tandem.coaching.models import (
    OPEN_STATUSES,
    RATING_MAX,
    RATING_MIN,
    ActionItem,
    ChemistryCall,
    ChemistryStatus,
    Coach,
    CoachStatus,
    Engagement,
    EngagementGoal,
    EngagementStatus,
    Evaluation,
    PairedVia,
    Party,
    Session,
    SessionNotes,
    SessionStatus,
)
from tandem.people.models import Person
from tandem.programs.models import DevelopmentPlan, Goal

# A session may be recorded up to this long after it happened, and booked this far ahead.
RECORD_PAST_DAYS = 14
BOOK_AHEAD_DAYS = 366
MAX_OPEN_CHEMISTRY_CALLS = 3
AGREEMENT_FIRST = gettext_lazy(
    "The coach and the coachee both accept the coaching agreement before the first session."
)


class Refused(ValidationError):
    """A step that cannot happen now; `messages` say why, for people."""


def _audit(actor: Any, action: str, target: Any, person_id: int | None, summary: str) -> None:
    AuditLog.objects.record(
        actor=actor, action=action, target=target, subject_person_id=person_id, summary=summary
    )


# The roster ------------------------------------------------------------------------------


@transaction.atomic
def coach_save(*, form: Any, saved_by: Any) -> Coach:
    """Save a valid CoachForm: the coach's login (found by email or made), the roster
    entry and its specialties, and the coach role on the login."""
    is_new = form.instance.pk is None
    user = form.login()
    user.save()
    coach = form.save(commit=False)
    coach.user = user
    coach.save()
    form.save_m2m()
    UserRole.objects.get_or_create(user=user, role=Role.COACH)
    _audit(
        saved_by,
        AuditAction.CREATE if is_new else AuditAction.UPDATE,
        coach,
        None,
        "Coach roster entry saved",
    )
    return coach


# Pairing --------------------------------------------------------------------------------


def pairing_problems(*, coach: Coach, coachee: Person) -> list[str]:
    """Why these two cannot be paired, whatever the coach's load; empty when they can."""
    problems = []
    if coach.status != CoachStatus.ACTIVE or not coach.user.is_active:
        problems.append(_("%(coach)s is not taking coachees at the moment.") % {"coach": coach})
    if not coachee.is_active:
        problems.append(_("%(name)s has left the organization.") % {"name": coachee})
    if coachee.user_id is None:
        problems.append(
            _("%(name)s has no login yet: a coachee signs in to accept the coaching agreement.")
            % {"name": coachee}
        )
    if coachee.user_id is not None and coachee.user_id == coach.user_id:
        problems.append(_("Nobody can be their own coach."))
    coach_person = coach.person
    if coach_person is not None and coachee.is_managed_by(coach_person):
        problems.append(
            _("%(coach)s manages %(name)s: a coach works with people outside their own line.")
            % {"coach": coach, "name": coachee}
        )
    return problems


def _default_plan(coachee: Person) -> DevelopmentPlan | None:
    return access.coaching_plan_of(coachee) or (
        DevelopmentPlan.objects.filter(person=coachee).order_by("-created_at", "-pk").first()
    )


_MANAGER = object()  # the sponsor by default: the coachee's manager


@transaction.atomic
def engagement_pair(
    *,
    coach: Coach,
    coachee: Person,
    paired_by: Any,
    via: str = PairedVia.ADMIN,
    sponsor: Any = _MANAGER,
    plan: DevelopmentPlan | None = None,
    planned_sessions: int = 8,
    session_minutes: int = 60,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> Engagement:
    """Pair a coachee with a coach, taking one of the coach's places. Refused when the
    coach is full (counted under a lock on the coach), when the coachee already has an
    open engagement, or for a reason of `pairing_problems`."""
    problems = pairing_problems(coach=coach, coachee=coachee)
    if problems:
        raise Refused(problems)
    locked = Coach.objects.select_for_update().get(pk=coach.pk)
    if locked.coachee_count() >= locked.capacity:
        raise Refused(
            _("%(coach)s has no free place: all %(capacity)s are taken.")
            % {"coach": coach, "capacity": locked.capacity}
        )
    if Engagement.objects.open().filter(coachee=coachee).exists():
        raise Refused(
            _("%(name)s already has a coach. End that engagement first.") % {"name": coachee}
        )
    if sponsor is _MANAGER:
        manager = coachee.manager
        sponsor = manager if manager is not None and manager.is_active else None
    starts_on = starts_on or timezone.localdate()
    try:
        with transaction.atomic():
            engagement = Engagement.objects.create(
                coach=locked,
                coachee=coachee,
                sponsor=sponsor,
                plan=plan or _default_plan(coachee),
                planned_sessions=planned_sessions,
                session_minutes=session_minutes,
                starts_on=starts_on,
                ends_on=ends_on or starts_on + timedelta(days=182),
                paired_via=via,
                paired_by=paired_by,
            )
    except IntegrityError:
        # Another request paired this coachee a moment ago.
        raise Refused(
            _("%(name)s already has a coach. End that engagement first.") % {"name": coachee}
        ) from None
    calls = ChemistryCall.objects.filter(coachee=coachee, status=ChemistryStatus.REQUESTED)
    now = timezone.now()
    calls.filter(coach=locked).update(status=ChemistryStatus.CHOSEN, decided_at=now)
    calls.exclude(coach=locked).update(status=ChemistryStatus.NOT_CHOSEN, decided_at=now)
    _audit(paired_by, AuditAction.CREATE, engagement, coachee.pk, f"Paired with {locked}")
    notify.paired(engagement)
    return engagement


@transaction.atomic
def chemistry_call_request(*, coach: Coach, coachee: Person, requested_by: Any) -> ChemistryCall:
    """Ask a coach for a short chemistry call before choosing. Takes no place."""
    problems = pairing_problems(coach=coach, coachee=coachee)
    if problems:
        raise Refused(problems)
    if Engagement.objects.open().filter(coachee=coachee).exists():
        raise Refused(_("%(name)s already has a coach.") % {"name": coachee})
    if coach.free_places() == 0:
        raise Refused(_("%(coach)s has no free place.") % {"coach": coach})
    requested = ChemistryCall.objects.filter(coachee=coachee, status=ChemistryStatus.REQUESTED)
    if requested.filter(coach=coach).exists():
        raise Refused(_("A chemistry call with %(coach)s is already requested.") % {"coach": coach})
    if requested.count() >= MAX_OPEN_CHEMISTRY_CALLS:
        raise Refused(
            _("At most %(count)s chemistry calls at a time: choose a coach first.")
            % {"count": MAX_OPEN_CHEMISTRY_CALLS}
        )
    try:
        with transaction.atomic():
            call = ChemistryCall.objects.create(
                coach=coach, coachee=coachee, requested_by=requested_by
            )
    except IntegrityError:
        raise Refused(
            _("A chemistry call with %(coach)s is already requested.") % {"coach": coach}
        ) from None
    _audit(requested_by, AuditAction.CREATE, call, coachee.pk, f"Chemistry call with {coach}")
    notify.chemistry_call_requested(call)
    return call


# The engagement ------------------------------------------------------------------------


@transaction.atomic
def agreement_accept(*, engagement: Engagement, user: Any) -> Engagement:
    """The coach or the coachee accepts the coaching agreement; once both have, the
    engagement is active and sessions can be scheduled."""
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if engagement.status not in OPEN_STATUSES:
        raise Refused(_("This engagement has ended."))
    mine = access.parties(user, engagement)
    now = timezone.now()
    accepted = []
    if Party.COACH in mine and engagement.coach_accepted_at is None:
        engagement.coach_accepted_at = now
        accepted.append("coach_accepted_at")
    if Party.COACHEE in mine and engagement.coachee_accepted_at is None:
        engagement.coachee_accepted_at = now
        accepted.append("coachee_accepted_at")
    if not ({Party.COACH, Party.COACHEE} & mine):
        raise Refused(_("Only the coach and the coachee accept the agreement."))
    if engagement.agreement_accepted and engagement.status == EngagementStatus.AGREEMENT:
        engagement.status = EngagementStatus.ACTIVE
        accepted.append("status")
    if accepted:
        engagement.save(update_fields=accepted)
        _audit(user, AuditAction.UPDATE, engagement, engagement.coachee_id, "Accepted agreement")
    return engagement


@transaction.atomic
def engagement_end(*, engagement: Engagement, ended_by: Any, completed: bool) -> Engagement:
    """End an engagement: completed, or early by either side (or an admin), without
    fault and without a reason being asked. Its place is free at once; scheduled
    sessions are cancelled and the coachee may be paired again."""
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if engagement.status not in OPEN_STATUSES:
        raise Refused(_("This engagement has already ended."))
    mine = access.parties(ended_by, engagement)
    party = next((p for p in (Party.COACH, Party.COACHEE) if p in mine), Party.ADMIN)
    engagement.status = EngagementStatus.COMPLETED if completed else EngagementStatus.ENDED
    engagement.ended_at = timezone.now()
    engagement.ended_by_party = party
    engagement.save(update_fields=["status", "ended_at", "ended_by_party"])
    for session in engagement.sessions.filter(status=SessionStatus.SCHEDULED):
        _cancel(session)
    _audit(
        ended_by,
        AuditAction.UPDATE,
        engagement,
        engagement.coachee_id,
        "Completed" if completed else f"Ended early by the {party}",
    )
    return engagement


def goal_add(
    *, engagement: Engagement, title: str, plan_goal: Goal | None, added_by: Any
) -> EngagementGoal:
    if not engagement.is_open:
        raise Refused(_("This engagement has ended."))
    goal = EngagementGoal.objects.create(engagement=engagement, title=title, plan_goal=plan_goal)
    _audit(added_by, AuditAction.CREATE, goal, engagement.coachee_id, "Coaching goal added")
    return goal


def goal_set_progress(*, goal: EngagementGoal, progress: int, by: Any) -> EngagementGoal:
    goal.progress = progress
    goal.save(update_fields=["progress"])
    return goal


@transaction.atomic
def evaluation_submit(
    *, engagement: Engagement, author: Any, goals_rating: int, value_rating: int
) -> Evaluation:
    """The coachee's or the sponsor's evaluation, once the engagement has ended."""
    engagement = Engagement.objects.select_related("coach").get(pk=engagement.pk)
    party = access.can_evaluate(author, engagement)
    if party is None:
        raise Refused(_("The coachee and the sponsor evaluate an engagement once it has ended."))
    if Evaluation.objects.filter(engagement=engagement, party=party).exists():
        raise Refused(_("You have already evaluated this engagement."))
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                engagement=engagement,
                party=party,
                author=author,
                goals_rating=goals_rating,
                value_rating=value_rating,
            )
    except IntegrityError:
        raise Refused(_("You have already evaluated this engagement.")) from None
    _audit(author, AuditAction.CREATE, evaluation, engagement.coachee_id, "Evaluation")
    return evaluation


# Sessions -------------------------------------------------------------------------------


def time_problem(starts_at: datetime, *, now: datetime | None = None) -> str | None:
    """A session is booked at most a year ahead, and recorded at most two weeks late."""
    now = now or timezone.now()
    if starts_at < now - timedelta(days=RECORD_PAST_DAYS):
        return _("A session can be recorded up to %(days)s days after it took place.") % {
            "days": RECORD_PAST_DAYS
        }
    if starts_at > now + timedelta(days=BOOK_AHEAD_DAYS):
        return _("Book sessions at most a year ahead.")
    return None


@transaction.atomic
def session_schedule(
    *,
    engagement: Engagement,
    starts_at: datetime,
    duration_minutes: int,
    location: str,
    scheduled_by: Any,
) -> Session:
    """Book a session. Refused before both have accepted the agreement and once all
    planned sessions are used (held, booked or missed)."""
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if engagement.status == EngagementStatus.AGREEMENT:
        raise Refused(AGREEMENT_FIRST)
    if engagement.status != EngagementStatus.ACTIVE:
        raise Refused(_("This engagement has ended."))
    if engagement.sessions_remaining() == 0:
        raise Refused(
            _("All %(count)s planned sessions are used. Ask a program admin to plan more.")
            % {"count": engagement.planned_sessions}
        )
    problem = time_problem(starts_at)
    if problem:
        raise ValidationError({"starts_at": problem})
    session = Session.objects.create(
        engagement=engagement,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        location=location,
        scheduled_by=scheduled_by,
    )
    _audit(scheduled_by, AuditAction.CREATE, session, engagement.coachee_id, "Session scheduled")
    notify.session_invite(session)
    return session


def _locked_scheduled(session: Session) -> Session:
    locked = (
        Session.objects.select_for_update()
        .select_related("engagement__coach__user", "engagement__coachee")
        .get(pk=session.pk)
    )
    if locked.status != SessionStatus.SCHEDULED:
        raise Refused(
            _("This session is already %(status)s.")
            % {"status": locked.get_status_display().lower()}
        )
    return locked


@transaction.atomic
def session_reschedule(
    *, session: Session, starts_at: datetime, duration_minutes: int, location: str, by: Any
) -> Session:
    session = _locked_scheduled(session)
    problem = time_problem(starts_at)
    if problem:
        raise ValidationError({"starts_at": problem})
    session.starts_at = starts_at
    session.duration_minutes = duration_minutes
    session.location = location
    session.sequence += 1
    session.save(update_fields=["starts_at", "duration_minutes", "location", "sequence"])
    _audit(by, AuditAction.UPDATE, session, session.engagement.coachee_id, "Session rescheduled")
    notify.session_invite(session)
    return session


def _cancel(session: Session) -> None:
    session.status = SessionStatus.CANCELLED
    session.closed_at = timezone.now()
    session.sequence += 1
    session.save(update_fields=["status", "closed_at", "sequence"])
    notify.session_cancelled(session)


@transaction.atomic
def session_cancel(*, session: Session, by: Any) -> Session:
    session = _locked_scheduled(session)
    _cancel(session)
    _audit(by, AuditAction.UPDATE, session, session.engagement.coachee_id, "Session cancelled")
    return session


@transaction.atomic
def session_no_show(*, session: Session, by: Any) -> Session:
    """The coach records that the coachee did not come; only once the time has come."""
    session = _locked_scheduled(session)
    if not session.is_past():
        raise Refused(_("A no-show is recorded once the session's time has come."))
    session.status = SessionStatus.NO_SHOW
    session.closed_at = timezone.now()
    session.save(update_fields=["status", "closed_at"])
    _audit(by, AuditAction.UPDATE, session, session.engagement.coachee_id, "Session: no-show")
    return session


@dataclass(frozen=True)
class NextStep:
    """A next step agreed in a session: what, who owns it (coach or coachee), by when."""

    title: str
    owner: str  # Party.COACH or Party.COACHEE
    due_date: date


@dataclass(frozen=True)
class Grow:
    """The coach's notes of a session, shaped by GROW."""

    goal: str = ""
    reality: str = ""
    options: str = ""
    will: str = ""


NO_NEXT_STEP = gettext_lazy(
    "Close every conversation with clear next steps: add at least one, with an owner "
    "and a due date."
)


def next_step_problems(steps: list[NextStep], *, held_on: date) -> list[str]:
    """Why these next steps cannot close a session held on `held_on`; empty when they can."""
    if not steps:
        return [str(NO_NEXT_STEP)]
    problems = []
    for number, step in enumerate(steps, start=1):
        if not step.title.strip():
            problems.append(_("Next step %(n)s says nothing.") % {"n": number})
        if step.owner not in (Party.COACH, Party.COACHEE):
            problems.append(_("Next step %(n)s needs an owner.") % {"n": number})
        if step.due_date < held_on:
            problems.append(
                _("Next step %(n)s is due before the session it comes from.") % {"n": number}
            )
    return problems


def _save_notes(session: Session, grow: Grow) -> SessionNotes:
    notes, _created = SessionNotes.objects.get_or_create(session=session)
    notes.goal, notes.reality, notes.options, notes.will = (
        grow.goal,
        grow.reality,
        grow.options,
        grow.will,
    )
    notes.save()
    return notes


@transaction.atomic
def session_hold(
    *, session: Session, grow: Grow, next_steps: list[NextStep], held_by: Any
) -> Session:
    """The coach closes a session as held, with its GROW notes and at least one next
    step (an owner and a due date). Refused — with nothing written — without one, by
    anyone but the coach, or before the session's time."""
    session = _locked_scheduled(session)
    if not access.is_session_coach(held_by, session):
        raise Refused(_("The coach records that a session was held."))
    if not session.is_past():
        raise Refused(_("A session is recorded as held once its time has come."))
    held_on = timezone.localdate(session.starts_at)
    problems = next_step_problems(next_steps, held_on=held_on)
    if problems:
        raise ValidationError({"next_steps": problems})
    _save_notes(session, grow)
    ActionItem.objects.bulk_create(
        ActionItem(
            engagement=session.engagement,
            session=session,
            title=step.title.strip(),
            owner=step.owner,
            due_date=step.due_date,
        )
        for step in next_steps
    )
    session.status = SessionStatus.HELD
    session.closed_at = timezone.now()
    session.save(update_fields=["status", "closed_at"])
    _audit(
        held_by,
        AuditAction.UPDATE,
        session,
        session.engagement.coachee_id,
        f"Session held, {len(next_steps)} next steps",
    )
    notify.rating_requested(session)
    return session


@transaction.atomic
def session_notes_update(*, session: Session, grow: Grow, by: Any) -> SessionNotes:
    """The coach corrects the GROW notes of a held session."""
    session = (
        Session.objects.select_for_update().select_related("engagement__coach").get(pk=session.pk)
    )
    if not access.is_session_coach(by, session):
        raise Refused(_("The coach writes the session notes."))
    if session.status != SessionStatus.HELD:
        raise Refused(_("Notes are written when the session is recorded as held."))
    notes = _save_notes(session, grow)
    _audit(by, AuditAction.UPDATE, session, session.engagement.coachee_id, "Notes changed")
    return notes


@transaction.atomic
def session_rate(*, session: Session, rating: int, takeaways: str, by: Any) -> Session:
    """The coachee's one-question rating of a held session, and their own takeaways
    (which only the coach and the coachee read)."""
    session = (
        Session.objects.select_for_update()
        .select_related("engagement__coachee", "engagement__coach")
        .get(pk=session.pk)
    )
    if not access.is_session_coachee(by, session):
        raise Refused(_("The coachee rates the session."))
    if session.status != SessionStatus.HELD:
        raise Refused(_("A session is rated once it has been held."))
    if not RATING_MIN <= rating <= RATING_MAX:
        raise ValidationError({"rating": _("Rate from 1 to 5.")})
    session.rating = rating
    session.rated_at = timezone.now()
    session.save(update_fields=["rating", "rated_at"])
    notes, _created = SessionNotes.objects.get_or_create(session=session)
    notes.takeaways = takeaways
    notes.save(update_fields=["takeaways", "updated_at"])
    _audit(by, AuditAction.UPDATE, session, session.engagement.coachee_id, "Session rated")
    return session


def action_item_set_done(*, item: ActionItem, done: bool, on: date) -> ActionItem:
    """Tick a next step off (on `on`) or reopen it."""
    if done and item.done_on is None:
        item.done_on = on
        item.save(update_fields=["done_on"])
    elif not done and item.done_on is not None:
        item.done_on = None
        item.save(update_fields=["done_on"])
    return item
