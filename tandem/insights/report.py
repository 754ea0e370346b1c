"""A program's impact report: everything the impact page, its PDF, the exports and the
API show, built once by `program_impact` (one function, so they all agree).

Every figure about people is a `stats.Estimate` (n, value, interval, or "not enough
data" under the minimum group), and nothing in it names a person: executive viewers
read the same report as admins.
"""

from dataclasses import dataclass, field
from datetime import date

from tandem.lib import impact, stats
from tandem.programs.models import Program, SuccessCriterion

INDIVIDUAL = "individual"
TEAM = "team"
ORGANIZATION = "organization"


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
    roi: "object | None"  # insights.roi.ProgramRoi; None without costs
    levels: list[Level] = field(default_factory=list)
    # Engagement of participants' teams and of the comparison teams, pulse by pulse.
    trend_labels: list[str] = field(default_factory=list)
    trend: dict[str, list[stats.Estimate]] = field(default_factory=dict)


def program_impact(program: Program, on: date | None = None) -> ProgramImpact:
    raise NotImplementedError("being written")
