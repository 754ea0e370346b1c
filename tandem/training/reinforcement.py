"""Reinforcement workflows: cards after attendance, the day's burst and its answers,
practice logs and their confirmation, retiring cards, flagging learners who stay low.

The schedule itself is FSRS (`tandem.lib.reinforcement`); this module keeps a card's
columns and its Review history in step with it. An answer locks its card row, so two
submissions of the same burst (a double click, two tabs) cannot both move the card.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.lib import advisor as rules
from tandem.lib import reinforcement as fsrs_rules
from tandem.lib.reinforcement import Confidence, Grade, Memory
from tandem.people.models import Level, Person
from tandem.programs.advisor import advice_as_dict
from tandem.programs.services import Refused
from tandem.training.models import (
    Card,
    Course,
    FlagReason,
    LearnerFlag,
    LearningObjective,
    PracticeChallenge,
    PracticeLog,
    Question,
    Review,
    Seat,
)

__all__ = [
    "BURST_SIZE",
    "BurstItem",
    "Refused",
    "burst_answer",
    "cards_for_attendance",
    "cards_retire",
    "challenge_answer",
    "due_burst",
    "flag_resolve",
    "flags_raise",
    "practice_confirm",
    "practice_log",
]

# A burst is answered in under two minutes: about 20 seconds an item.
BURST_SIZE = 5
# Every third review of a card is a practice challenge (when the objective has one):
# recall keeps the knowledge, practice turns it into behaviour.
CHALLENGE_EVERY = 3


def desired_retention(course: Course) -> float:
    return float(course.desired_retention)


def memory_of(card: Card) -> Memory:
    return Memory(
        card.state, card.step, card.stability, card.difficulty, card.due, card.last_review
    )


def _store(card: Card, memory: Memory) -> None:
    card.state, card.step = memory.state, memory.step
    card.stability, card.difficulty = memory.stability, memory.difficulty
    card.due, card.last_review = memory.due, memory.last_review


# Cards ------------------------------------------------------------------------------


def cards_for_attendance(seat: Seat, **_ignored: Any) -> list[Card]:
    """One card per objective of the seat's course, when the learner attended and the
    course reinforces. The session counts as the first Good review at its end, so the
    first burst comes when FSRS expects recall to fall to the course's target. A run
    without reinforcement (a comparison cohort) gets its cards retired at once: no
    bursts, but its estimated retention shows. Idempotent: objectives that already have
    a card are skipped."""
    seat = Seat.objects.select_related("session__course").get(pk=seat.pk)
    course = seat.session.course
    if not seat.attended or not course.reinforce:
        return []
    memory = fsrs_rules.first_memory(seat.session.ends_at, desired_retention(course))
    have = set(Card.objects.filter(seat=seat).values_list("objective_id", flat=True))
    cards = []
    for objective in course.objectives.exclude(pk__in=have):
        card = Card(
            seat=seat,
            objective=objective,
            created_at=seat.session.ends_at,
            retired=not seat.session.reinforce,
        )
        _store(card, memory)
        cards.append(card)
    return Card.objects.bulk_create(cards, ignore_conflicts=True)


def cards_retire(now: datetime) -> int:
    """Retire the cards of sessions whose reinforcement period is over; returns how
    many. Idempotent."""
    retired = 0
    for course in Course.objects.filter(sessions__seats__cards__retired=False).distinct():
        cutoff = now - timedelta(weeks=course.reinforce_weeks)
        retired += Card.objects.filter(
            retired=False, seat__session__course=course, seat__session__starts_at__lt=cutoff
        ).update(retired=True)
    return retired


# The burst ----------------------------------------------------------------------------


@dataclass(frozen=True)
class BurstItem:
    """One due card and what to ask for it: a recall question or a practice challenge."""

    card: Card
    question: Question | None
    challenge: PracticeChallenge | None
    retrievability: float

    @property
    def is_challenge(self) -> bool:
        return self.challenge is not None


def _least_recent(candidates: list[Any], last_asked: dict[int, datetime]) -> Any:
    """The candidate asked longest ago (never asked first; ties by id)."""
    never = datetime.min.replace(tzinfo=UTC)
    return min(candidates, key=lambda c: (last_asked.get(c.pk, never), c.pk))


def due_burst(person: Person, now: datetime, *, size: int = BURST_SIZE) -> list[BurstItem]:
    """The person's due cards, most overdue first (at most `size`), each with a recall
    question of its objective (the least recently asked) or, on every third review or
    when the objective has no question, a practice challenge. A card whose objective
    has neither is left out: there is nothing to ask."""
    cards = list(
        Card.objects.of_person(person)
        .due(now)
        .select_related("objective", "seat__session__course")
        .order_by("due", "pk")[: size * 2]
    )
    if not cards:
        return []
    objective_ids = {card.objective_id for card in cards}
    questions: dict[int, list[Question]] = defaultdict(list)
    for each_question in Question.objects.filter(objective_id__in=objective_ids, active=True):
        questions[each_question.objective_id].append(each_question)
    challenges: dict[int, list[PracticeChallenge]] = defaultdict(list)
    for each_challenge in PracticeChallenge.objects.filter(
        objective_id__in=objective_ids, active=True
    ):
        challenges[each_challenge.objective_id].append(each_challenge)
    history = Review.objects.filter(card__in=cards).values("card_id", "question_id", "challenge_id")
    asked_q: dict[int, dict[int, datetime]] = defaultdict(dict)
    asked_c: dict[int, dict[int, datetime]] = defaultdict(dict)
    for row in history.annotate(at=Max("reviewed_at")):
        if row["question_id"]:
            asked_q[row["card_id"]][row["question_id"]] = row["at"]
        if row["challenge_id"]:
            asked_c[row["card_id"]][row["challenge_id"]] = row["at"]
    items = []
    for card in cards:
        own_questions, own_challenges = questions[card.objective_id], challenges[card.objective_id]
        wants_challenge = (card.reviews + 1) % CHALLENGE_EVERY == 0 or not own_questions
        question: Question | None = None
        challenge: PracticeChallenge | None = None
        if wants_challenge and own_challenges:
            challenge = _least_recent(own_challenges, asked_c[card.pk])
        elif own_questions:
            question = _least_recent(own_questions, asked_q[card.pk])
        else:
            continue
        retention = desired_retention(card.seat.session.course)
        recall = fsrs_rules.retrievability(memory_of(card), now, retention)
        items.append(BurstItem(card, question, challenge, recall))
        if len(items) == size:
            break
    return items


def _locked_due_card(card: Card, now: datetime) -> Card:
    locked = (
        Card.objects.select_for_update()
        .select_related("seat__session__course", "objective")
        .get(pk=card.pk)
    )
    if locked.retired:
        raise Refused(_("The reinforcement of this course is over: no more bursts."))
    if locked.due > now:
        raise Refused(
            _("Already answered: this one comes back on %(date)s.")
            % {"date": timezone.localtime(locked.due).date().isoformat()}
        )
    return locked


def _review(
    card: Card,
    *,
    rating: Grade,
    now: datetime,
    seconds: int | None,
    right: bool | None,
    question: Question | None = None,
    challenge: PracticeChallenge | None = None,
) -> Review:
    retention = desired_retention(card.seat.session.course)
    before = memory_of(card)
    recall = fsrs_rules.retrievability(before, now, retention)
    after = fsrs_rules.review(before, rating, now, retention)
    due_before = card.due
    _store(card, after)
    card.reviews += 1
    if rating == Grade.AGAIN:
        card.lapses += 1
    card.save()
    return Review.objects.create(
        card=card,
        reviewed_at=now,
        question=question,
        challenge=challenge,
        right=right,
        rating=int(rating),
        seconds=seconds,
        retrievability=recall,
        due_before=due_before,
        due_after=card.due,
    )


def _check_seconds(seconds: int | None) -> None:
    if seconds is not None and not 0 <= seconds <= 24 * 3600:
        raise ValidationError({"seconds": _("Between 0 and 86,400 seconds.")})


@transaction.atomic
def burst_answer(
    card: Card,
    *,
    question: Question,
    chosen: int,
    confidence: int,
    seconds: int | None = None,
    now: datetime | None = None,
) -> Review:
    """Answer a recall question of a due card: right or wrong and how sure the learner
    was give the FSRS grade; the card moves (right later, wrong sooner) and the answer
    is kept as a Review. Refused for a card that is not due (already answered)."""
    now = now or timezone.now()
    if question.objective_id != card.objective_id:
        raise ValidationError({"question": _("This question is about another objective.")})
    if not isinstance(chosen, int) or not 1 <= chosen <= len(question.options):
        raise ValidationError(
            {"chosen": _("Pick one of the options (1 to %d).") % len(question.options)}
        )
    if confidence not in Confidence._value2member_map_:
        raise ValidationError({"confidence": _("Say how sure you were.")})
    _check_seconds(seconds)
    locked = _locked_due_card(card, now)
    right = question.is_right(chosen)
    rating = fsrs_rules.grade(right, Confidence(confidence))
    return _review(locked, rating=rating, now=now, seconds=seconds, right=right, question=question)


@transaction.atomic
def challenge_answer(
    card: Card,
    *,
    challenge: PracticeChallenge,
    done: bool,
    seconds: int | None = None,
    now: datetime | None = None,
) -> Review:
    """Answer a practice challenge: tried at work ("done") is Good, not yet is Hard."""
    now = now or timezone.now()
    if challenge.objective_id != card.objective_id:
        raise ValidationError({"challenge": _("This challenge is about another objective.")})
    _check_seconds(seconds)
    locked = _locked_due_card(card, now)
    rating = fsrs_rules.practice_grade(bool(done))
    return _review(locked, rating=rating, now=now, seconds=seconds, right=None, challenge=challenge)


# Practice logs ----------------------------------------------------------------------------


def _seat_for(person: Person, objective: LearningObjective) -> Seat | None:
    return (
        Seat.objects.attended()
        .filter(person=person, session__course_id=objective.course_id)
        .order_by("-session__starts_at")
        .first()
    )


@transaction.atomic
def practice_log(
    *,
    person: Person,
    objective: LearningObjective,
    what_i_did: str,
    what_happened: str = "",
    practiced_on: date | None = None,
    challenge: PracticeChallenge | None = None,
    today: date | None = None,
) -> PracticeLog:
    """ "I applied this at work": a learner who attended the objective's course logs
    what they did and what happened (Kirkpatrick level 3)."""
    today = today or timezone.localdate()
    practiced_on = practiced_on or today
    errors: dict[str, str] = {}
    seat = _seat_for(person, objective)
    if seat is None:
        errors["objective"] = _("Log practice for a course you attended.")
    if not what_i_did.strip():
        errors["what_i_did"] = _("Say what you did.")
    if practiced_on > today:
        errors["practiced_on"] = _("Log practice once it has happened (today at the latest).")
    if challenge is not None and challenge.objective_id != objective.pk:
        errors["challenge"] = _("This challenge is about another objective.")
    if errors:
        raise ValidationError(errors)
    log = PracticeLog(
        person=person,
        objective=objective,
        seat=seat,
        challenge=challenge,
        what_i_did=what_i_did.strip(),
        what_happened=what_happened.strip(),
        practiced_on=practiced_on,
    )
    log.full_clean()
    log.save()
    return log


def can_confirm(manager: Person | None, log: PracticeLog) -> bool:
    """Only someone above the learner in the management chain confirms their practice."""
    return manager is not None and log.person.is_managed_by(manager)


@transaction.atomic
def practice_confirm(
    *, log: PracticeLog, manager: Person | None, note: str = "", now: datetime | None = None
) -> PracticeLog:
    """The learner's manager (anyone up the chain) confirms the practice happened."""
    log = PracticeLog.objects.select_for_update().select_related("person").get(pk=log.pk)
    if not can_confirm(manager, log):
        raise PermissionDenied(_("Only the learner's managers confirm their practice."))
    if log.confirmed:
        raise Refused(_("This practice is already confirmed."))
    if len(note) > 1000:
        raise ValidationError({"manager_note": _("At most 1,000 characters.")})
    log.confirmed_by = manager
    log.confirmed_at = now or timezone.now()
    log.manager_note = note.strip()
    log.save(update_fields=["confirmed_by", "confirmed_at", "manager_note"])
    return log


