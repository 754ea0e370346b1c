"""Demo data for impact, registered in demo_hooks.register() (after every other app's
loader: it measures what they built).

The story the dashboards tell, both ways:

- Effective: "Emerging Leaders Accelerator" and "Emerging Leaders Mentoring Circle".
  The teams their participants lead rise modestly in the pulses after the program
  starts (about +5 points of engagement index and +10 of eNPS, reached three months
  in), against similar teams that only follow the organization's drift; their
  participants leave voluntarily less often than the base rate (0.4 of it), and a few
  are promoted after the start.
- No effect: "Mid-Level Managers: Leading Teams" (the smallest program). Its
  participants' teams move like everyone else's, its participants leave at the base
  rate and none is promoted: whatever the dashboards show for it is noise.

What is written:

- Two years of quarterly pulses to the whole organization: 8 closed ones, the last
  closing before the demo date, and a 9th to one department, open since three days.
  Everyone active on a pulse's opening day is invited (single-use links of which only
  the hash of a random token is kept); about 70-85 % answer, by team. A response's
  slice keys are the person's manager, unit and level as the org chart stands. Scores
  come from one model: the organization's level and a common drift per pulse, a level
  per team and per person, noise per response, and the program effect above. Closed
  pulses are closed through `pulses.pulse_close`, so the safe cells are the real ones.
- Voluntary exits (Person.exit_date/exit_type and an exit JobChange, as the people
  demo records them) and promotions (a promotion JobChange and the new level and
  title), only for participants who had none, dated between the start and the demo
  date. A new hire fills a leaver's position a few weeks later and takes over the
  leaver's reports, so the headcount stays the demo's size. Participants the other demos
  lean on (demo logins, coachees, mentors, open mentoring pairs, critical roles and
  their successors) are left alone.
- ROI inputs: salary bands per level, impact settings, benefit lines and intangibles
  per program, and cost lines for the program that has none (the mentoring circle).

Deterministic: every draw comes from the loader's seeded generator (the tokens, which
nobody sees, excepted), and the people it changes are chosen the same way on a second
run, which then changes nothing new.
"""

import datetime
import math
import random
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Max

from tandem.assessments import tokens
from tandem.coaching.models import Engagement
from tandem.conversations import demo as conversations_demo
from tandem.insights import habits, pulse_items, pulses
from tandem.insights.models import (
    BenefitLine,
    ImpactSettings,
    Intangible,
    Pulse,
    PulseInvitation,
    PulseResponse,
    PulseSettings,
    PulseStatus,
    SalaryBand,
)
from tandem.mentoring.models import Mentor, Relationship
from tandem.mentoring.models.relationships import OPEN_RELATIONSHIP_STATUSES
from tandem.people.demo import (
    EMAIL_DOMAIN,
    EXIT_HAZARD,
    FIRST_NAMES,
    LAST_NAMES,
    VOLUNTARY_SHARE,
    DemoContext,
)
from tandem.people.models import (
    ChangeKind,
    ExitType,
    JobChange,
    Level,
    OrgUnit,
    Person,
)
from tandem.programs.models import (
    CostCategory,
    CostLine,
    Enrollment,
    EnrollmentStatus,
    Program,
)
from tandem.succession.models import CriticalRole, Opening, Successor

ACCELERATOR = "Emerging Leaders Accelerator"
MENTORING_CIRCLE = "Emerging Leaders Mentoring Circle"
MID_MANAGERS = "Mid-Level Managers: Leading Teams"
NO_EFFECT = MID_MANAGERS

CLOSED_PULSES = 8
PULSE_EVERY_MONTHS = 3
OPEN_DAYS = 14
OPEN_PULSE_DAYS_AGO = 3
OPEN_PULSE_ANSWERED = 0.45
BATCH = 2000

