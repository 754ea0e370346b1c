"""The outcome metrics of a program, each defined once here and computed from what the
other domains record. Pages, the PDF, exports, the API and the success criteria all
read them through `report.program_impact`.

Who counts:
- Participants: the program's enrollments that started (active, completed or
  withdrawn: intention to treat; invited ones never started).
- The comparison group: for each participant, a non-participant active on the
  program's start with the same level, in the same unit (else department) and the
  nearest tenure (tandem.lib.impact.matched_comparison).
- A person's team: the people whose manager they are (as the org chart stands; people
  who left keep their last manager).

Every figure is a `stats.Estimate` with its n and 95% interval; under
`impact.MINIMUM_GROUP` people it is "not enough data". Proportions are in percent.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Q

from tandem.assessments import aggregates
from tandem.assessments import report as assessment_report
from tandem.assessments.models import Review, ReviewStatus, SelfAssessment
from tandem.assessments.self_service import competency_scores
from tandem.coaching.models import Session, SessionStatus
from tandem.insights import pulses
from tandem.insights.models import Pulse
from tandem.lib import impact, stats
from tandem.people.models import ExitType, JobChange, Level, OrgUnit, Person
from tandem.programs.models import EnrollmentStatus, Goal, GoalStatus, Program

MINIMUM = impact.MINIMUM_GROUP
YEAR = 365


@dataclass(frozen=True)
class PersonFacts:
    person_id: int
    level: str
    unit: int | None
    manager: int | None
    hired: date
    left: date | None
    voluntary: bool  # left voluntarily


@dataclass
class Population:
    """The facts a program's metrics need, loaded once (one query over people)."""

    program: Program
    on: date
    people: dict[int, PersonFacts]
    participants: list[int]
    comparison: list[int]  # matched to participants, in participants' order
    teams: dict[int, list[int]] = field(default_factory=dict)  # manager -> reports

    @property
    def start(self) -> date:
        return self.program.start_date


def _department_of(units: dict[int, str]) -> dict[int, int | None]:
    """Each unit's department: its ancestor just below the root (the root's own
    children), or the unit itself when it is the root or just below it."""
    by_path = {path: pk for pk, path in units.items()}
    departments: dict[int, int | None] = {}
    for pk, path in units.items():
        parts = path.split("/")
        departments[pk] = by_path.get("/".join(parts[:2]), pk) if len(parts) > 2 else pk
    return departments


_FACTS = ("pk", "level", "org_unit_id", "manager_id", "hire_date", "exit_date", "exit_type")
CHUNK = 900  # ids per IN (...): well under every database's limit on parameters


def _facts(rows: Iterable[tuple[Any, ...]]) -> dict[int, PersonFacts]:
    return {
        pk: PersonFacts(pk, level, unit, manager, hired, left, exit_type == ExitType.VOLUNTARY)
        for pk, level, unit, manager, hired, left, exit_type in rows
    }


def levels_on(people: dict[int, PersonFacts], day: date) -> dict[int, str]:
    """Each person's level on `day`: their level now, or the level before their first
    job change after `day` (a promotion after the program started must not move them
    to another match)."""
    levels = {pk: facts.level for pk, facts in people.items()}
    changes = (
        JobChange.objects.filter(effective_date__gt=day)
        .exclude(previous_level="")
        .order_by("-effective_date", "-pk")
        .values_list("person_id", "previous_level")
    )
    for person, previous in changes.iterator(chunk_size=10_000):
        if person in levels:
            levels[person] = previous  # the earliest change after `day` is written last
    return levels


