"""Demo data for training, registered in course_hooks.register() (after the programs'
loader, whose "Emerging Leaders Accelerator" it teaches in).

- A course, "Giving feedback that lands", with four objectives linked to competencies,
  knowledge-check questions (multiple choice and scenarios) and practice challenges.
- Run twice, ten days apart, about four months before the demo date: the first run
  (the accelerator's participants and the demo "participant") is reinforced; the second,
  a comparison cohort of other emerging leaders, is not.
- Both runs: attendance, reaction surveys, knowledge checks before and after.
- The reinforced run: months of burst history, simulated with FSRS itself: at each due
  date a learner recalls with the chance FSRS estimates (some learners skip or answer
  late), so the history, the due dates and the retention charts are what the scheduler
  would have produced. Practice logs, some confirmed by the learner's manager. The
  comparison run gets cards (its estimated retention is the unreinforced curve) but no
  bursts. The demo participant has bursts due on the demo date.
- The escalation job run as of the demo date, so learners still low are flagged.
"""

import datetime
import random
from typing import Any

from tandem.lib import reinforcement as fsrs_memory
from tandem.people.demo import DemoContext
from tandem.people.models import Level, Person
from tandem.programs.models import Cohort, Competency, Enrollment, Program
from tandem.training import reinforcement
from tandem.training.models import (
    Card,
    CheckAnswer,
    CheckAttempt,
    CheckPhase,
    Course,
    CourseSession,
    LearningObjective,
    PracticeChallenge,
    PracticeLog,
    Question,
    QuestionKind,
    ReactionSurvey,
    Review,
    Seat,
    SeatSource,
    SeatStatus,
    SessionStatus,
)

COURSE_TITLE = "Giving feedback that lands"
PROGRAM_NAME = "Emerging Leaders Accelerator"
RUN_DAYS_AGO = (125, 115)  # the reinforced run, then the comparison run
COHORT_SIZE = 14

# (objective, competency, [(kind, prompt, options, correct, why)], [challenges])
CONTENT: list[tuple[str, str, list[tuple[str, str, list[str], int, str]], list[str]]] = [
    (
        "Describe behaviour, not character",
        "Communication and listening",
        [
            (
                QuestionKind.MULTIPLE_CHOICE,
                "Which opening describes behaviour rather than character?",
                [
                    "You're not a team player.",
                    "In this morning's stand-up you interrupted Sam twice.",
                    "You always seem distracted.",
                ],
                2,
                "It names what happened, when, and can be observed by anyone.",
            ),
            (
                QuestionKind.SCENARIO,
                "A report's update was late again. What do you say first?",
                [
                    "You're unreliable lately.",
                    "The update due Tuesday came Thursday; the client asked me about it.",
                    "Everyone else manages to be on time.",
                ],
                2,
                "Situation and behaviour first: the date, the fact, who was affected.",
            ),
        ],
        ["In your next piece of feedback, say only what you saw or heard, with when."],
    ),
    (
        "Name the impact",
        "Communication and listening",
        [
            (
                QuestionKind.MULTIPLE_CHOICE,
                "In Situation-Behaviour-Impact, the impact is...",
                [
                    "the consequence you observed or felt",
                    "the sanction that will follow",
                    "your guess at the person's motive",
                ],
                1,
                "Impact is what the behaviour caused, not a threat or a motive.",
            ),
            (
                QuestionKind.SCENARIO,
                "Your report presented well to the board. Which praise helps most?",
                [
                    "Great job!",
                    "Your one-page summary let the board decide in ten minutes.",
                    "You're a natural.",
                ],
                2,
                "Specific impact tells them what to repeat.",
            ),
        ],
        ["Praise one specific action this week and name its effect on the team or client."],
    ),
    (
        "Ask before you tell",
        "Coaching others",
        [
            (
                QuestionKind.MULTIPLE_CHOICE,
                "After giving feedback, the best next move is usually to...",
                [
                    "explain what they should do instead",
                    "ask how they see it",
                    "move on to the next topic",
                ],
                2,
                "Their view first: you may be missing context, and owning a fix sticks.",
            ),
            (
                QuestionKind.SCENARIO,
                "Your report disagrees with your feedback. You...",
                [
                    "repeat it more firmly",
                    "ask what they saw that you did not",
                    "drop it to keep the peace",
                ],
                2,
                "Curiosity keeps the conversation open without dropping the point.",
            ),
        ],
        ["In one conversation, ask two open questions before offering any advice."],
    ),
    (
        "Close with a next step",
        "Accountability",
        [
            (
                QuestionKind.MULTIPLE_CHOICE,
                "A feedback conversation is finished when...",
                [
                    "both sides have said their piece",
                    "there is an agreed next step with an owner and a date",
                    "the person says they understand",
                ],
                2,
                "Without a next step, nothing changes: every conversation ends in one.",
            ),
        ],
        ["End your next one-on-one with a written next step, an owner and a date."],
    ),
]