# The score model, in engagement-index points (0-100).
ORG_LEVEL = 66.0
DRIFT_STEP = (0.3, 1.0)  # mean and spread of the organization's move per pulse
TEAM_SPREAD = 3.0
PERSON_SPREAD = 5.0
RESPONSE_SPREAD = 6.0
EFFECT = (8.0, 1.5)  # mean and spread of an effective participant's team's rise
EFFECT_RAMP_DAYS = 90  # the rise builds up over the first three months
# eNPS answer (0-10) from the same latent engagement, plus a lean of each person's
# own (people answer consistently) and a little noise: calibrated so that +5 index
# points move the eNPS by about +10.
ENPS_CENTRE, ENPS_SLOPE, ENPS_PERSON_SPREAD, ENPS_SPREAD = 7.9, 16.0, 1.5, 0.9
ITEM_SPREAD = 0.55
# Index items: some statements get more agreement than others.
ITEM_OFFSETS = (0.15, 0.05, -0.1, -0.05, -0.15)
# The manager-habit items (not in the index): the same latent engagement, a little
# below the index items, lifted for coached managers' teams and for those whose
# manager held most (HABIT_REGULAR_SHARE) of their planned 1:1s.
HABIT_SEED = "insights-demo-habits"
HABIT_OFFSET = -0.3
HABIT_COACHED_LIFT = 0.5
HABIT_REGULAR_LIFT = 0.4
HABIT_REGULAR_SHARE = 0.8
RESPONSE_RATE = (0.88, 0.99)  # a team's propensity to answer, drawn once per team
RESPONSE_RATE_WOBBLE = 0.02  # per pulse

# Retention and promotion.
EFFECTIVE_EXIT_FACTOR = 0.4  # effective programs' participants leave at this x the base
REFILL_DAYS = (14, 45)  # a leaver's position is filled again this many days later
PROMOTIONS = {ACCELERATOR: 2, MENTORING_CIRCLE: 2}
PROMOTION_TO = {
    Level.INDIVIDUAL_CONTRIBUTOR.value: Level.EMERGING.value,
    Level.EMERGING.value: Level.MID.value,
    Level.MID.value: Level.SENIOR.value,
}

SALARY_BANDS = {
    Level.INDIVIDUAL_CONTRIBUTOR.value: Decimal("52000"),
    Level.EMERGING.value: Decimal("68000"),
    Level.MID.value: Decimal("88000"),
    Level.SENIOR.value: Decimal("135000"),
}
LOADED_HOURLY_COST = Decimal("85")
REPLACEMENT_COST_PERCENT = Decimal("50")
BENEFIT_MONTHS = 12

# (description, value, attribution %, confidence %, estimator, basis)
BENEFITS: dict[str, tuple[tuple[str, int, int, int, str, str], ...]] = {
    ACCELERATOR: (
        (
            "Faster ramp-up of new team members",
            120_000,
            40,
            70,
            "Head of Engineering",
            "New hires in participants' teams reached full productivity about three "
            "weeks sooner; 3 weeks x 32 hires x loaded weekly cost.",
        ),
        (
            "Fewer escalations to department heads",
            36_000,
            50,
            60,
            "Chief Operating Officer",
            "About 6 hours a month saved per department head, from the escalation log.",
        ),
    ),
    MENTORING_CIRCLE: (
        (
            "Internal moves instead of external hires",
            90_000,
            30,
            60,
            "Talent Acquisition Manager",
            "Recruiting fees avoided on roles filled by mentees, from the hiring records.",
        ),
    ),
    MID_MANAGERS: (
        (
            "Time saved in cross-team priority conflicts",
            60_000,
            50,
            50,
            "Program owner",
            "Managers' own estimate of hours saved a month, from the closing survey.",
        ),
        (
            "Lower overtime in participants' teams",
            45_000,
            25,
            40,
            "Finance Manager",
            "Overtime hours of the twelve teams against the year before.",
        ),
    ),
}
INTANGIBLES: dict[str, tuple[tuple[str, str], ...]] = {
    ACCELERATOR: (
        ("Team leads give feedback the same week", "Check-in notes and reinforcement bursts"),
        ("A shared language for development conversations", "Participants' reflections"),
    ),
    MENTORING_CIRCLE: (
        ("Mentees know people across departments", "Introductions logged by mentors"),
        ("Mentors report renewed energy in their own roles", "Closing survey comments"),
    ),
    MID_MANAGERS: (
        ("Managers raise conflicts earlier", "Coaches' summaries, without session notes"),
        ("One-on-ones end with written next steps", "Check-in records"),
    ),
}
# The mentoring circle has no cost lines of its own in the programs demo.
MENTORING_COSTS = (
    (CostCategory.MENTORING, "Mentor preparation workshop and matching", 6_000),
    (CostCategory.MENTORING, "Mentors' time in meetings, at loaded cost", 24_000),
    (CostCategory.FACILITATION, "Kick-off and closing circles", 4_500),
    (CostCategory.PLATFORM_ADMIN, "Program administration", 3_000),
)


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC)


