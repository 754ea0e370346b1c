"""The assessments on a development plan: they feed the cycle's "assess" step and prove
its "measure" step (DESIGN.md, the development cycle).

- Assess: a cycle leaves the assess step only once the person has submitted a
  self-assessment or has a closed 360 (`assessment_done`, a stage check), so the goals
  build on results.
- The plan page and GET /api/v1/plans/{id}/assessment-summary show, for the plan's
  person: their latest self-assessment (scores per competency) and style profile; from
  their latest closed 360, the Johari reading of each competency: blind spots and agreed
  development areas as *suggested goal areas*, hidden and agreed strengths as strengths
  to build on; the shift per competency since the previous 360; and the self-assessment
  before and after on the plan's enrollment.
- Measure: the plan offers a follow-up 360, linked to the person's previous closed one.

Who sees what. The plan is visible to the person, their management chain and program
admins; that alone is not enough here:
- 360 figures show only to whoever may read the report (report.can_read_report); to
  anyone else the plan shows no 360 section at all. Each read is audited like every
  other report read (report.record_read, via "plan page" or "plan api").
- Self-assessment and style results show by the self-service rules (the access helpers
  in self_service), and a read by someone other than the person is audited.
"""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.accounts import policy
from tandem.assessments import access, self_service
from tandem.assessments.models import Review, ReviewStatus, SelfAssessment
from tandem.assessments.report import (
    CompetencyResult,
    Report,
    build_report,
    can_read_report,
    record_read,
)
from tandem.lib import johari
from tandem.programs.models import Competency, DevelopmentPlan, PlanCycle, Stage

# Where the 360 says to grow, and what it says to build on.
SUGGESTED = (johari.BLIND_SPOT, johari.AGREED_DEVELOPMENT)
TO_BUILD_ON = (johari.HIDDEN_STRENGTH, johari.AGREED_STRENGTH)
SHORT_LABELS: dict[str, Any] = {
    johari.BLIND_SPOT: gettext_lazy("Blind spot"),
    johari.AGREED_DEVELOPMENT: gettext_lazy("Agreed development area"),
    johari.HIDDEN_STRENGTH: gettext_lazy("Hidden strength"),
    johari.AGREED_STRENGTH: gettext_lazy("Agreed strength"),
}


# The assess step ------------------------------------------------------------------------


def has_assessment_results(person_id: int) -> bool:
    """A submitted self-assessment or a closed 360: a draft or a 360 still collecting
    answers has no results yet."""
    return (
        SelfAssessment.objects.filter(person_id=person_id, submitted_at__isnull=False).exists()
        or Review.objects.filter(subject_id=person_id, status=ReviewStatus.CLOSED).exists()
    )


def assessment_done(cycle: PlanCycle) -> str | None:
    """The stage check for leaving "assess" (registered in AssessmentsConfig.ready())."""
    if has_assessment_results(cycle.plan.person_id):
        return None
    return _(
        "Submit a self-assessment (or finish a 360 review) first, so the goals build on "
        "what the assessment shows."
    )


# What the plan shows ---------------------------------------------------------------------


@dataclass(frozen=True)
class GoalArea:
    """A competency as the latest 360 reads it, with the organization's competency a
    goal would name (matched by name; None if the model has no such competency)."""

    key: str
    name: str
    quadrant: str
    self_score: float | None
    others_mean: float | None
    competency: Competency | None
    goal_url: str

    @property
    def label(self) -> str:
        return str(SHORT_LABELS.get(self.quadrant, ""))

    @property
    def gap(self) -> float | None:
        return johari.gap(self.self_score, self.others_mean)


@dataclass(frozen=True)
class ReviewView:
    """The plan's reading of the person's latest closed 360, for a viewer who may read
    its report."""

    report: Report
    suggested: list[GoalArea]
    strengths: list[GoalArea]

    @property
    def review(self) -> Review:
        return self.report.review

    @property
    def shifts(self) -> tuple[CompetencyResult, ...]:
        """Each competency with its change since the previous 360; empty without one."""
        return self.report.competencies if self.report.has_change else ()