DID = [
    "Gave SBI feedback to a report about missed hand-overs.",
    "Praised a specific slide in the quarterly review and said why it worked.",
    "Asked my peer how she saw the launch before sharing my view.",
    "Closed the team retro with three owners and dates.",
    "Told a colleague how his interruptions landed in the client call.",
]
HAPPENED = [
    "He agreed and proposed a checklist himself.",
    "She used the same format the next week.",
    "We found the real blocker was another team's deadline.",
    "Two of three items were done by Friday.",
    "",
]
COMMENTS = [
    "The role plays were the most useful part.",
    "Practical, I used it the next day.",
    "A bit long in the afternoon.",
    "",
    "",
]


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def load_training(context: DemoContext) -> str:
    """Write the demo course, its two runs and the reinforced run's history."""
    rng = context.rng
    program = Program.objects.filter(name=PROGRAM_NAME).first()
    course = Course.objects.create(
        title=COURSE_TITLE,
        description=(
            "A half-day workshop on feedback people can use: situation, behaviour, impact; "
            "asking before telling; closing with a next step. Followed by six months of "
            "two-minute bursts and practice at work."
        ),
        program=program,
    )
    competencies = {c.name: c for c in Competency.objects.all()}
    objectives = []
    for order, (title, competency, questions, challenges) in enumerate(CONTENT, 1):
        objective = LearningObjective.objects.create(
            course=course, title=title, competency=competencies.get(competency), order=order
        )
        for kind, prompt, options, correct, why in questions:
            Question.objects.create(
                objective=objective,
                kind=kind,
                prompt=prompt,
                options=options,
                correct=correct,
                explanation=why,
            )
        for prompt in challenges:
            PracticeChallenge.objects.create(objective=objective, prompt=prompt)
        objectives.append(objective)

    reinforced, comparison = _cohorts(context, program)
    facilitator = Person.objects.filter(user__username="coach").first()
    lines = []
    for (days_ago, people), reinforce in zip(
        zip(RUN_DAYS_AGO, (reinforced, comparison), strict=True), (True, False), strict=True
    ):
        day = context.as_of - datetime.timedelta(days=days_ago)
        session = CourseSession.objects.create(
            course=course,
            title=f"{COURSE_TITLE} ({'reinforced' if reinforce else 'comparison'} run)",
            starts_at=_at(day),
            duration_minutes=210,
            time_zone="Europe/Paris",
            facilitator=facilitator,
            venue="Paris office, room Ada",
            capacity=16,
            reinforce=reinforce,
            cohort=Cohort.objects.filter(program=program).first() if reinforce else None,
            status=SessionStatus.HELD,
            held_at=_at(day, 13),
        )
        seats = _seats(session, people, rng)
        _checks(seats, objectives, rng)
        _cards, reviews, logs = _reinforcement(
            context, session, seats, objectives, rng, bursts=reinforce
        )
        lines.append(
            f"{len(seats)} learners ({'reinforced' if reinforce else 'not reinforced'}: "
            f"{reviews} burst answers, {logs} practice logs)"
        )
    # The escalation job, run as of the demo date: learners still low are flagged.
    flags = reinforcement.flags_raise(_at(context.as_of, 8))
    return (
        f"Training: {COURSE_TITLE!r} run twice: "
        + "; ".join(lines)
        + f"; {len(flags)} flags raised for low retention or practice."
    )