def _voluntary_hazard(level: str) -> float:
    """The people demo's yearly chance of leaving voluntarily at `level`."""
    return EXIT_HAZARD.get(level, 0.12) * VOLUNTARY_SHARE


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


@dataclass
class _Program:
    program: Program
    participants: list[Person]  # every enrollment's person, by employee id

    @property
    def start(self) -> datetime.date:
        return self.program.start_date

    @property
    def effective(self) -> bool:
        return self.program.name != NO_EFFECT


def load_insights(context: DemoContext) -> str:
    """Write the pulses, the outcomes and the ROI inputs (see the module docstring)."""
    # One generator per part, drawn in a fixed order: a part that draws more or less
    # (a second run) does not shift the others.
    seeds = [context.rng.random() for _ in range(4)]
    exits_rng, promotions_rng, pulses_rng, open_rng = (random.Random(seed) for seed in seeds)
    programs = _programs()
    spared = _spared()
    histories = _histories(programs)
    exits = _exits(programs, spared, histories, exits_rng, context.as_of)
    programs = _programs()  # as the exits left them
    promotions = _promotions(programs, spared, histories, promotions_rng, context.as_of)
    # Coached managers hold more regular 1:1s and give more feedback (the
    # conversations demo cannot know who is coached); their own generator, so the
    # draws above and below stay what they were.
    conversations_demo.favour(
        habits.coached_ids(), context.as_of, random.Random(f"{context.seed}:habits")
    )
    closed, open_, invited, answered = _pulses(programs, pulses_rng, open_rng, context.as_of)
    _roi_inputs(programs)
    rate = 100 * answered / invited if invited else 0
    no_effect = next((p.program.name for p in programs if not p.effective), "none")
    return (
        f"Impact: {closed} closed engagement pulses and {open_} open ({answered} of {invited} "
        f"invitations answered, {rate:.0f} %), {exits} voluntary exits and {promotions} "
        f"promotions of participants, ROI inputs for {len(programs)} programs; "
        f"no effect by design: {no_effect}."
    )


def _programs() -> list[_Program]:
    found = []
    for program in Program.objects.filter(
        name__in=[ACCELERATOR, MENTORING_CIRCLE, MID_MANAGERS]
    ).order_by("name"):
        people = (
            Person.objects.filter(
                pk__in=Enrollment.objects.filter(program=program).values("person_id")
            )
            .select_related("org_unit")
            .order_by("employee_id")
        )
        found.append(_Program(program, list(people)))
    return found