@dataclass(frozen=True)
class FollowUp:
    """The measure step's re-run of the 360."""

    previous: Review | None  # the closed 360 the follow-up is compared with
    under_way: Review | None  # a 360 of the person that has not closed yet
    can_start: bool


def latest_closed_review(plan: DevelopmentPlan) -> Review | None:
    return (
        Review.objects.filter(subject_id=plan.person_id, status=ReviewStatus.CLOSED)
        .select_related("subject", "instrument", "previous__instrument")
        .order_by("-closed_at", "-pk")
        .first()
    )


def _goal_areas(
    plan: DevelopmentPlan, competencies: tuple[CompetencyResult, ...], quadrants: tuple[str, ...]
) -> list[GoalArea]:
    """The competencies in `quadrants`, in that order and then the instrument's."""
    model = {c.name.casefold(): c for c in Competency.objects.all()}
    new_goal = reverse("programs:goal-create", args=[plan.pk])
    areas = []
    for quadrant in quadrants:
        for result in competencies:
            if result.quadrant != quadrant:
                continue
            competency = model.get(result.name.casefold())
            areas.append(
                GoalArea(
                    key=result.key,
                    name=result.name,
                    quadrant=result.quadrant,
                    self_score=result.self_score,
                    others_mean=result.others_mean,
                    competency=competency,
                    goal_url=f"{new_goal}?competency={competency.pk}" if competency else new_goal,
                )
            )
    return areas


def review_view(
    user: Any, plan: DevelopmentPlan, *, via: str, ip: str | None = None
) -> ReviewView | None:
    """The latest closed 360's reading, if `user` may read its report (and the read is
    audited); None otherwise."""
    review = latest_closed_review(plan)
    if review is None or not can_read_report(user, review):
        return None
    report = build_report(review)
    record_read(user, review, via=via, ip=ip)
    competencies = report.competencies
    return ReviewView(
        report=report,
        suggested=_goal_areas(plan, competencies, SUGGESTED),
        strengths=_goal_areas(plan, competencies, TO_BUILD_ON),
    )


def self_view(user: Any, plan: DevelopmentPlan) -> self_service.SelfSummary:
    """The person's latest self-assessment and style profile that `user` may read; reads
    by anyone but the person are audited."""
    summary = self_service.latest_for(plan.person, viewer=user)
    for record in (summary.self_assessment, summary.style_profile):
        if record is not None:
            self_service.record_read(user, record)
    return summary


def self_change(user: Any, plan: DevelopmentPlan) -> self_service.BeforeAndAfter | None:
    change = self_service.before_and_after_on(plan.enrollment, viewer=user)
    if change is not None:
        self_service.record_read(user, change.before)
        self_service.record_read(user, change.after)
    return change


def asks_for_self_assessment(user: Any, plan: DevelopmentPlan, cycle: PlanCycle) -> bool:
    """The person themselves is asked to take the self-assessment while assessing, until
    the step has results."""
    viewer = policy.person_of(user)
    return (
        viewer is not None
        and viewer.pk == plan.person_id
        and cycle.stage == Stage.ASSESS
        and not has_assessment_results(plan.person_id)
    )


def own_draft(user: Any, plan: DevelopmentPlan) -> SelfAssessment | None:
    """The viewer's unfinished self-assessment, when the plan is theirs."""
    viewer = policy.person_of(user)
    if viewer is None or viewer.pk != plan.person_id:
        return None
    return (
        SelfAssessment.objects.filter(person=viewer, submitted_at__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )


def follow_up(user: Any, plan: DevelopmentPlan) -> FollowUp:
    reviews = access.reviews_visible_to(user).filter(subject_id=plan.person_id)
    return FollowUp(
        previous=reviews.filter(status=ReviewStatus.CLOSED).order_by("-closed_at", "-pk").first(),
        under_way=reviews.exclude(status=ReviewStatus.CLOSED).order_by("-created_at").first(),
        can_start=access.can_start_review_for(user, plan.person),
    )