# Escalation ------------------------------------------------------------------------------


def mean_retrievability(
    cards: Iterable[tuple[float | None, datetime | None]], now: datetime
) -> float | None:
    """Mean chance of recall over cards given as (stability, last review)."""
    rows = [(s, last) for s, last in cards if s and last is not None]
    if not rows:
        return None
    stability = np.array([s for s, _last in rows], dtype=float)
    elapsed = np.array([(now - last).total_seconds() / 86400 for _s, last in rows])
    return float(np.mean(fsrs_rules.retrievability_many(stability, elapsed)))


def _situation(
    person: Person, *, low_practice: bool, little_time: bool, budget: float
) -> rules.Situation:
    """The advisor's questions answered for a learner the course did not reach: they
    need it tailored to them (the generalized course did not stick) and one-on-one
    (one person). Practice not happening is a behaviour change to make (coaching's
    ground); knowledge fading is a skill still to learn. Skipped bursts say the
    learner has little time."""
    level = person.level if person.level in Level.values else Level.MID.value
    return rules.Situation(
        level=level,  # type: ignore[arg-type]
        need="self_awareness" if low_practice else "skill_or_knowledge",
        customization="high",
        time_available="little" if little_time else "some",
        budget_per_person=budget,
        people_sharing_need=1,
        practice_and_feedback=not low_practice,
    )


