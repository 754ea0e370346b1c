"""Mentoring relationship workflows: propose, accept (after a question, perhaps),
decline or expire (and offer the mentee the next mentor), agree, meet, check in,
introduce, close with a survey, or exit without fault and rematch.

Each step is refused (`Refused`, with reasons for people) when it cannot happen now;
field problems are a ValidationError naming the field. Nothing is written on refusal.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts import policy
from tandem.accounts.models import AuditAction, AuditLog
from tandem.mentoring import relationship_access as access
from tandem.mentoring import relationship_emails as emails
from tandem.mentoring.models import (
    DEFAULT_INACTIVITY_WEEKS,
    CheckIn,
    ClosingSurvey,
    Introduction,
    Meeting,
    MeetingAttendance,
    MeetingCadence,
    MentoringFormat,
    MentoringSettings,
    MentorQuestion,
    ProposedVia,
    Relationship,
    RelationshipExitReason,
    RelationshipOutcome,
    RelationshipSide,
    RelationshipStatus,
)
from tandem.mentoring.models.relationships import (
    GOAL_MAX_LENGTH,
    MAX_GOALS,
    MAX_MEETING_MINUTES,
    MIN_MEETING_MINUTES,
    RATING_MAX,
    RATING_MIN,
)
from tandem.people.models import Person
from tandem.programs.models import Program

logger = logging.getLogger(__name__)

DEFAULT_REQUEST_DAYS = 7
MENTEE, MENTOR = RelationshipSide.MENTEE.value, RelationshipSide.MENTOR.value


class Refused(ValidationError):
    """A step that cannot happen now; `messages` say why, for people."""


def _audit(actor: Any, action: str, target: Any, person_id: int | None, summary: str) -> None:
    AuditLog.objects.record(
        actor=actor, action=action, target=target, subject_person_id=person_id, summary=summary
    )


def mentoring_settings(program: Program) -> MentoringSettings | None:
    return MentoringSettings.objects.filter(program=program).first()


def inactivity_weeks(program: Program) -> int:
    settings = mentoring_settings(program)
    return settings.inactivity_weeks if settings is not None else DEFAULT_INACTIVITY_WEEKS


def _locked(relationship: Relationship) -> Relationship:
    return (
        Relationship.objects.select_for_update(of=("self",))
        .select_related("program", "mentee__user", "mentor__user")
        .get(pk=relationship.pk)
    )


def _rematch(relationship: Relationship, reason: str) -> None:
    """Offer the mentee the next mentor (the matching half decides whom). A failure
    there must not undo the decline, expiry or exit that asked for it."""
    # Imported when called: the matching half imports this module to propose.
    from tandem.mentoring import matching

    try:
        with transaction.atomic():
            matching.rematch(
                program=relationship.program,
                mentee=relationship.mentee,
                exclude_mentor=relationship.mentor,
                reason=reason,
            )
    except Exception:
        logger.exception("rematch of relationship %s failed", relationship.pk)


def clean_goals(goals: Any) -> list[str]:
    """The mentee's goals as a list of texts: stripped, no empties, bounded."""
    if isinstance(goals, str):
        goals = goals.splitlines()
    cleaned = [str(goal).replace("\x00", "").strip() for goal in goals or []]
    cleaned = [goal for goal in cleaned if goal]
    problems = []
    if len(cleaned) > MAX_GOALS:
        problems.append(_("At most %(count)s goals.") % {"count": MAX_GOALS})
    if any(len(goal) > GOAL_MAX_LENGTH for goal in cleaned):
        problems.append(
            _("Keep each goal under %(count)s characters.") % {"count": GOAL_MAX_LENGTH}
        )
    if problems:
        raise ValidationError({"goals": problems})
    return cleaned


# The request --------------------------------------------------------------------------


