"""Demo data for succession, registered in pipeline_hooks.register() (after the
programs' loader: development actions point at the participants' plans).

- Critical roles: the heads of the departments and a few managers below them, with
  impact and risk of loss; two with a planned vacancy (a retirement, a move).
- Two talent reviews a year apart, both closed: every leader (emerging, mid-level,
  senior) rated by their manager, a few calibrated by the admin; between the two,
  most people stay in their box, some move up, a few down.
- Successor slates: up to three ranked candidates per role from the leaders below it,
  with readiness; development actions on the candidates' plans where they have one.
- Leadership openings over two years, filled from inside and outside, two still open.
- Twelve monthly pipeline snapshots rebuilt from that history, so the trends show.
"""

import datetime
import random

from django.contrib.auth import get_user_model

from tandem.lib import ninebox, pipeline
from tandem.people.demo import DemoContext
from tandem.people.models import Level, Person
from tandem.programs.models import DevelopmentPlan
from tandem.succession.models import (
    ActionKind,
    ActionStatus,
    CriticalRole,
    Degree,
    DevelopmentAction,
    FillSource,
    Opening,
    PipelineSnapshot,
    Placement,
    Rating,
    Readiness,
    ReviewStatus,
    Successor,
    TalentReview,
    VacancyReason,
)

LEADERS = [Level.EMERGING, Level.MID, Level.SENIOR]
RATING_ORDER: list[str] = [Rating.LOW, Rating.MODERATE, Rating.HIGH]
REVIEW_PREFIX = "Talent review"
ACTIONS = {
    ActionKind.MENTORING: "Mentoring with a senior leader from another department",
    ActionKind.COACHING: "Six coaching sessions on leading through others",
    ActionKind.COURSE: "Giving feedback that lands (workshop and bursts)",
    ActionKind.STRETCH: "Lead the cross-team planning cycle for a quarter",
}


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)


def _rating(rng: random.Random, weights: tuple[float, float, float]) -> str:
    return rng.choices(RATING_ORDER, weights=weights)[0]


def load_succession(context: DemoContext) -> str:
    rng = context.rng
    today = context.as_of
    leaders = list(
        Person.objects.active(today)
        .filter(level__in=LEADERS)
        .select_related("manager", "org_unit")
        .order_by("employee_id")
    )
    admin = get_user_model().objects.filter(username="admin").first()
    roles = _critical_roles(leaders, rng, today)
    reviews = _reviews(leaders, rng, today, admin)
    slates = _slates(roles, leaders, reviews[-1], rng, today)
    openings = _openings(leaders, roles, rng, today)
    snapshots = _snapshots(roles, slates, openings, today)
    ready = sum(
        1 for role in roles if any(s.readiness == Readiness.READY_NOW for s in slates[role.pk])
    )
    return (
        f"Succession: {len(roles)} critical roles ({ready} with a ready-now successor), "
        f"{len(reviews)} talent reviews of {len(leaders)} leaders, {len(openings)} "
        f"leadership openings, {snapshots} monthly pipeline snapshots."
    )


def _critical_roles(
    leaders: list[Person], rng: random.Random, today: datetime.date
) -> list[CriticalRole]:
    heads = [p for p in leaders if p.level == Level.SENIOR and p.manager_id is not None]
    managers = [p for p in leaders if p.level == Level.MID]
    rng.shuffle(managers)
    roles = []
    for number, person in enumerate(heads[:6] + managers[:4]):
        vacancy, reason = None, ""
        if number == 0:
            vacancy, reason = today + datetime.timedelta(days=300), VacancyReason.RETIREMENT
        elif number == 4:
            vacancy, reason = today + datetime.timedelta(days=150), VacancyReason.MOVE
        roles.append(
            CriticalRole.objects.create(
                title=person.title,
                org_unit=person.org_unit,
                level=person.level,
                incumbent=person,
                impact_of_loss=rng.choice([Degree.HIGH, Degree.HIGH, Degree.MEDIUM]),
                risk_of_loss=(
                    Degree.HIGH if vacancy else rng.choice([Degree.LOW, Degree.MEDIUM, Degree.HIGH])
                ),
                vacancy_expected_on=vacancy,
                vacancy_reason=reason,
                created_at=_at(today - datetime.timedelta(days=400)),
            )
        )
    return roles


def _reviews(
    leaders: list[Person], rng: random.Random, today: datetime.date, admin: object
) -> list[TalentReview]:
    reviews = []
    previous: dict[int, tuple[str, str]] = {}
    for days_ago in (380, 20):
        held = today - datetime.timedelta(days=days_ago)
        review = TalentReview.objects.create(
            name=f"{REVIEW_PREFIX} {held.year}",
            held_on=held,
            status=ReviewStatus.CLOSED,
            created_by=admin,  # type: ignore[misc]
            closed_at=_at(held + datetime.timedelta(days=14)),
        )
        placements = []
        for person in leaders:
            if person.hire_date > held or person.manager_id is None:
                continue
            if person.pk in previous:
                performance, potential = _moved(previous[person.pk], rng)
            else:
                performance = _rating(rng, (0.15, 0.6, 0.25))
                potential = _rating(rng, (0.3, 0.55, 0.15))
            calibrated = rng.random() < 0.1
            placements.append(
                Placement(
                    review=review,
                    person=person,
                    performance=performance,
                    potential=potential,
                    rated_by=person.manager,
                    rated_at=_at(held),
                    calibrated_potential=(
                        RATING_ORDER[max(0, RATING_ORDER.index(potential) - 1)]
                        if calibrated
                        else ""
                    ),
                    calibrated_by=admin if calibrated else None,  # type: ignore[misc]
                    calibrated_at=_at(held + datetime.timedelta(days=10)) if calibrated else None,
                    calibration_note="Compared with peers at the same level." if calibrated else "",
                )
            )
        Placement.objects.bulk_create(placements)
        previous = {p.person_id: (p.final_performance, p.final_potential) for p in placements}
        reviews.append(review)
    return reviews