def population(program: Program, on: date) -> Population:
    """Participants, their matched comparison group and both groups' teams.

    Only the people the metrics need are loaded: participants, and as candidates the
    people active on the start at or above the participants' lowest level then (anyone
    lower then is lower now, save demotions); then the two groups' teams."""
    start = program.start_date
    started = program.enrollments.exclude(status=EnrollmentStatus.INVITED).values("person_id")
    people = _facts(Person.objects.filter(pk__in=started).values_list(*_FACTS))
    participants = sorted(people)
    at_start = levels_on(people, start)
    lowest = min((Level.rank(level) for level in at_start.values()), default=0)
    candidates = _facts(
        Person.objects.filter(
            level__in=[level for level in Level.values if Level.rank(level) >= lowest],
            hire_date__lte=start,
        )
        .filter(Q(exit_date__isnull=True) | Q(exit_date__gt=start))
        .exclude(pk__in=started)
        .values_list(*_FACTS)
    )
    candidate_levels = levels_on(candidates, start)
    departments = _department_of(dict(OrgUnit.objects.values_list("pk", "path")))

    def candidate(facts: PersonFacts, level: str) -> impact.Candidate:
        return impact.Candidate(
            facts.person_id,
            level,
            facts.unit,
            departments.get(facts.unit) if facts.unit is not None else None,
            (start - facts.hired).days,
        )

    matches = impact.matched_comparison(
        [candidate(people[pk], at_start[pk]) for pk in participants],
        [candidate(facts, candidate_levels[pk]) for pk, facts in candidates.items()],
    )
    comparison = [matches[pk] for pk in participants if pk in matches]
    people.update((pk, candidates[pk]) for pk in comparison)
    leads = participants + comparison
    teams: dict[int, list[int]] = defaultdict(list)
    for first in range(0, len(leads), CHUNK):
        members = _facts(
            Person.objects.filter(manager_id__in=leads[first : first + CHUNK]).values_list(*_FACTS)
        )
        for pk, facts in members.items():
            people.setdefault(pk, facts)
            if facts.manager is not None:
                teams[facts.manager].append(pk)
    return Population(program, on, people, participants, comparison, dict(teams))


def percent(estimate: stats.Estimate) -> stats.Estimate:
    if not estimate.enough:
        return estimate
    assert estimate.value is not None and estimate.low is not None and estimate.high is not None
    return stats.Estimate(
        estimate.n,
        estimate.value * 100,
        estimate.low * 100,
        estimate.high * 100,
        True,
        estimate.confidence,
        estimate.sizes,
    )


def share(hits: int, n: int) -> stats.Estimate:
    """A proportion in percent with its Wilson interval, from MINIMUM people."""
    if n < MINIMUM:
        return stats.Estimate.insufficient(n)
    return percent(stats.proportion_ci(hits, n))


def mean(values: Sequence[float]) -> stats.Estimate:
    return (
        stats.mean_ci(values, minimum=MINIMUM)
        if len(values) >= MINIMUM
        else (stats.Estimate.insufficient(len(values)))
    )


# --- individual --------------------------------------------------------------------------


def goal_completion_rate(pop: Population) -> stats.Estimate:
    """Goals achieved / goals set in the program's plans (carried-forward goals count
    once, in the cycle they end in; dropped goals count as not achieved); shown from
    MINIMUM participants with goals. n is the number of goals."""
    goals = Goal.objects.filter(cycle__plan__enrollment__program=pop.program).exclude(
        status=GoalStatus.CARRIED_FORWARD
    )
    rows = list(goals.values_list("cycle__plan__person_id", "status"))
    people = {person for person, _status in rows}
    if len(people) < MINIMUM:
        return stats.Estimate.insufficient(len(people))
    return percent(
        stats.proportion_ci(
            sum(1 for _p, status in rows if status == GoalStatus.ACHIEVED), len(rows)
        )
    )


def _competency_matches(name: str, key: str, wanted: str | None) -> bool:
    return wanted is None or wanted.casefold() in (name.casefold(), key.casefold())


@dataclass(frozen=True)
class CompetencyChange:
    competency: str
    estimate: stats.Estimate


def self_assessment_change(
    pop: Population, competency: str | None = None
) -> list[CompetencyChange]:
    """Per competency: the participants' mean change in their own rating, from their
    first to their latest submitted self-assessment on this program's enrollment
    (paired: each person's after minus before). With `competency`, only that one."""
    assessments = (
        SelfAssessment.objects.filter(enrollment__program=pop.program, submitted_at__isnull=False)
        .select_related("instrument")
        .order_by("person_id", "submitted_at", "pk")
    )
    by_person: dict[int, list[SelfAssessment]] = defaultdict(list)
    for assessment in assessments:
        by_person[assessment.person_id].append(assessment)
    changes: dict[str, list[float]] = defaultdict(list)
    for own in by_person.values():
        if len(own) < 2:
            continue
        before = {s.key: s.mean for s in competency_scores(own[0])}
        for score in competency_scores(own[-1]):
            earlier = before.get(score.key)
            if (
                score.mean is not None
                and earlier is not None
                and _competency_matches(score.name, score.key, competency)
            ):
                changes[score.name].append(score.mean - earlier)
    return [CompetencyChange(name, mean(values)) for name, values in sorted(changes.items())]