@transaction.atomic
def relationship_propose(
    *,
    program: Program,
    mentee: Person,
    mentor: Person,
    goals: Any,
    score: float | None = None,
    explanation: Any = None,
    via: str = ProposedVia.MATCH,
    proposed_by: Any = None,
) -> Relationship:
    """Propose a relationship and email both sides the request. It takes one of the
    mentor's places until it is declined, expires or closes. Refused for one's own
    mentor, or while the mentee has an open relationship in the program."""
    if mentee.pk == mentor.pk:
        raise Refused(_("Nobody can be their own mentor."))
    if Relationship.objects.open().filter(program=program, mentee=mentee).exists():
        raise Refused(
            _("%(name)s already has a mentor in this program.") % {"name": mentee.full_name}
        )
    settings = mentoring_settings(program)
    days = settings.request_expiry_days if settings is not None else DEFAULT_REQUEST_DAYS
    now = timezone.now()
    try:
        with transaction.atomic():
            relationship = Relationship.objects.create(
                program=program,
                mentee=mentee,
                mentor=mentor,
                format=settings.format if settings is not None else MentoringFormat.ONE_TO_ONE,
                via=via,
                score=score,
                explanation=explanation or [],
                goals=clean_goals(goals),
                proposed_at=now,
                expires_at=now + timedelta(days=days),
            )
    except IntegrityError:
        raise Refused(
            _("%(name)s already has a mentor in this program.") % {"name": mentee.full_name}
        ) from None
    _audit(proposed_by, AuditAction.CREATE, relationship, mentee.pk, f"Proposed ({via})")
    emails.relationship_event(relationship, emails.PROPOSED)
    return relationship


def _require_request(relationship: Relationship, now: datetime) -> None:
    if relationship.status != RelationshipStatus.PROPOSED:
        raise Refused(_("This request is no longer open."))
    if (
        not relationship.accepted_by_both
        and relationship.expires_at is not None
        and relationship.expires_at < now
    ):
        raise Refused(_("This request has expired."))


@transaction.atomic
def relationship_accept(*, relationship: Relationship, user: Any) -> Relationship:
    """The mentee or the mentor accepts the request; once both have, they agree the
    terms (goals, cadence, confidentiality) to start."""
    relationship = _locked(relationship)
    _require_request(relationship, timezone.now())
    mine = access.sides(user, relationship)
    if not mine:
        raise Refused(_("Only the mentee and the mentor accept a request."))
    now, changed = timezone.now(), []
    if MENTEE in mine and relationship.mentee_accepted_at is None:
        relationship.mentee_accepted_at = now
        changed.append("mentee_accepted_at")
    if MENTOR in mine and relationship.mentor_accepted_at is None:
        relationship.mentor_accepted_at = now
        changed.append("mentor_accepted_at")
    if changed:
        relationship.save(update_fields=changed)
        _audit(user, AuditAction.UPDATE, relationship, relationship.mentee_id, "Accepted")
        if relationship.accepted_by_both:
            emails.relationship_event(relationship, emails.ACCEPTED)
    return relationship


@transaction.atomic
def question_ask(*, relationship: Relationship, user: Any, text: str) -> MentorQuestion:
    """The mentor asks the mentee a question before accepting."""
    relationship = _locked(relationship)
    _require_request(relationship, timezone.now())
    if not access.is_mentor(user, relationship):
        raise Refused(_("The mentor asks the questions before accepting."))
    if relationship.mentor_accepted_at is not None:
        raise Refused(_("You have already accepted: talk it over in your first meeting."))
    text = text.replace("\x00", "").strip()
    if not text:
        raise ValidationError({"question": _("Write your question.")})
    question = MentorQuestion.objects.create(relationship=relationship, question=text)
    _audit(user, AuditAction.CREATE, question, relationship.mentee_id, "Mentor asked a question")
    emails.relationship_event(relationship, emails.QUESTION, MENTOR)
    return question


@transaction.atomic
def question_answer(*, question: MentorQuestion, user: Any, answer: str) -> MentorQuestion:
    relationship = _locked(question.relationship)
    if relationship.status != RelationshipStatus.PROPOSED:
        raise Refused(_("This request is no longer open."))
    if not access.is_mentee(user, relationship):
        raise Refused(_("The mentee answers the mentor's questions."))
    answer = answer.replace("\x00", "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write your answer.")})
    question = MentorQuestion.objects.select_for_update(of=("self",)).get(pk=question.pk)
    question.answer = answer
    question.answered_at = timezone.now()
    question.save(update_fields=["answer", "answered_at"])
    _audit(user, AuditAction.UPDATE, question, relationship.mentee_id, "Mentee answered")
    emails.relationship_event(relationship, emails.ANSWER, MENTEE)
    return question