def _moved(before: tuple[str, str], rng: random.Random) -> tuple[str, str]:
    """Next year's ratings: most stay, some rise, a few fall."""

    def step(rating: str) -> str:
        index = RATING_ORDER.index(rating) + rng.choices([0, 1, -1], weights=(0.7, 0.2, 0.1))[0]
        return RATING_ORDER[min(2, max(0, index))]

    return step(before[0]), step(before[1])


def _below(role: CriticalRole, leaders: list[Person]) -> list[Person]:
    incumbent = role.incumbent
    assert incumbent is not None
    return [
        p
        for p in leaders
        if p.pk != incumbent.pk
        and p.is_managed_by(incumbent)
        and Level.rank(p.level) <= Level.rank(role.level)
    ]


def _slates(
    roles: list[CriticalRole],
    leaders: list[Person],
    latest: TalentReview,
    rng: random.Random,
    today: datetime.date,
) -> dict[int, list[Successor]]:
    boxes = {p.person_id: p.box for p in latest.placements.all()}
    plans = {plan.person_id: plan for plan in DevelopmentPlan.objects.order_by("created_at")}
    slates: dict[int, list[Successor]] = {}
    for number, role in enumerate(roles):
        candidates = sorted(
            _below(role, leaders), key=lambda p: (-boxes.get(p.pk, 0), p.employee_id)
        )
        size = 0 if number in (3, 8) else rng.randint(1, 3)
        slate = []
        for rank, person in enumerate(candidates[:size], 1):
            performance, potential = ninebox.ratings_of(boxes.get(person.pk, 5))
            readiness = (
                Readiness.READY_NOW
                if performance == "high" and potential != "low"
                else Readiness.ONE_TWO_YEARS
                if potential == "high" or rank == 1
                else Readiness.THREE_PLUS_YEARS
            )
            added = today - datetime.timedelta(days=rng.randint(30, 360))
            successor = Successor.objects.create(
                role=role,
                person=person,
                rank=rank,
                readiness=readiness,
                added_at=_at(added),
                readiness_changed_at=_at(added),
            )
            kind = rng.choice(list(ActionKind))
            plan = plans.get(person.pk)
            DevelopmentAction.objects.create(
                successor=successor,
                kind=kind,
                description=ACTIONS[kind],
                plan=plan,
                due_on=today + datetime.timedelta(days=rng.randint(30, 200)),
                status=rng.choice([ActionStatus.PLANNED, ActionStatus.UNDER_WAY]),
            )
            slate.append(successor)
        slates[role.pk] = slate
    return slates


def _openings(
    leaders: list[Person], roles: list[CriticalRole], rng: random.Random, today: datetime.date
) -> list[Opening]:
    openings = []
    for number in range(14):
        opened = today - datetime.timedelta(days=rng.randint(20, 700))
        level = rng.choice([Level.EMERGING, Level.MID, Level.MID, Level.SENIOR])
        still_open = number < 2
        internal = rng.random() < 0.6
        filled = (
            None
            if still_open
            else min(today, opened + datetime.timedelta(days=rng.randint(25, 140)))
        )
        filled_by = None
        if filled and internal:
            pool = [p for p in leaders if p.level == level]
            filled_by = rng.choice(pool) if pool else None
        openings.append(
            Opening.objects.create(
                title=f"{level.label} opening #{number + 1}",
                role=roles[number] if number < 2 and number < len(roles) else None,
                level=level,
                org_unit=rng.choice(leaders).org_unit if leaders else None,
                opened_on=opened,
                filled_on=filled,
                source=(FillSource.INTERNAL if internal else FillSource.EXTERNAL) if filled else "",
                filled_by=filled_by,
            )
        )
    return openings


def _snapshots(
    roles: list[CriticalRole],
    slates: dict[int, list[Successor]],
    openings: list[Opening],
    today: datetime.date,
) -> int:
    """The pipeline at the end of each of the last twelve months, from the demo's own
    history: who was on a slate by then, and which openings were filled by then."""
    count = 0
    for months_ago in range(11, -1, -1):
        day = (today.replace(day=1) - datetime.timedelta(days=30 * months_ago)).replace(day=1)
        facts = []
        for role in roles:
            on_slate = [s for s in slates[role.pk] if s.added_at.date() <= day]
            facts.append(
                pipeline.RoleFacts(
                    role_id=role.pk,
                    successors=len(on_slate),
                    ready_now=sum(1 for s in on_slate if s.readiness == Readiness.READY_NOW),
                    risk_high=role.risk_of_loss == Degree.HIGH,
                )
            )
        filled = [
            pipeline.OpeningFacts(
                filled=o.filled_on is not None and o.filled_on <= day,
                internal=o.source == FillSource.INTERNAL,
                days_to_fill=o.days_to_fill,
            )
            for o in openings
            if o.opened_on <= day
        ]
        PipelineSnapshot.objects.update_or_create(
            taken_on=day, defaults={"figures": pipeline.figures(facts, filled)}
        )
        count += 1
    return count


def delete_succession() -> None:
    """Before the organization is reset: everything succession holds about people."""
    PipelineSnapshot.objects.all().delete()
    Opening.objects.all().delete()
    CriticalRole.objects.all().delete()
    TalentReview.objects.all().delete()