def _spared() -> set[int]:
    """People whose exit or promotion would contradict what other demos show: demo
    logins, coachees and sponsors, mentors, mentees in an open pair, critical-role
    incumbents, successors and people who filled an opening."""
    ids: set[int] = set(Person.objects.filter(user__isnull=False).values_list("pk", flat=True))
    ids.update(Engagement.objects.values_list("coachee_id", flat=True))
    ids.update(Engagement.objects.exclude(sponsor=None).values_list("sponsor_id", flat=True))
    ids.update(Mentor.objects.values_list("person_id", flat=True))
    for mentee, mentor in Relationship.objects.filter(
        status__in=OPEN_RELATIONSHIP_STATUSES
    ).values_list("mentee_id", "mentor_id"):
        ids.update((mentee, mentor))
    ids.update(CriticalRole.objects.exclude(incumbent=None).values_list("incumbent_id", flat=True))
    ids.update(Successor.objects.values_list("person_id", flat=True))
    ids.update(Opening.objects.exclude(filled_by=None).values_list("filled_by_id", flat=True))
    return ids


def _between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, max(0, (last - first).days)))


# --- exits and promotions --------------------------------------------------------------


def _histories(programs: Sequence[_Program]) -> dict[int, list[JobChange]]:
    """The participants' job histories, oldest first."""
    histories: dict[int, list[JobChange]] = defaultdict(list)
    ids = [p.pk for entry in programs for p in entry.participants]
    for change in JobChange.objects.filter(person_id__in=ids).order_by("effective_date", "pk"):
        histories[change.person_id].append(change)
    return histories


def _exits(
    programs: Sequence[_Program],
    spared: set[int],
    histories: dict[int, list[JobChange]],
    rng: random.Random,
    as_of: datetime.date,
) -> int:
    """Voluntary exits of participants since their program started: as many as the base
    rate gives over the time since the start (x EFFECTIVE_EXIT_FACTOR for effective
    programs), rounded. The people demo chose participants among people still there,
    so without these every program would seem to keep people. Each leaver's position
    is filled again by a new hire a few weeks later (the headcount on the demo date
    stays the demo's size), who takes over the leaver's reports."""
    leavers: list[tuple[Person, datetime.date, _Refill]] = []
    for entry in programs:
        years = max(0, (as_of - entry.start).days) / 365
        factor = EFFECTIVE_EXIT_FACTOR if entry.effective else 1.0
        expected = sum(
            1
            - (1 - _voluntary_hazard(_level_on(p, entry.start, histories[p.pk])) * factor) ** years
            for p in entry.participants
        )
        first = entry.start + datetime.timedelta(days=21)
        last = as_of - datetime.timedelta(days=REFILL_DAYS[1] + 7)
        # A participant with an exit left during the program: the demo wrote it
        # (participants are chosen among people still there on the demo date).
        eligible = [
            p
            for p in entry.participants
            if p.pk not in spared
            and (p.exit_date is None or p.exit_date > entry.start)
            and max(first, p.hire_date + datetime.timedelta(days=30)) <= last
        ]
        count = min(len(eligible), math.floor(expected + 0.5))
        for person in rng.sample(eligible, count):
            # Every draw is made whether or not the exit is new, so that a second run
            # draws the same values for everything after it.
            left_on = _between(
                rng, max(first, person.hire_date + datetime.timedelta(days=30)), last
            )
            refill = _Refill(
                rng.choice(FIRST_NAMES),
                rng.choice(LAST_NAMES),
                left_on + datetime.timedelta(days=rng.randint(*REFILL_DAYS)),
            )
            if person.exit_date is None and all(p.pk != person.pk for p, _, _ in leavers):
                leavers.append((person, left_on, refill))
    for person, left_on, refill in leavers:
        _leave(person, left_on, refill)
    return len(leavers)


@dataclass(frozen=True)
class _Refill:
    """Who fills a leaver's position, and from when."""

    first_name: str
    last_name: str
    hired: datetime.date