def _review_changes(
    pop: Population, *, direct_reports: bool, competency: str | None
) -> list[CompetencyChange]:
    reviews = list(
        Review.objects.filter(
            subject_id__in=pop.participants,
            status=ReviewStatus.CLOSED,
            previous__isnull=False,
            created_at__date__gte=pop.start,
        )
        .select_related("instrument", "previous__instrument")
        .order_by("subject_id", "-created_at")
    )
    latest: dict[int, Review] = {}
    for review in reviews:
        latest.setdefault(review.subject_id, review)
    pairs = [(review.previous, review) for review in latest.values() if review.previous]
    by_document: dict[int, list[Review]] = defaultdict(list)
    for before, after in pairs:
        if before is not None and before.instrument_id == after.instrument_id:
            by_document[after.instrument_id] += [before, after]
    scores: dict[int, dict[str, float]] = {}
    for group in by_document.values():
        document = group[0].instrument.document
        names = {c["key"]: c["name"] for c in document["competencies"]}
        for figures in aggregates.build(
            group,
            document,
            assessment_report.thresholds_of,
            direct_reports=direct_reports,
        ):
            scores[figures.review_id] = {
                names.get(c.key, c.key): summary.mean
                for c in figures.competencies
                if (summary := c.direct_reports if direct_reports else c.others) is not None
                and summary.n
                and _competency_matches(names.get(c.key, c.key), c.key, competency)
            }
    changes: dict[str, list[float]] = defaultdict(list)
    for before, after in pairs:
        if before is None:
            continue
        earlier, later = scores.get(before.pk, {}), scores.get(after.pk, {})
        for name in earlier.keys() & later.keys():
            changes[name].append(later[name] - earlier[name])
    return [CompetencyChange(name, mean(values)) for name, values in sorted(changes.items())]


def competency_360_change(pop: Population, competency: str | None = None) -> list[CompetencyChange]:
    """Per competency: the participants' mean change in what all other raters scored
    (their latest closed 360 since the program started against the one it follows up),
    paired by person. A review counts only where its "all others" figure was shown
    under the anonymity rules."""
    return _review_changes(pop, direct_reports=False, competency=competency)


def direct_report_change(pop: Population, competency: str | None = None) -> list[CompetencyChange]:
    """As competency_360_change, from the direct reports' ratings only (where that group
    was shown): the change the participant's own team observed."""
    return _review_changes(pop, direct_reports=True, competency=competency)


def coaching_session_rating(pop: Population) -> stats.Estimate:
    """Reaction: the mean rating participants gave their held coaching sessions in
    this program (1-5), from MINIMUM rating participants; n counts sessions."""
    rows = list(
        Session.objects.filter(
            engagement__plan__enrollment__program=pop.program,
            status=SessionStatus.HELD,
            rating__isnull=False,
        ).values_list("engagement__coachee_id", "rating")
    )
    if len({person for person, _rating in rows}) < MINIMUM:
        return stats.Estimate.insufficient(len(rows))
    return stats.mean_ci([float(rating) for _person, rating in rows if rating is not None])


# --- people: retention and promotion ----------------------------------------------------------


def stay(facts: PersonFacts, start: date, on: date) -> tuple[float, bool] | None:
    """(days observed from `start`, left voluntarily) for the retention curves; None
    for someone who had left before `start`."""
    if facts.left is not None and facts.left <= start:
        return None
    end = min(facts.left, on) if facts.left is not None else on
    return float(max(0, (end - start).days)), bool(
        facts.voluntary and facts.left is not None and facts.left <= on
    )


def stays(pop: Population, ids: Iterable[int]) -> list[tuple[float, bool]]:
    return [s for pk in ids if (s := stay(pop.people[pk], pop.start, pop.on)) is not None]