@transaction.atomic
def relationship_decline(*, relationship: Relationship, user: Any) -> Relationship:
    """Either side declines the request, without a reason and without fault; the
    mentee is offered the next mentor."""
    relationship = _locked(relationship)
    if relationship.status != RelationshipStatus.PROPOSED:
        raise Refused(_("This request is no longer open."))
    side = access.side_of(user, relationship)
    if side is None:
        raise Refused(_("Only the mentee and the mentor decline a request."))
    relationship.status = RelationshipStatus.DECLINED
    relationship.declined_at = timezone.now()
    relationship.declined_by = side
    relationship.save(update_fields=["status", "declined_at", "declined_by"])
    _audit(user, AuditAction.UPDATE, relationship, relationship.mentee_id, f"Declined by {side}")
    emails.relationship_event(relationship, emails.DECLINED, side)
    _rematch(relationship, "declined")
    return relationship


def relationships_expire(*, now: datetime | None = None) -> int:
    """Requests past their expiry expire, one at a time (each in its own transaction,
    claimed under a lock so two workers never expire one twice); the next suggestion
    is offered to each mentee. Returns how many expired."""
    now = now or timezone.now()
    expired = 0
    for pk in list(Relationship.objects.past_expiry(now).values_list("pk", flat=True)):
        with transaction.atomic():
            relationship = (
                Relationship.objects.select_for_update(of=("self",))
                .select_related("program", "mentee", "mentor")
                .filter(pk=pk)
                .first()
            )
            if relationship is None or not (
                relationship.is_request
                and relationship.expires_at is not None
                and relationship.expires_at < now
            ):
                continue
            relationship.status = RelationshipStatus.EXPIRED
            relationship.save(update_fields=["status"])
            _audit(None, AuditAction.UPDATE, relationship, relationship.mentee_id, "Expired")
            emails.relationship_event(relationship, emails.EXPIRED)
            _rematch(relationship, "expired")
            expired += 1
    return expired


# The agreement --------------------------------------------------------------------------


@transaction.atomic
def relationship_agree(
    *, relationship: Relationship, user: Any, goals: Any, cadence: str, confidentiality: str
) -> Relationship:
    """Confirm (or later change) the agreement: the goals, from the mentee's intent,
    the meeting cadence and what stays confidential. Confirming it starts the
    relationship; either side may, once both have accepted."""
    relationship = _locked(relationship)
    if not access.is_party(user, relationship):
        raise Refused(_("The mentee and the mentor agree the terms."))
    if relationship.status == RelationshipStatus.PROPOSED and not relationship.accepted_by_both:
        raise Refused(_("Both accept the request first; then agree the terms."))
    if relationship.status not in (RelationshipStatus.PROPOSED, RelationshipStatus.ACTIVE):
        raise Refused(_("This relationship has ended."))
    problems: dict[str, Any] = {}
    try:
        cleaned_goals = clean_goals(goals)
    except ValidationError as error:
        problems.update(error.message_dict)
        cleaned_goals = []
    if not cleaned_goals and "goals" not in problems:
        problems["goals"] = [_("Agree at least one goal: what the mentee wants from this.")]
    if cadence not in MeetingCadence.values:
        problems["cadence"] = [_("Choose how often you meet.")]
    confidentiality = (confidentiality or "").replace("\x00", "").strip()
    if not confidentiality:
        problems["confidentiality"] = [_("Say what stays confidential.")]
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    starting = relationship.status == RelationshipStatus.PROPOSED
    relationship.goals = cleaned_goals
    relationship.cadence = cadence
    relationship.confidentiality = confidentiality
    relationship.agreed_at = now
    fields = ["goals", "cadence", "confidentiality", "agreed_at"]
    if starting:
        relationship.status = RelationshipStatus.ACTIVE
        relationship.activated_at = now
        fields += ["status", "activated_at"]
    relationship.save(update_fields=fields)
    _audit(
        user,
        AuditAction.UPDATE,
        relationship,
        relationship.mentee_id,
        "Agreement confirmed: active" if starting else "Agreement changed",
    )
    if starting:
        emails.relationship_event(relationship, emails.ACTIVE)
    return relationship


# Meetings -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingRecord:
    held_on: date
    duration_minutes: int
    mode: str
    topics: str = ""
    next_step: str = ""
    notes: str = ""  # the logger's own private notes


def _clean(text: str) -> str:
    return (text or "").replace("\x00", "").strip()