def _leave(person: Person, left_on: datetime.date, refill: _Refill) -> None:
    Person.objects.filter(pk=person.pk).update(exit_date=left_on, exit_type=ExitType.VOLUNTARY)
    JobChange.objects.create(
        person=person,
        kind=ChangeKind.EXIT,
        effective_date=left_on,
        title=person.title,
        level=person.level,
        org_unit_id=person.org_unit_id,
        exit_type=ExitType.VOLUNTARY,
    )
    # Invited enrollments stay invited: they never started.
    Enrollment.objects.filter(person=person, status=EnrollmentStatus.ACTIVE).update(
        status=EnrollmentStatus.WITHDRAWN, status_changed_at=_at(left_on)
    )
    newest = Person.objects.filter(employee_id__regex=r"^T[0-9]+$").aggregate(
        newest=Max("employee_id")
    )["newest"]
    local = f"{_email_part(refill.first_name)}.{_email_part(refill.last_name)}"
    email, number = f"{local}@{EMAIL_DOMAIN}", 1
    while Person.objects.filter(email=email).exists():
        number += 1
        email = f"{local}{number}@{EMAIL_DOMAIN}"
    successor = Person.objects.create(
        employee_id=f"T{int(newest[1:]) + 1 if newest else 1:06d}",
        first_name=refill.first_name,
        last_name=refill.last_name,
        email=email,
        title=person.title,
        level=person.level,
        manager_id=person.manager_id,
        org_unit_id=person.org_unit_id,
        location=person.location,
        hire_date=refill.hired,
    )
    JobChange.objects.create(
        person=successor,
        kind=ChangeKind.HIRE,
        effective_date=refill.hired,
        title=successor.title,
        level=successor.level,
        org_unit_id=successor.org_unit_id,
    )
    for report in Person.objects.filter(manager=person):
        report.manager = successor
        report.save()  # keeps the reporting lines in step


def _email_part(name: str) -> str:
    """Like the people demo's emails: first.last in lower-case ASCII letters and digits."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(ch for ch in ascii_name.lower() if ch.isalnum())


def _level_on(person: Person, day: datetime.date, history: Sequence[JobChange]) -> str:
    """The person's level on `day`, from their job history (the current one without)."""
    levels = [c.level for c in history if c.effective_date <= day and c.level]
    return levels[-1] if levels else person.level


def _titles_by_department() -> dict[tuple[str, str], str]:
    """The most common title of each level in each department (the root of the unit's
    path), for a promoted person's new title."""
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for level, path, title in Person.objects.active().values_list(
        "level", "org_unit__path", "title"
    ):
        if path and title:
            counts[(path.split("/")[0], level)][title] += 1
    return {key: max(titles, key=lambda t: (titles[t], t)) for key, titles in counts.items()}


def _promotions(
    programs: Sequence[_Program],
    spared: set[int],
    histories: dict[int, list[JobChange]],
    rng: random.Random,
    as_of: datetime.date,
) -> int:
    """A few participants of the effective programs promoted after the start (none of
    the no-effect program's). Chosen among those at the promoting level on the start
    day, so a second run picks the same people and finds them promoted already."""
    titles = _titles_by_department()
    done: set[int] = set()
    written = 0
    for entry in programs:
        wanted = PROMOTIONS.get(entry.program.name, 0) if entry.effective else 0
        eligible = [
            p
            for p in entry.participants
            if p.pk not in spared
            and _level_on(p, entry.start, histories[p.pk]) in PROMOTION_TO
            and (p.exit_date is None or p.exit_date > as_of)
        ]
        for person in rng.sample(eligible, min(wanted, len(eligible))):
            on = _between(
                rng,
                entry.start + datetime.timedelta(days=45),
                as_of - datetime.timedelta(days=10),
            )
            before = _level_on(person, entry.start, histories[person.pk])
            if person.level != before or person.pk in done:
                continue  # promoted by an earlier run
            done.add(person.pk)
            level = PROMOTION_TO[before]
            path = person.org_unit.path if person.org_unit else ""
            title = titles.get((path.split("/")[0], level), person.title)
            JobChange.objects.create(
                person=person,
                kind=ChangeKind.PROMOTION,
                effective_date=on,
                title=title,
                level=level,
                previous_title=person.title,
                previous_level=before,
                org_unit_id=person.org_unit_id,
            )
            Person.objects.filter(pk=person.pk).update(level=level, title=title)
            written += 1
    return written