def _cohorts(context: DemoContext, program: Program | None) -> tuple[list[Person], list[Person]]:
    """The reinforced run: the program's participants with the demo participant; the
    comparison run: other emerging leaders."""
    participant = Person.objects.filter(user__username="participant").first()
    enrolled: list[Person] = []
    if program is not None:
        enrolled = [
            e.person
            for e in Enrollment.objects.current().filter(program=program).select_related("person")
        ]
    first = [p for p in enrolled if p.exit_date is None][: COHORT_SIZE - 1]
    if participant is not None and participant not in first:
        first.insert(0, participant)
    taken = {p.pk for p in first}
    others = list(
        Person.objects.active(context.as_of)
        .filter(level__in=[Level.EMERGING, Level.INDIVIDUAL_CONTRIBUTOR])
        .exclude(pk__in=taken)
        .order_by("employee_id")
    )
    context.rng.shuffle(others)
    return first[:COHORT_SIZE], others[:COHORT_SIZE]


def _seats(session: CourseSession, people: list[Person], rng: random.Random) -> list[Seat]:
    seats = []
    requested = session.starts_at - datetime.timedelta(days=21)
    for person in people:
        attended = rng.random() > 0.08 or person.user_id is not None
        seat = Seat.objects.create(
            session=session,
            person=person,
            status=SeatStatus.ENROLLED,
            source=SeatSource.PROGRAM,
            requested_at=requested,
            status_changed_at=requested,
            attended=attended,
            attendance_marked_at=session.ends_at,
        )
        if attended:
            seats.append(seat)
            if rng.random() < 0.85:
                ReactionSurvey.objects.create(
                    seat=seat,
                    relevance=rng.choice([3, 4, 4, 5, 5]),
                    engagement=rng.choice([3, 4, 4, 5]),
                    intent_to_apply=rng.choice([3, 4, 5, 5]),
                    comment=rng.choice(COMMENTS),
                    answered_at=session.ends_at + datetime.timedelta(hours=2),
                )
    return seats


def _checks(seats: list[Seat], objectives: list[LearningObjective], rng: random.Random) -> None:
    questions = list(Question.objects.filter(objective__in=objectives).order_by("pk"))
    for seat in seats:
        skill = rng.uniform(-0.15, 0.15)
        for phase, chance, at in (
            (CheckPhase.BEFORE, 0.45, seat.session.starts_at - datetime.timedelta(days=2)),
            (CheckPhase.AFTER, 0.85, seat.session.ends_at),
        ):
            attempt = CheckAttempt.objects.create(seat=seat, phase=phase, taken_at=at)
            answers = []
            for question in questions:
                right = rng.random() < chance + skill
                wrong = [k for k in range(1, len(question.options) + 1) if k != question.correct]
                chosen = question.correct if right else rng.choice(wrong)
                answers.append(
                    CheckAnswer(attempt=attempt, question=question, chosen=chosen, right=right)
                )
            CheckAnswer.objects.bulk_create(answers)