def meeting_problems(record: MeetingRecord, relationship: Relationship) -> dict[str, str]:
    problems = {}
    today = timezone.localdate()
    if record.held_on > today:
        problems["held_on"] = _("Log a meeting once it has taken place.")
    elif relationship.activated_at and record.held_on < timezone.localdate(
        relationship.activated_at
    ) - timedelta(days=1):
        problems["held_on"] = _("This is before the relationship started.")
    if not MIN_MEETING_MINUTES <= record.duration_minutes <= MAX_MEETING_MINUTES:
        problems["duration_minutes"] = _("Between %(low)s and %(high)s minutes.") % {
            "low": MIN_MEETING_MINUTES,
            "high": MAX_MEETING_MINUTES,
        }
    return problems


@transaction.atomic
def meeting_log(*, relationship: Relationship, user: Any, record: MeetingRecord) -> Meeting:
    """Log a meeting that took place. In the group format the mentor logs one meeting
    for the whole group (every active relationship of theirs in the program). A flash
    relationship closes after its one meeting."""
    relationship = _locked(relationship)
    if relationship.status != RelationshipStatus.ACTIVE:
        raise Refused(_("Meetings are logged once the agreement is confirmed."))
    side = access.side_of(user, relationship)
    if side is None:
        raise Refused(_("The mentee and the mentor log their meetings."))
    problems = meeting_problems(record, relationship)
    if problems:
        raise ValidationError(problems)
    meeting = Meeting.objects.create(
        program=relationship.program,
        mentor=relationship.mentor,
        held_on=record.held_on,
        duration_minutes=record.duration_minutes,
        mode=record.mode,
        topics=_clean(record.topics),
        next_step=_clean(record.next_step),
        mentor_notes=_clean(record.notes) if side == MENTOR else "",
        logged_by=user,
    )
    group = [relationship]
    if side == MENTOR and relationship.format == MentoringFormat.GROUP:
        group += list(
            Relationship.objects.active()
            .filter(program=relationship.program, mentor=relationship.mentor, format="group")
            .exclude(pk=relationship.pk)
        )
    MeetingAttendance.objects.bulk_create(
        MeetingAttendance(
            meeting=meeting,
            relationship=member,
            mentee_notes=_clean(record.notes) if side == MENTEE and member == relationship else "",
        )
        for member in group
    )
    _audit(
        user,
        AuditAction.CREATE,
        meeting,
        relationship.mentee_id,
        f"Meeting logged ({len(group)} mentees)",
    )
    if relationship.is_flash:
        _close(relationship, by=side, outcome="")
        emails.relationship_event(relationship, emails.CLOSED, side)
    return meeting


@transaction.atomic
def meeting_notes_save(*, meeting: Meeting, user: Any, notes: str) -> Meeting:
    """A party writes their own private notes of a meeting: the mentor's on the
    meeting, a mentee's on their attendance. Nobody writes the other side's."""
    me = policy.person_of(user)
    notes = _clean(notes)
    if me is not None and meeting.mentor_id == me.pk:
        meeting.mentor_notes = notes
        meeting.save(update_fields=["mentor_notes"])
        return meeting
    attendance = (
        MeetingAttendance.objects.select_for_update(of=("self",))
        .filter(meeting=meeting, relationship__mentee=me)
        .first()
        if me is not None
        else None
    )
    if attendance is None:
        raise Refused(_("Only the mentor and the mentees at a meeting keep notes of it."))
    attendance.mentee_notes = notes
    attendance.save(update_fields=["mentee_notes"])
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, user: Any, topics: str, next_step: str) -> Meeting:
    """The shared record of a meeting (topics, next step): its mentor or logger."""
    me = policy.person_of(user)
    if me is None or not (meeting.mentor_id == me.pk or meeting.logged_by_id == user.pk):
        raise Refused(_("The mentor, or whoever logged it, changes a meeting."))
    meeting.topics, meeting.next_step = _clean(topics), _clean(next_step)
    meeting.save(update_fields=["topics", "next_step"])
    return meeting


# Check-ins ------------------------------------------------------------------------------


def check_ins_create_due(*, today: date | None = None) -> int:
    """Create the pulse that is due for each active relationship (30 days after
    activation, then every 60), one per side, and ask each side; a date already
    created is skipped, so reruns and several workers create each pulse once."""
    today = today or timezone.localdate()
    created = 0
    active = Relationship.objects.active().filter(activated_at__isnull=False)
    latest = dict(
        CheckIn.objects.filter(relationship__in=active)
        .values("relationship_id")
        .annotate(last=Max("due_on"))
        .values_list("relationship_id", "last")
    )
    for relationship in active.only("pk", "activated_at"):
        dates = relationship.check_in_dates(today)
        if not dates or latest.get(relationship.pk) == dates[-1]:
            continue
        for side in (MENTEE, MENTOR):
            with transaction.atomic():
                check_in, made = CheckIn.objects.get_or_create(
                    relationship_id=relationship.pk, side=side, due_on=dates[-1]
                )
                if made:
                    emails.check_in_requested(check_in)
                    created += 1
    return created