def _points_for(reason: rules.Reason, modality: str) -> int:
    for rule in rules.RULES:
        if rule.input == reason.input and rule.message == reason.message:
            return rule.points.get(modality, 0)
    return 0


def suggestion_for(situation: rules.Situation) -> tuple[str, list[dict[str, str]]]:
    """Coaching or mentoring for a flagged learner, from the modality advisor: the one
    it scores higher (ties: the one closer to the need), with the advisor's reasons
    that count for it."""
    advice = rules.advise(situation)
    order = [m for m in rules.PREFERENCE[situation.need] if m != rules.TRAINING]
    suggestion = max(order, key=lambda m: (advice.scores[m], -order.index(m)))
    shown = advice_as_dict(advice)
    texts = {
        (r.input, r.message): t
        for r, t in zip(
            (*advice.reasons, *advice.weighed_against),
            (*shown["reasons"], *shown["weighed_against"]),
            strict=True,
        )
    }
    reasons = [
        texts[(r.input, r.message)]
        for r in (*advice.reasons, *advice.weighed_against)
        if _points_for(r, suggestion) > 0
    ]
    return suggestion, reasons


def _budget_per_person(course: Course) -> float:
    program = course.program
    if program is None or not program.budget:
        return rules.DEFAULT_BANDS.course_only_below  # a course seat and a little more
    people = max(1, program.enrollments.count())
    return float(program.budget) / people


