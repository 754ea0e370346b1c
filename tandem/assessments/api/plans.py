"""What the assessments say on a development plan, under /api/v1: the same figures and
suggestions as the plan page's assessment panel (tandem.assessments.plan_summary).

The plan is fetched like every plan endpoint (the participant, their management chain
and program admins; anyone else gets 404). Within it, the 360 part is present only for
a caller who may read the report (the subject, their managers, program admins; never an
executive viewer), and that read is audited; self-assessment and style results follow
the self-service rules."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from tandem.api.errors import errors
from tandem.api.pagination import RecordId
from tandem.assessments import plan_summary
from tandem.assessments.api.self_service import (
    BeforeAfterOut,
    CompetencyScoreOut,
    SelfAssessmentSummaryOut,
    StyleProfileSummaryOut,
)
from tandem.assessments.self_service import BeforeAndAfter
from tandem.lib.johari import Quadrant
from tandem.lib.stats import Estimate
from tandem.programs import access as programs_access

router = Router(tags=["plans"])


class GoalAreaOut(Schema):
    key: str = Field(description="The competency's key in the 360 instrument")
    name: str
    johari: Quadrant
    self_score: float | None
    others_mean: float | None = Field(description="All others' mean, after the anonymity rules")
    gap: float | None
    competency_id: int | None = Field(
        description="The organization's competency of the same name, for a goal's "
        "`competency_id`; null when the competency model has none"
    )


class ChangeOut(Schema):
    enough: bool = Field(description="false: not enough responses for a figure")
    n: int
    value: float | None
    low: float | None
    high: float | None
    text: str


class ShiftOut(Schema):
    key: str
    name: str
    all_others: ChangeOut | None
    direct_reports: ChangeOut | None = Field(
        description="null when the direct reports are not shown in both reviews"
    )


class ReviewSummaryOut(Schema):
    review_id: int
    closed_at: datetime | None
    previous_review_id: int | None
    suggested_goal_areas: list[GoalAreaOut] = Field(
        description="Blind spots, then agreed development areas"
    )
    strengths: list[GoalAreaOut] = Field(description="Hidden strengths, then agreed strengths")
    shifts: list[ShiftOut] = Field(
        description="The change per competency since the previous review; empty without one"
    )


class StyleSummaryOut(StyleProfileSummaryOut):
    style_name: str


class LatestSelfAssessmentOut(SelfAssessmentSummaryOut):
    competencies: list[CompetencyScoreOut]


class AssessmentSummaryOut(Schema):
    plan_id: int
    person_id: int
    self_assessment: LatestSelfAssessmentOut | None = Field(
        description="The person's latest submitted self-assessment"
    )
    style_profile: StyleSummaryOut | None = Field(description="The person's latest style profile")
    self_assessment_change: BeforeAfterOut | None = Field(
        description="The first and the latest self-assessment on the plan's enrollment"
    )
    review: ReviewSummaryOut | None = Field(
        description="The person's latest closed 360; null when there is none, or when "
        "the caller may not read its report"
    )


def _change(estimate: Estimate | None, text: str) -> dict[str, Any] | None:
    if estimate is None:
        return None

    def rounded(value: float | None) -> float | None:
        return round(value, 2) if value is not None else None

    return {
        "enough": estimate.enough,
        "n": estimate.n,
        "value": rounded(estimate.value),
        "low": rounded(estimate.low),
        "high": rounded(estimate.high),
        "text": text,
    }


def _area(area: plan_summary.GoalArea) -> dict[str, Any]:
    def rounded(value: float | None) -> float | None:
        return round(value, 2) if value is not None else None

    return {
        "key": area.key,
        "name": area.name,
        "johari": area.quadrant,
        "self_score": rounded(area.self_score),
        "others_mean": rounded(area.others_mean),
        "gap": rounded(area.gap),
        "competency_id": area.competency.pk if area.competency else None,
    }


def _review(view: plan_summary.ReviewView | None) -> dict[str, Any] | None:
    if view is None:
        return None
    return {
        "review_id": view.review.pk,
        "closed_at": view.review.closed_at,
        "previous_review_id": view.report.previous.pk if view.report.previous else None,
        "suggested_goal_areas": [_area(area) for area in view.suggested],
        "strengths": [_area(area) for area in view.strengths],
        "shifts": [
            {
                "key": c.key,
                "name": c.name,
                "all_others": _change(c.change, c.change_text),
                "direct_reports": _change(c.direct_reports_change, c.direct_reports_change_text),
            }
            for c in view.shifts
        ],
    }


def _self_change(change: BeforeAndAfter | None) -> dict[str, Any] | None:
    if change is None:
        return None
    return {
        "before_id": change.before.pk,
        "after_id": change.after.pk,
        "competencies": [
            {"key": c.key, "name": c.name, "before": c.before, "after": c.after, "change": c.change}
            for c in change.changes
        ],
    }


@router.get(
    "/plans/{plan_id}/assessment-summary",
    response={200: AssessmentSummaryOut, **errors(401, 404, 422)},
    summary="What the assessments suggest for a plan: goal areas, strengths and shifts",
    operation_id="get_plan_assessment_summary",
)
def get_plan_assessment_summary(request: HttpRequest, plan_id: RecordId) -> Any:
    """For the plan's person: the latest self-assessment and style profile; from the
    latest closed 360, blind spots and agreed development areas as suggested goal areas
    and hidden or agreed strengths to build on, and the change per competency since the
    previous 360; and the self-assessment before and after on the plan's enrollment."""
    user = request.user
    plan = programs_access.access_plan(user, plan_id)
    summary = plan_summary.self_view(user, plan)
    assessment, profile = summary.self_assessment, summary.style_profile
    view = plan_summary.review_view(user, plan, via="plan api", ip=request.META.get("REMOTE_ADDR"))
    return {
        "plan_id": plan.pk,
        "person_id": plan.person_id,
        "self_assessment": (
            {
                "id": assessment.pk,
                "person_id": assessment.person_id,
                "instrument_id": assessment.instrument_id,
                "enrollment_id": assessment.enrollment_id,
                "submitted_at": assessment.submitted_at,
                "created_at": assessment.created_at,
                "competencies": summary.scores,
            }
            if assessment is not None
            else None
        ),
        "style_profile": (
            {
                "id": profile.pk,
                "person_id": profile.person_id,
                "instrument_id": profile.instrument_id,
                "style_key": profile.style_key,
                "submitted_at": profile.submitted_at,
                "created_at": profile.created_at,
                "style_name": summary.style["name"] if summary.style else profile.style_key,
            }
            if profile is not None
            else None
        ),
        "self_assessment_change": _self_change(plan_summary.self_change(user, plan)),
        "review": _review(view),
    }