@dataclass(frozen=True)
class CheckInAnswer:
    satisfaction: int
    goal_progress: int
    frequency_ok: bool
    comment: str = ""


def _rating_problems(**ratings: Any) -> dict[str, str]:
    return {
        name: _("Rate from 1 to 5.")
        for name, value in ratings.items()
        if not isinstance(value, int) or not RATING_MIN <= value <= RATING_MAX
    }


@transaction.atomic
def check_in_answer(*, check_in: CheckIn, user: Any, answer: CheckInAnswer) -> CheckIn:
    check_in = (
        CheckIn.objects.select_for_update(of=("self",))
        .select_related("relationship")
        .get(pk=check_in.pk)
    )
    if check_in.side not in access.sides(user, check_in.relationship):
        raise Refused(_("Each side answers their own check-in."))
    if check_in.answered_at is not None:
        raise Refused(_("You have already answered this check-in."))
    problems = _rating_problems(
        satisfaction=answer.satisfaction, goal_progress=answer.goal_progress
    )
    if problems:
        raise ValidationError(problems)
    check_in.satisfaction = answer.satisfaction
    check_in.goal_progress = answer.goal_progress
    check_in.frequency_ok = answer.frequency_ok
    check_in.comment = _clean(answer.comment)
    check_in.answered_at = timezone.now()
    check_in.save(
        update_fields=["satisfaction", "goal_progress", "frequency_ok", "comment", "answered_at"]
    )
    _audit(user, AuditAction.UPDATE, check_in, check_in.relationship.mentee_id, "Check-in")
    return check_in


# Introductions ---------------------------------------------------------------------------


@transaction.atomic
def introduction_log(
    *, relationship: Relationship, user: Any, kind: str, whom: str, happened_on: date, note: str
) -> Introduction:
    """The mentor logs a door they opened: an introduction, sponsorship or an event."""
    if not access.is_mentor(user, relationship):
        raise Refused(_("The mentor logs the introductions and sponsorship they give."))
    if relationship.status not in (RelationshipStatus.ACTIVE, RelationshipStatus.CLOSED):
        raise Refused(_("Introductions are logged once the relationship has started."))
    problems = {}
    whom = _clean(whom)
    if not whom:
        problems["whom"] = _("Say whom, or which event.")
    if happened_on > timezone.localdate():
        problems["happened_on"] = _("Log an introduction once it has happened.")
    if problems:
        raise ValidationError(problems)
    introduction = Introduction.objects.create(
        relationship=relationship,
        kind=kind,
        whom=whom,
        happened_on=happened_on,
        note=_clean(note),
        logged_by=user,
    )
    _audit(user, AuditAction.CREATE, introduction, relationship.mentee_id, f"Logged {kind}")
    return introduction


# Closing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyAnswer:
    satisfaction: int
    goals_met: int
    would_recommend: bool
    what_changed: str = ""


def _close(relationship: Relationship, *, by: str, outcome: str, exit_reason: str = "") -> None:
    relationship.status = RelationshipStatus.CLOSED
    relationship.closed_at = timezone.now()
    relationship.closed_by = by
    relationship.outcome = outcome
    relationship.exit_reason = exit_reason
    relationship.save(update_fields=["status", "closed_at", "closed_by", "outcome", "exit_reason"])


def _closer(user: Any, relationship: Relationship) -> str:
    side = access.side_of(user, relationship)
    if side is not None:
        return side
    if policy.is_program_admin(user):
        return RelationshipSide.ADMIN
    raise Refused(_("Only the mentee, the mentor and program admins close a relationship."))


def _save_survey(relationship: Relationship, side: str, answer: SurveyAnswer) -> ClosingSurvey:
    problems = _rating_problems(satisfaction=answer.satisfaction, goals_met=answer.goals_met)
    if problems:
        raise ValidationError(problems)
    try:
        with transaction.atomic():
            return ClosingSurvey.objects.create(
                relationship=relationship,
                side=side,
                satisfaction=answer.satisfaction,
                goals_met=answer.goals_met,
                would_recommend=answer.would_recommend,
                what_changed=_clean(answer.what_changed),
            )
    except IntegrityError:
        raise Refused(_("You have already answered the closing survey.")) from None