def flags_raise(now: datetime) -> list[LearnerFlag]:
    """Flag each learner still low `escalate_after_days` after their session (and
    still within the reinforcement period): mean recall over their cards below the
    course's minimum, or fewer practice logs than its minimum. A learner is flagged
    once per seat and reason: a rerun, or a flag the admin resolved, raises nothing."""
    raised: list[LearnerFlag] = []
    courses = Course.objects.filter(reinforce=True).select_related("program")
    for course in courses:
        oldest = now - timedelta(weeks=course.reinforce_weeks)
        newest = now - timedelta(days=course.escalate_after_days)
        seats = list(
            Seat.objects.attended()
            .filter(
                session__course=course,
                session__starts_at__lte=newest,
                session__starts_at__gte=oldest,
            )
            .select_related("person")
            .annotate(
                bursts_done=Count("cards__history", distinct=True),
            )
        )
        if not seats:
            continue
        flagged = set(LearnerFlag.objects.filter(seat__in=seats).values_list("seat_id", "reason"))
        cards: dict[int, list[tuple[float | None, datetime | None]]] = defaultdict(list)
        due_now: dict[int, int] = defaultdict(int)
        for seat_id, stability, last, due in Card.objects.filter(seat__in=seats).values_list(
            "seat_id", "stability", "last_review", "due"
        ):
            cards[seat_id].append((stability, last))
            due_now[seat_id] += due <= now
        practice = dict(
            PracticeLog.objects.filter(seat__in=seats)
            .values("seat_id")
            .annotate(n=Count("pk"))
            .values_list("seat_id", "n")
        )
        budget = _budget_per_person(course)
        for seat in seats:
            recall = mean_retrievability(cards[seat.pk], now)
            logs = practice.get(seat.pk, 0)
            done = seat.bursts_done  # type: ignore[attr-defined]
            little_time = done < (done + due_now[seat.pk]) / 2
            checks = [
                (
                    FlagReason.LOW_RETENTION,
                    recall is not None and recall < float(course.min_retention),
                    _("Estimated recall %(recall).0f%% is below the course's %(minimum).0f%%.")
                    % {"recall": (recall or 0) * 100, "minimum": float(course.min_retention) * 100},
                ),
                (
                    FlagReason.LOW_PRACTICE,
                    logs < course.min_practice_logs,
                    _("%(logs)d practice logged; the course expects at least %(minimum)d.")
                    % {"logs": logs, "minimum": course.min_practice_logs},
                ),
            ]
            for reason, low, detail in checks:
                if not low or (seat.pk, reason.value) in flagged:
                    continue
                situation = _situation(
                    seat.person,
                    low_practice=reason == FlagReason.LOW_PRACTICE,
                    little_time=little_time,
                    budget=budget,
                )
                suggestion, reasons = suggestion_for(situation)
                try:
                    with transaction.atomic():
                        raised.append(
                            LearnerFlag.objects.create(
                                seat=seat,
                                reason=reason,
                                detail=detail[:300],
                                suggestion=suggestion,
                                suggestion_reasons=reasons,
                                raised_at=now,
                            )
                        )
                except IntegrityError:  # another worker raised it in the meantime
                    continue
    return raised


@transaction.atomic
def flag_resolve(*, flag: LearnerFlag, resolution: str, now: datetime | None = None) -> LearnerFlag:
    """Close a flag with what was done (e.g. "coaching engagement started")."""
    flag = LearnerFlag.objects.select_for_update().get(pk=flag.pk)
    if flag.resolved_at is not None:
        raise Refused(_("This flag is already resolved."))
    resolution = resolution.strip()
    if not resolution:
        raise ValidationError({"resolution": _("Say what was done.")})
    if len(resolution) > 300:
        raise ValidationError({"resolution": _("At most 300 characters.")})
    flag.resolution = resolution
    flag.resolved_at = now or timezone.now()
    flag.save(update_fields=["resolution", "resolved_at"])
    return flag


def open_flags() -> Any:
    return LearnerFlag.objects.filter(resolved_at__isnull=True)