def _reinforcement(
    context: DemoContext,
    session: CourseSession,
    seats: list[Seat],
    objectives: list[LearningObjective],
    rng: random.Random,
    *,
    bursts: bool,
) -> tuple[int, int, int]:
    """Cards for every attended learner; for a reinforced run, the bursts they would
    have answered until the demo date (FSRS decides each due date; recall is drawn with
    the chance FSRS estimates), and their practice logs."""
    now = _at(context.as_of, 8)
    retention = float(session.course.desired_retention)
    questions: dict[int, list[Question]] = {}
    for each in Question.objects.filter(objective__in=objectives).order_by("pk"):
        questions.setdefault(each.objective_id, []).append(each)
    reviews: list[Review] = []
    cards: list[Card] = []
    logs = 0
    for seat in seats:
        # Some learners keep up; some answer late; a few drop off after a while.
        diligence = rng.choice([0.95, 0.9, 0.8, 0.6])
        drop_after = rng.choice([None, None, None, 50, 80])
        user = seat.person.user
        is_demo_participant = user is not None and user.username == "participant"
        history: list[tuple[Card, list[dict[str, Any]]]] = []
        for objective in objectives:
            memory = fsrs_memory.first_memory(session.ends_at, retention)
            done: list[dict[str, Any]] = []
            asked = 0
            while bursts and memory.due < now:
                late_days = 0 if rng.random() < diligence else rng.randint(1, 6)
                at = memory.due + datetime.timedelta(days=late_days, hours=rng.randint(0, 8))
                day = (at - session.ends_at).days
                if at >= now or (drop_after is not None and day > drop_after):
                    break
                chance = fsrs_memory.retrievability(memory, at, retention)
                right = rng.random() < chance
                confidence = rng.choice(list(fsrs_memory.Confidence))
                rating = fsrs_memory.grade(right, confidence)
                pool = questions.get(objective.pk, [])
                question = pool[asked % len(pool)] if pool else None
                after = fsrs_memory.review(memory, rating, at, retention)
                done.append(
                    {
                        "reviewed_at": at,
                        "question": question,
                        "right": right,
                        "rating": int(rating),
                        "seconds": rng.randint(12, 70),
                        "retrievability": chance,
                        "due_before": memory.due,
                        "due_after": after.due,
                    }
                )
                memory, asked = after, asked + 1
            if is_demo_participant and bursts and objective.order <= 2:
                # The demo login has bursts waiting today.
                memory = fsrs_memory.Memory(
                    memory.state,
                    memory.step,
                    memory.stability,
                    memory.difficulty,
                    now - datetime.timedelta(hours=2),
                    memory.last_review,
                )
            card = Card(
                seat=seat,
                objective=objective,
                state=memory.state,
                step=memory.step,
                stability=memory.stability,
                difficulty=memory.difficulty,
                due=memory.due,
                last_review=memory.last_review,
                reviews=len(done),
                lapses=sum(1 for r in done if not r["right"]),
                retired=not bursts,
                created_at=session.ends_at,
            )
            cards.append(card)
            history.append((card, done))
        Card.objects.bulk_create([card for card, _ in history])
        for card, done in history:
            reviews.extend(Review(card=card, **review) for review in done)
        if bursts or rng.random() < 0.3:
            logs += _practice(seat, objectives, rng, many=bursts)
    Review.objects.bulk_create(reviews, batch_size=1000)
    return len(cards), len(reviews), logs


def _practice(
    seat: Seat, objectives: list[LearningObjective], rng: random.Random, *, many: bool
) -> int:
    count = rng.randint(1, 4) if many else 1
    manager = seat.person.manager
    start = seat.session.starts_at.date()
    for _ in range(count):
        objective = rng.choice(objectives)
        day = start + datetime.timedelta(days=rng.randint(3, 100))
        confirmed = manager is not None and rng.random() < 0.5
        PracticeLog.objects.create(
            person=seat.person,
            objective=objective,
            seat=seat,
            challenge=objective.challenges.first(),
            what_i_did=rng.choice(DID),
            what_happened=rng.choice(HAPPENED),
            practiced_on=day,
            logged_at=_at(day, 17),
            confirmed_by=manager if confirmed else None,
            confirmed_at=_at(day + datetime.timedelta(days=3)) if confirmed else None,
            manager_note="Saw it in the team meeting." if confirmed else "",
        )
    return count


def delete_training() -> None:
    """Before the organization is reset: the demo course and everything in it."""
    Course.objects.filter(title=COURSE_TITLE).delete()