# --- pulses --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Respondent:
    pk: int
    level: str
    unit: int | None
    lead: int | None
    hired: datetime.date
    left: datetime.date | None

    def active_on(self, day: datetime.date) -> bool:
        return self.hired <= day and (self.left is None or self.left > day)


def pulse_dates(as_of: datetime.date) -> list[datetime.date]:
    """The opening days of the closed pulses, oldest first: the first of a month every
    three months, the last one closed before `as_of`."""
    last = as_of.replace(day=1)
    while last + datetime.timedelta(days=OPEN_DAYS) >= as_of:
        last = pulses.add_months(last, -1)
    return [
        pulses.add_months(last, -PULSE_EVERY_MONTHS * back)
        for back in range(CLOSED_PULSES - 1, -1, -1)
    ]


class _Scores:
    """The score model (see the module docstring): latent engagement per response,
    turned into index answers and an eNPS answer."""

    def __init__(
        self,
        rng: random.Random,
        people: Sequence[_Respondent],
        programs: Sequence[_Program],
        days: Sequence[datetime.date],
    ) -> None:
        leads = sorted({p.lead for p in people if p.lead is not None})
        self.team = {lead: rng.gauss(0, TEAM_SPREAD) for lead in leads}
        self.rate = {lead: rng.uniform(*RESPONSE_RATE) for lead in leads}
        self.person = {p.pk: rng.gauss(0, PERSON_SPREAD) for p in people}
        self.lean = {p.pk: rng.gauss(0, ENPS_PERSON_SPREAD) for p in people}
        drift, level = {}, 0.0
        for day in days:
            drift[day] = level
            level += rng.gauss(*DRIFT_STEP)
        self.drift = drift
        # The manager-habit items (outside the index): a lift per team lead, set by
        # `_habit_lifts`, drawn from their own generator so the index answers stay
        # exactly what they were before the habit items came.
        self.habits: dict[int, float] = {}
        self.habit_rng = random.Random(HABIT_SEED)
        # Each effective participant's own effect on the team they lead.
        self.effects: dict[int, list[tuple[datetime.date, float]]] = defaultdict(list)
        for entry in programs:
            if entry.effective:
                for person in entry.participants:
                    self.effects[person.pk].append((entry.start, rng.gauss(*EFFECT)))

    def effect(self, lead: int | None, day: datetime.date) -> float:
        if lead is None:
            return 0.0
        # A lead in two effective programs does not rise twice.
        return max(
            (
                size * min(1.0, max(0.0, (day - start).days / EFFECT_RAMP_DAYS))
                for start, size in self.effects.get(lead, ())
            ),
            default=0.0,
        )

    def answer_rate(self, lead: int | None) -> float:
        return self.rate[lead] if lead is not None else sum(RESPONSE_RATE) / 2

    def answers(
        self, person: _Respondent, day: datetime.date, rng: random.Random
    ) -> tuple[dict[str, int], int]:
        latent = (
            ORG_LEVEL
            + self.drift.get(day, 0.0)
            + (self.team[person.lead] if person.lead is not None else 0.0)
            + self.person[person.pk]
            + self.effect(person.lead, day)
            + rng.gauss(0, RESPONSE_SPREAD)
        )
        low, high = pulse_items.AGREEMENT
        items = {
            item.key: _clamp(
                low + (high - low) * latent / 100 + offset + rng.gauss(0, ITEM_SPREAD), low, high
            )
            for item, offset in zip(pulse_items.index_items(), _offsets(), strict=False)
        }
        lift = self.habits.get(person.lead, 0.0) if person.lead is not None else 0.0
        for item in pulse_items.habit_items():
            items[item.key] = _clamp(
                low
                + (high - low) * latent / 100
                + lift
                + self.habit_rng.gauss(HABIT_OFFSET, ITEM_SPREAD),
                low,
                high,
            )
        enps = _clamp(
            ENPS_CENTRE
            + (latent - ORG_LEVEL) / ENPS_SLOPE
            + self.lean[person.pk]
            + rng.gauss(0, ENPS_SPREAD),
            0,
            10,
        )
        return items, enps


