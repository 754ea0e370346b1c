"""A program's impact report: everything the impact page, its PDF, the exports and the
API show, built once by `program_impact` (one function, so they all agree).

Every figure about people is a `stats.Estimate` (n, value, interval, or "not enough
data" under the minimum group), and nothing in it names a person: executive viewers
read the same report as admins.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone

from tandem.insights import metrics, pulses
from tandem.insights.models import ImpactSettings, Pulse
from tandem.insights.roi import ProgramRoi, program_roi
from tandem.lib import impact, stats
from tandem.lib import pipeline as pipeline_lib
from tandem.people.models import Level as PersonLevel
from tandem.programs.models import Metric, Program, SuccessCriterion
from tandem.succession import pipeline as succession_pipeline
from tandem.succession.models import Opening

INDIVIDUAL = "individual"
TEAM = "team"
ORGANIZATION = "organization"
PARTICIPANTS = "participants"
COMPARISON = "comparison"


@dataclass(frozen=True)
class Figure:
    """One outcome metric of the program (metrics.py defines each once)."""

    key: str  # e.g. "team_engagement", "competency_360_change:Coaching others"
    label: str
    scope: str  # INDIVIDUAL, TEAM or ORGANIZATION
    unit: str  # "points", "%", "days", "index (0-100)", "eNPS"
    estimate: stats.Estimate
    # The matched comparison group's figure, where the metric has one.
    comparison: stats.Estimate | None = None
    note: str = ""


@dataclass(frozen=True)
class CriterionStatus:
    """A success criterion set at launch: its actual figure against the target."""

    criterion: SuccessCriterion
    actual: stats.Estimate
    verdict: str  # impact.MET, NOT_MET, NOT_YET_CLEAR or NOT_ENOUGH_DATA
    due: bool  # the measure-by date has passed

    @property
    def higher_is_better(self) -> bool:
        return self.criterion.direction == "increase"


@dataclass(frozen=True)
class Effect:
    """The program's isolated effect on one metric: difference in differences between
    participants and the matched comparison group, before the program and after it."""

    key: str
    label: str
    unit: str
    estimate: stats.Estimate  # the DiD with its interval; sizes = the four group sizes
    treated_before: stats.Estimate
    treated_after: stats.Estimate
    comparison_before: stats.Estimate
    comparison_after: stats.Estimate
    basis: str  # what was compared, in one sentence


@dataclass(frozen=True)
class Retention:
    """Voluntary retention of participants against the comparison group."""

    curves: dict[str, impact.Curve]  # "participants", "comparison"
    hazard_ratio: stats.Estimate
    # Voluntary exits the program avoided in the benefit period (participants x the
    # difference in the share leaving, only when the hazard ratio's whole interval is
    # below 1; otherwise 0: Phillips claims no benefit that is not clear).
    exits_avoided: float
    horizon_days: int


@dataclass(frozen=True)
class Level:
    """One level of the Kirkpatrick/Phillips chain and the evidence behind it."""

    number: int  # 1 reaction, 2 learning, 3 application, 4 impact, 5 ROI
    title: str
    figures: list[Figure]
    summary: str  # one sentence: what the evidence says, or what is missing


@dataclass
class ProgramImpact:
    program: Program
    on: date
    participants: int
    comparison: int  # matched non-participants
    figures: list[Figure]
    criteria: list[CriterionStatus]
    effects: list[Effect]
    retention: Retention
    roi: ProgramRoi | None  # None without costs
    levels: list[Level] = field(default_factory=list)
    # Engagement of participants' teams and of the comparison teams, pulse by pulse.
    trend_labels: list[str] = field(default_factory=list)
    trend: dict[str, list[stats.Estimate]] = field(default_factory=dict)


def _estimate_of(figure: dict[str, Any] | None) -> stats.Estimate:
    return pipeline_lib.estimate_of(figure) if figure else stats.Estimate.insufficient(0)


def _effect(
    key: str,
    label: str,
    unit: str,
    value: Callable[[pulses.TeamFigure], float],
    shown: dict[int, dict[int, pulses.TeamFigure]],
    periods: tuple[list[Pulse], list[Pulse]],
    pop: metrics.Population,
    basis: str,
) -> Effect:
    """Difference in differences over the teams shown in both periods, paired by team:
    each team is its own baseline, so what differs between teams (and the people in
    them, who mostly answer both times) drops out of the comparison."""
    before = metrics.period_means(shown, periods[0], value)
    after = metrics.period_means(shown, periods[1], value)
    groups: list[list[float]] = []
    for leads in (pop.participants, pop.comparison):
        both = [lead for lead in leads if lead in before and lead in after]
        groups += [[before[lead] for lead in both], [after[lead] for lead in both]]
    treated_before, treated_after, untreated_before, untreated_after = (
        metrics.over_teams(values) for values in groups
    )
    return Effect(
        key,
        label,
        unit,
        impact.difference_in_differences(*groups, paired=True, minimum=metrics.MINIMUM_TEAMS),
        treated_before,
        treated_after,
        untreated_before,
        untreated_after,
        basis,
    )


def _names(period: list[Pulse]) -> str:
    if not period:
        return "no pulse"
    return period[0].name if len(period) == 1 else f"{period[0].name} to {period[-1].name}"


def _retention(pop: metrics.Population, months: int) -> Retention:
    treated = metrics.stays(pop, pop.participants)
    comparison = metrics.stays(pop, pop.comparison)
    curves = impact.retention_curves({PARTICIPANTS: treated, COMPARISON: comparison})
    ratio = impact.hazard_ratio(treated, comparison)
    horizon = round(months * 365.25 / 12)
    exits_avoided = 0.0
    if ratio.enough and ratio.high is not None and ratio.high < 1:
        # Conservative: the difference in the share gone at the horizon (or the last
        # day both curves reach), only when the hazard ratio is clearly below 1.
        last = min(curves[PARTICIPANTS].timeline[-1], curves[COMPARISON].timeline[-1])
        day = min(horizon, last)
        kept = impact.survival_at(curves[PARTICIPANTS], day)
        kept_without = impact.survival_at(curves[COMPARISON], day)
        if kept is not None and kept_without is not None:
            exits_avoided = max(0.0, (kept - kept_without) * len(treated))
    return Retention(curves, ratio, exits_avoided, horizon)


def _criterion_actual(
    criterion: SuccessCriterion,
    found: dict[str, stats.Estimate],
    changes: dict[str, list[metrics.CompetencyChange]],
) -> stats.Estimate:
    metric = criterion.metric
    competency = criterion.competency.name if criterion.competency else None
    if metric in (Metric.COMPETENCY_360_CHANGE, Metric.SELF_ASSESSMENT_CHANGE):
        rows = changes[metric]
        if competency is not None:
            chosen = [c for c in rows if c.competency.casefold() == competency.casefold()]
            return chosen[0].estimate if chosen else stats.Estimate.insufficient(0)
        return rows[0].estimate if len(rows) == 1 else stats.Estimate.insufficient(0)
    return found.get(metric, stats.Estimate.insufficient(0))


def organization_figures() -> list[Figure]:
    """The organization's figures beside every program (from succession): internal
    promotion rate, days to fill leadership openings and senior ones, bench strength."""
    found = succession_pipeline.estimates(succession_pipeline.current_figures())
    missing = stats.Estimate.insufficient(0)
    senior = pipeline_lib.time_to_fill(
        succession_pipeline.opening_facts(Opening.objects.filter(level=PersonLevel.SENIOR))
    ).mean
    if senior.n < impact.MINIMUM_GROUP:
        senior = stats.Estimate.insufficient(senior.n)
    whole = "Whole organization (succession)."
    return [
        Figure(
            "internal_promotion_rate",
            "Internal promotion rate (leadership openings filled from inside)",
            ORGANIZATION,
            "%",
            metrics.percent(found.get("internal_fill_rate", missing)),
            note=whole,
        ),
        Figure(
            "time_to_fill",
            "Mean days to fill a leadership opening",
            ORGANIZATION,
            "days",
            found.get("mean_days_to_fill", missing),
            note=whole,
        ),
        Figure(
            "time_to_fill_senior",
            "Mean days to fill a senior role",
            ORGANIZATION,
            "days",
            senior,
            note=whole,
        ),
        Figure(
            "succession_readiness",
            "Bench strength (critical roles with a ready-now successor)",
            ORGANIZATION,
            "%",
            metrics.percent(found.get("bench_strength", missing)),
            note=whole,
        ),
    ]


def program_impact(
    program: Program,
    on: date | None = None,
    *,
    organization: list[Figure] | None = None,
) -> ProgramImpact:
    """Everything the impact report shows for `program`, as of `on` (today).

    `organization` (organization_figures()) may be passed in when reporting on several
    programs at once, to work it out once."""
    on = on or timezone.localdate()
    pop = metrics.population(program, on)
    if organization is None:
        organization = organization_figures()
    settings = ImpactSettings.of(program)

    # Teams: engagement before and after, participants' teams against comparison teams.
    closed = metrics.closed_pulses(on)
    periods = metrics.before_and_after_pulses(pop, closed)
    shown = pulses.team_figures_by_pulse(closed, pop.participants + pop.comparison)
    nothing: dict[int, Any] = {}
    in_after = shown.get(periods[1][-1].pk, nothing) if periods[1] else nothing
    treated_after = metrics.team_scores(in_after, pop.participants)
    comparison_after = metrics.team_scores(in_after, pop.comparison)
    basis = (
        f"Teams led by participants against teams led by the matched comparison group, "
        f"each team's mean over {_names(periods[0])} (before the start) and over "
        f"{_names(periods[1])} (after it); teams shown in both periods, paired."
    )
    effects = [
        _effect(
            "team_engagement",
            "Engagement index of their teams",
            "points",
            lambda team: team.index_mean,
            shown,
            periods,
            pop,
            basis,
        ),
        _effect(
            "team_enps",
            "eNPS of their teams",
            "points",
            lambda team: team.enps_value,
            shown,
            periods,
            pop,
            basis,
        ),
    ]
    trend: dict[str, list[stats.Estimate]] = {PARTICIPANTS: [], COMPARISON: []}
    for pulse in closed:
        trend[PARTICIPANTS].append(
            metrics.team_engagement(metrics.team_scores(shown[pulse.pk], pop.participants))
        )
        trend[COMPARISON].append(
            metrics.team_engagement(metrics.team_scores(shown[pulse.pk], pop.comparison))
        )

    retention = _retention(pop, settings.benefit_months)
    changes: dict[str, list[metrics.CompetencyChange]] = {
        Metric.COMPETENCY_360_CHANGE: metrics.competency_360_change(pop),
        Metric.SELF_ASSESSMENT_CHANGE: metrics.self_assessment_change(pop),
    }
    observed = metrics.direct_report_change(pop)
    figures = [
        *(
            Figure(
                f"competency_360_change:{c.competency}",
                f"360 change: {c.competency}",
                INDIVIDUAL,
                "points",
                c.estimate,
            )
            for c in changes[Metric.COMPETENCY_360_CHANGE]
        ),
        *(
            Figure(
                f"self_assessment_change:{c.competency}",
                f"Self-assessment change: {c.competency}",
                INDIVIDUAL,
                "points",
                c.estimate,
            )
            for c in changes[Metric.SELF_ASSESSMENT_CHANGE]
        ),
        *(
            Figure(
                f"direct_report_change:{c.competency}",
                f"Change their direct reports observed: {c.competency}",
                INDIVIDUAL,
                "points",
                c.estimate,
            )
            for c in observed
        ),
        Figure(
            "goal_completion_rate",
            "Goal completion rate",
            INDIVIDUAL,
            "%",
            metrics.goal_completion_rate(pop),
        ),
        Figure(
            "team_engagement",
            "Engagement index of their teams (latest pulse)",
            TEAM,
            "index (0-100)",
            metrics.team_engagement(treated_after),
            metrics.team_engagement(comparison_after),
        ),
        Figure(
            "team_enps",
            "eNPS of their teams (latest pulse)",
            TEAM,
            "eNPS",
            metrics.team_enps(treated_after),
            metrics.team_enps(comparison_after),
        ),
        Figure(
            "team_voluntary_turnover",
            "Voluntary turnover of their teams (12 months)",
            TEAM,
            "%",
            metrics.team_voluntary_turnover(pop, pop.participants),
            metrics.team_voluntary_turnover(pop, pop.comparison),
        ),
        Figure(
            "participant_retention",
            "Participants still here (no voluntary exit)",
            ORGANIZATION,
            "%",
            metrics.retained(pop, pop.participants),
            metrics.retained(pop, pop.comparison),
        ),
        Figure(
            "participants_promoted",
            "Participants promoted since the start",
            ORGANIZATION,
            "%",
            metrics.promoted(pop, pop.participants),
            metrics.promoted(pop, pop.comparison),
        ),
        *organization,
        Figure(
            "coaching_session_rating",
            "Rating of coaching sessions (1-5)",
            INDIVIDUAL,
            "rating",
            metrics.coaching_session_rating(pop),
        ),
    ]
    by_key = {figure.key: figure.estimate for figure in figures}
    criteria = []
    for criterion in program.criteria.select_related("competency"):
        actual = _criterion_actual(criterion, by_key, changes)
        criteria.append(
            CriterionStatus(
                criterion,
                actual,
                impact.success_verdict(
                    actual,
                    float(criterion.target),
                    higher_is_better=criterion.direction == "increase",
                ),
                due=criterion.measure_by <= on,
            )
        )
    roi = program_roi(program, exits_avoided=retention.exits_avoided)
    result = ProgramImpact(
        program=program,
        on=on,
        participants=len(pop.participants),
        comparison=len(pop.comparison),
        figures=figures,
        criteria=criteria,
        effects=effects,
        retention=retention,
        roi=roi,
        trend_labels=[pulse.name for pulse in closed],
        trend=trend,
    )
    result.levels = kirkpatrick_levels(result)
    return result


def kirkpatrick_levels(report: ProgramImpact) -> list[Level]:
    """Levels 1-5 of Kirkpatrick and Phillips with the figures behind each."""
    by_key = {figure.key: figure for figure in report.figures}

    def pick(*prefixes: str) -> list[Figure]:
        return [f for f in report.figures if f.key.startswith(prefixes)]

    def said(figures: list[Figure], missing: str) -> str:
        shown = [f for f in figures if f.estimate.enough]
        if not shown:
            return missing
        return f"{len(shown)} of {len(figures)} figures have enough data."

    reaction = pick("coaching_session_rating")
    learning = pick("competency_360_change", "self_assessment_change")
    application = pick("goal_completion_rate", "direct_report_change")
    results = [
        by_key[k]
        for k in (
            "team_engagement",
            "team_enps",
            "team_voluntary_turnover",
            "participant_retention",
            "participants_promoted",
        )
    ]
    levels = [
        Level(1, "Reaction", reaction, said(reaction, "No ratings yet.")),
        Level(2, "Learning", learning, said(learning, "No before-and-after assessments yet.")),
        Level(3, "Application", application, said(application, "No goals or follow-up 360s yet.")),
    ]
    effect = next(e for e in report.effects if e.key == "team_engagement")
    ratio = report.retention.hazard_ratio
    level4 = said(results, "No outcome data yet.")
    if effect.estimate.enough:
        level4 += f" Isolated effect on team engagement: {effect.estimate.format(signed=True)}."
    if ratio.enough:
        level4 += f" Hazard ratio of leaving: {ratio.format(2)}."
    levels.append(Level(4, "Impact", results, level4))
    roi_value = report.roi
    if roi_value is None:
        levels.append(Level(5, "ROI", [], "No costs entered: no ROI."))
    else:
        levels.append(Level(5, "ROI", [], _roi_sentence(roi_value)))
    return levels


def _roi_sentence(roi_value: ProgramRoi) -> str:
    result = roi_value.result
    return (
        f"BCR {result.bcr:.2f}, ROI {result.roi_percent:.0f} %, over "
        f"{result.months} months of benefits."
    )