def retained(pop: Population, ids: Sequence[int]) -> stats.Estimate:
    """Share of the group who have not left voluntarily since the program started."""
    observed = stays(pop, ids)
    return share(sum(1 for _days, left in observed if not left), len(observed))


def promoted(pop: Population, ids: Sequence[int]) -> stats.Estimate:
    """Share of the group promoted (a promotion in the job history) since the start."""
    wanted = set(ids)
    hits = set(
        JobChange.objects.promotions()
        .filter(effective_date__gte=pop.start, effective_date__lte=pop.on)
        .values_list("person_id", flat=True)
    )
    return share(len(hits & wanted), len(wanted))


def team_voluntary_turnover(pop: Population, leads: Sequence[int]) -> stats.Estimate:
    """Voluntary exits in the last 12 months from the teams of `leads` / the people in
    those teams at the start of the window, in percent (shown from MINIMUM people)."""
    window = pop.on - timedelta(days=YEAR)
    members = [
        facts
        for lead in leads
        for pk in pop.teams.get(lead, ())
        if (facts := pop.people[pk]).hired <= window and (facts.left is None or facts.left > window)
    ]
    left = sum(
        1 for f in members if f.voluntary and f.left is not None and window < f.left <= pop.on
    )
    return share(left, len(members))


# --- teams: engagement from the pulses ---------------------------------------------------------


def closed_pulses(on: date) -> list[Pulse]:
    return list(Pulse.objects.closed().filter(closes_on__lte=on).order_by("opens_on", "pk"))


# The periods a team's engagement is averaged over, before and after the start.
PERIOD_PULSES = 4


def before_and_after_pulses(
    pop: Population, pulses_: Sequence[Pulse]
) -> tuple[list[Pulse], list[Pulse]]:
    """The pulses of the year before the program's start (up to PERIOD_PULSES closed by
    then) and those after it (up to PERIOD_PULSES opened since, the latest)."""
    before = [p for p in pulses_ if p.closes_on <= pop.start]
    after = [p for p in pulses_ if p.opens_on > pop.start]
    return before[-PERIOD_PULSES:], after[-PERIOD_PULSES:]


def period_means(
    shown: dict[int, dict[int, pulses.TeamFigure]],
    period: Sequence[Pulse],
    value: Callable[[pulses.TeamFigure], float],
) -> dict[int, float]:
    """Each team's mean of `value` over the pulses of `period` it shows in (teams that
    show in none are left out): averaging over a period keeps one pulse's noise from
    passing for an effect."""
    values: dict[int, list[float]] = defaultdict(list)
    for pulse in period:
        for lead, figure in shown.get(pulse.pk, {}).items():
            values[lead].append(value(figure))
    return {lead: sum(found) / len(found) for lead, found in values.items()}


@dataclass(frozen=True)
class TeamScores:
    """The shown teams' figures in one pulse: each team's engagement index and eNPS."""

    index: list[float]
    enps: list[float]


def team_scores(shown: dict[int, pulses.TeamFigure], leads: Iterable[int]) -> TeamScores:
    """The figures of the teams of `leads` among a pulse's shown teams."""
    figures = [shown[lead] for lead in leads if lead in shown]
    return TeamScores(
        [figure.index_mean for figure in figures], [figure.enps_value for figure in figures]
    )


# Each team shown has at least MINIMUM answers (the cells rule), so a few teams are
# already many people: the interval over teams needs at least this many teams.
MINIMUM_TEAMS = 3


def over_teams(values: Sequence[float]) -> stats.Estimate:
    if len(values) < MINIMUM_TEAMS:
        return stats.Estimate.insufficient(len(values))
    return stats.mean_ci(values, minimum=MINIMUM_TEAMS)


def team_engagement(scores: TeamScores) -> stats.Estimate:
    """Engagement of a group's teams: the mean over teams (each shown under the cells
    rule, so of MINIMUM answers or more) of the team's engagement index; n counts
    teams, from MINIMUM_TEAMS teams."""
    return over_teams(scores.index)


def team_enps(scores: TeamScores) -> stats.Estimate:
    """eNPS of a group's teams: the mean over shown teams of each team's eNPS."""
    return over_teams(scores.enps)