def _offsets() -> Iterable[float]:
    """An offset per index item; items added later by other apps get none."""
    yield from ITEM_OFFSETS
    while True:
        yield 0.0


def _respondents() -> list[_Respondent]:
    return [
        _Respondent(pk, level, unit, lead, hired, left)
        for pk, level, unit, lead, hired, left in Person.objects.order_by("pk").values_list(
            "pk", "level", "org_unit_id", "manager_id", "hire_date", "exit_date"
        )
    ]


def _pulses(
    programs: Sequence[_Program],
    rng: random.Random,
    open_rng: random.Random,
    as_of: datetime.date,
) -> tuple[int, int, int, int]:
    """The closed pulses and the open one; returns the number of closed and open
    pulses, and the invitations and answers of the closed ones."""
    Pulse.objects.filter(name__in=_demo_pulse_names(as_of)).delete()  # a second run
    PulseSettings.current()
    admin = get_user_model().objects.filter(username="admin").first()
    people = _respondents()
    days = pulse_dates(as_of)
    scores = _Scores(rng, people, programs, days)
    scores.habits = _habit_lifts(as_of)
    invited = answered = 0
    for day in days:
        pulse = Pulse.objects.create(
            name=pulses.next_pulse_name(day, PULSE_EVERY_MONTHS),
            opens_on=day,
            closes_on=day + datetime.timedelta(days=OPEN_DAYS),
            status=PulseStatus.OPEN,
            created_by=admin,
            created_at=_at(day),
        )
        asked = [p for p in people if p.active_on(day)]
        wobble = rng.gauss(0, RESPONSE_RATE_WOBBLE)
        responded = [rng.random() < scores.answer_rate(p.lead) + wobble for p in asked]
        _write(pulse, asked, responded, scores, day, rng)
        pulses.pulse_close(pulse=pulse, closed_by=admin)
        invited += len(asked)
        answered += sum(responded)
    opened = _open_pulse(people, scores, open_rng, as_of, admin)
    return len(days), int(opened is not None), invited, answered


def _habit_lifts(as_of: datetime.date) -> dict[int, float]:
    """The habit items' lift per team lead, in agreement points: coached managers and
    those who held most of their planned 1:1s over the last 90 days score higher."""
    coached = habits.coached_ids()
    leads = sorted(set(Person.objects.exclude(manager=None).values_list("manager_id", flat=True)))
    figures = habits.habits_of(leads, habits.Period.last(end=as_of))
    return {
        lead: HABIT_COACHED_LIFT * (lead in coached)
        + HABIT_REGULAR_LIFT * ((figures[lead].held_share or 0.0) >= HABIT_REGULAR_SHARE)
        for lead in leads
    }


def _demo_pulse_names(as_of: datetime.date) -> list[str]:
    names = [pulses.next_pulse_name(day, PULSE_EVERY_MONTHS) for day in pulse_dates(as_of)]
    return [*names, *Pulse.objects.filter(opens_on=_open_day(as_of)).values_list("name", flat=True)]


def _open_day(as_of: datetime.date) -> datetime.date:
    return as_of - datetime.timedelta(days=OPEN_PULSE_DAYS_AGO)