@transaction.atomic
def relationship_close(
    *, relationship: Relationship, user: Any, outcome: str, survey: SurveyAnswer | None = None
) -> Relationship:
    """Close an active relationship with its outcome; the closer (if a party) answers
    the closing survey at once, and both are asked for theirs."""
    relationship = _locked(relationship)
    if relationship.status != RelationshipStatus.ACTIVE:
        raise Refused(_("Only an active relationship is closed; decline a request instead."))
    side = _closer(user, relationship)
    if outcome not in RelationshipOutcome.values or outcome == RelationshipOutcome.EXITED:
        raise ValidationError({"outcome": _("Choose how far the goals were met.")})
    _close(relationship, by=side, outcome=outcome)
    if survey is not None and side in (MENTEE, MENTOR):
        _save_survey(relationship, side, survey)
    _audit(user, AuditAction.UPDATE, relationship, relationship.mentee_id, f"Closed: {outcome}")
    emails.relationship_event(relationship, emails.CLOSED, side)
    return relationship


@transaction.atomic
def closing_survey_submit(
    *, relationship: Relationship, user: Any, answer: SurveyAnswer
) -> ClosingSurvey:
    side = access.side_of(user, relationship)
    if side is None:
        raise Refused(_("The mentee and the mentor answer the closing survey."))
    if relationship.status != RelationshipStatus.CLOSED:
        raise Refused(_("The closing survey opens when the relationship closes."))
    survey = _save_survey(relationship, side, answer)
    _audit(user, AuditAction.CREATE, survey, relationship.mentee_id, "Closing survey")
    return survey


@transaction.atomic
def relationship_exit(
    *, relationship: Relationship, user: Any, reason: str, rematch: bool
) -> Relationship:
    """End a relationship early, without fault, with a reason from the list; with
    `rematch`, the mentee is offered another mentor (never this one)."""
    relationship = _locked(relationship)
    if relationship.status not in (RelationshipStatus.ACTIVE, RelationshipStatus.PROPOSED):
        raise Refused(_("This relationship has already ended."))
    if relationship.is_request:
        raise Refused(_("A request is declined, not exited."))
    side = _closer(user, relationship)
    if reason not in RelationshipExitReason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    _close(relationship, by=side, outcome=RelationshipOutcome.EXITED, exit_reason=reason)
    relationship.rematch_requested = rematch
    relationship.save(update_fields=["rematch_requested"])
    _audit(user, AuditAction.UPDATE, relationship, relationship.mentee_id, f"Exited: {reason}")
    emails.relationship_event(relationship, emails.EXITED, side)
    if rematch:
        _rematch(relationship, "exit")
    return relationship


# Inactivity -----------------------------------------------------------------------------


def inactive_relationships(*, today: date | None = None) -> list[Relationship]:
    """Active relationships with no meeting for their program's inactivity period."""
    today = today or timezone.localdate()
    found: list[Relationship] = []
    programs = Program.objects.filter(
        mentoring_relationships__status=RelationshipStatus.ACTIVE
    ).distinct()
    weeks = dict(
        MentoringSettings.objects.filter(program__in=programs).values_list(
            "program_id", "inactivity_weeks"
        )
    )
    for program in programs:
        found += list(
            Relationship.objects.inactive(
                weeks.get(program.pk, DEFAULT_INACTIVITY_WEEKS), today
            ).filter(program=program)
        )
    return found


def inactive_nudge(*, now: datetime | None = None) -> int:
    """Nudge both sides of each inactive relationship, once per inactivity period:
    the claim is a conditional update, so two workers never nudge one twice."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    nudged = 0
    weeks_by_program: dict[int, int] = {}
    for relationship in inactive_relationships(today=today):
        weeks = weeks_by_program.setdefault(
            relationship.program_id, inactivity_weeks(relationship.program)
        )
        since = now - timedelta(weeks=weeks)
        with transaction.atomic():
            claimed = (
                Relationship.objects.filter(pk=relationship.pk)
                .filter(Q(last_nudged_at__isnull=True) | Q(last_nudged_at__lt=since))
                .update(last_nudged_at=now)
            )
            if claimed:
                emails.relationship_event(relationship, emails.NUDGE)
                nudged += 1
    return nudged