def _write(
    pulse: Pulse,
    asked: Sequence[_Respondent],
    responded: Sequence[bool],
    scores: _Scores,
    day: datetime.date,
    rng: random.Random,
) -> None:
    expires = tokens.expiry_for(pulse.closes_on)
    PulseInvitation.objects.bulk_create(
        (
            PulseInvitation(
                pulse=pulse,
                person_id=person.pk,
                token_hash=tokens.hash_token(tokens.new_token()),
                expires_at=expires,
                used=used,
            )
            for person, used in zip(asked, responded, strict=True)
        ),
        batch_size=BATCH,
    )
    rows = []
    for person, used in zip(asked, responded, strict=True):
        if not used:
            continue
        items, enps = scores.answers(person, day, rng)
        rows.append(
            PulseResponse(
                pulse=pulse,
                team_lead_id=person.lead,
                org_unit_id=person.unit,
                level=person.level,
                answers=items,
                index=pulse_items.respondent_index(items),
                enps=enps,
            )
        )
    # Important: the responses' ids must not follow the invitations' order, or the
    # n-th response would point at the n-th used link's person.
    rng.shuffle(rows)
    PulseResponse.objects.bulk_create(rows, batch_size=BATCH)
    Pulse.objects.filter(pk=pulse.pk).update(invited=len(asked))


def _open_pulse(
    people: Sequence[_Respondent],
    scores: _Scores,
    rng: random.Random,
    as_of: datetime.date,
    admin: object,
) -> Pulse | None:
    """A pulse to the largest department, open since a few days: about half have
    answered, and nothing shows until it closes."""
    day = _open_day(as_of)
    ancestry = pulses.unit_ancestry()
    sizes: Counter[int] = Counter(
        ancestry[p.unit][0] for p in people if p.active_on(day) and p.unit in ancestry
    )
    if not sizes:
        return None
    department = max(sizes, key=lambda unit: (sizes[unit], -unit))
    unit = OrgUnit.objects.get(pk=department)
    pulse = Pulse.objects.create(
        name=f"Pulse check: {unit.name} {day:%B %Y}",
        org_unit=unit,
        opens_on=day,
        closes_on=day + datetime.timedelta(days=OPEN_DAYS),
        status=PulseStatus.OPEN,
        created_by=admin,  # type: ignore[misc]
        created_at=_at(day),
    )
    subtree = set(OrgUnit.objects.subtree_ids(unit))
    asked = [p for p in people if p.active_on(day) and p.unit in subtree]
    responded = [rng.random() < OPEN_PULSE_ANSWERED for _ in asked]
    _write(pulse, asked, responded, scores, day, rng)
    return pulse


# --- ROI inputs ----------------------------------------------------------------------


def _roi_inputs(programs: Sequence[_Program]) -> None:
    for level, midpoint in SALARY_BANDS.items():
        SalaryBand.objects.update_or_create(level=level, defaults={"annual_midpoint": midpoint})
    for entry in programs:
        program = entry.program
        ImpactSettings.objects.update_or_create(
            program=program,
            defaults={
                "loaded_hourly_cost": LOADED_HOURLY_COST,
                "replacement_cost_percent": REPLACEMENT_COST_PERCENT,
                "benefit_months": BENEFIT_MONTHS,
            },
        )
        BenefitLine.objects.filter(program=program).delete()
        BenefitLine.objects.bulk_create(
            BenefitLine(
                program=program,
                description=description,
                value=Decimal(value),
                attribution_percent=Decimal(attribution),
                confidence_percent=Decimal(confidence),
                estimator=estimator,
                basis=basis,
            )
            for description, value, attribution, confidence, estimator, basis in BENEFITS.get(
                program.name, ()
            )
        )
        Intangible.objects.filter(program=program).delete()
        Intangible.objects.bulk_create(
            Intangible(program=program, description=description, evidence=evidence)
            for description, evidence in INTANGIBLES.get(program.name, ())
        )
        if program.name == MENTORING_CIRCLE and not program.cost_lines.exists():
            CostLine.objects.bulk_create(
                CostLine(
                    program=program,
                    category=category,
                    description=description,
                    amount=Decimal(amount),
                    incurred_on=program.start_date,
                )
                for category, description, amount in MENTORING_COSTS
            )


def delete_insights() -> None:
    """Before the organization is reset: pulses (their unit is protected) with their
    links and responses, and the ROI inputs."""
    Pulse.objects.all().delete()
    Intangible.objects.all().delete()
    BenefitLine.objects.all().delete()
    ImpactSettings.objects.all().delete()
    SalaryBand.objects.all().delete()
