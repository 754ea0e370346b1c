"""The modality advisor under /api/v1: the same recommendation and reasons as the page."""

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from tandem.api.errors import errors
from tandem.lib import advisor as rules
from tandem.programs import advisor as advising

router = Router(tags=["advisor"])

LevelName = Literal["individual_contributor", "emerging", "mid", "senior"]
NeedName = Literal["skill_or_knowledge", "career_navigation", "self_awareness"]
CustomizationName = Literal["low", "medium", "high"]
TimeName = Literal["little", "some", "plenty"]
RecommendationName = Literal[
    "training",
    "training_reinforcement",
    "training_reinforcement_coaching",
    "training_reinforcement_mentoring",
    "mentoring",
    "mentoring_coaching",
    "coaching",
]
ComponentName = Literal["training", "reinforcement", "mentoring", "coaching"]
InputName = Literal[
    "level",
    "need",
    "customization",
    "time_available",
    "budget_per_person",
    "people_sharing_need",
    "practice_and_feedback",
]


class AdvisorIn(Schema):
    """The answers about one development need."""

    model_config = ConfigDict(strict=True, extra="forbid")

    level: LevelName
    need: NeedName = Field(
        description="skill_or_knowledge: a skill or knowledge many people need; "
        "career_navigation: career navigation and organizational know-how; "
        "self_awareness: self-awareness and behaviour change"
    )
    customization: CustomizationName = Field(description="How customized it must be")
    time_available: TimeName = Field(description="Time the leader has for development")
    budget_per_person: float = Field(
        ge=0,
        le=advising.MAX_BUDGET,
        allow_inf_nan=False,
        description=(
            "In the organization's currency. Under "
            f"{rules.DEFAULT_BANDS.course_only_below:,.0f} pays for a course seat; "
            f"{rules.DEFAULT_BANDS.engagement_from:,.0f} or more for a coaching engagement."
        ),
    )
    people_sharing_need: int = Field(ge=1, le=advising.MAX_PEOPLE)
    practice_and_feedback: bool = Field(description="Whether practice and feedback will follow")


class ReasonOut(Schema):
    input: InputName = Field(description="The answer that caused this reason")
    text: str


class ScoresOut(Schema):
    training: int
    mentoring: int
    coaching: int


class AdviceOut(Schema):
    recommendation: RecommendationName
    label: str
    components: list[ComponentName] = Field(description="In the order they happen")
    reasons: list[ReasonOut] = Field(description="What led to it, the weightiest first")
    weighed_against: list[ReasonOut] = Field(description="What pulled the other way, and lost")
    watch: list[str] = Field(description="What to watch for")
    scores: ScoresOut


@router.post(
    "/advisor",
    response={200: AdviceOut, **errors(400, 401, 403, 422)},
    summary="Training, mentoring or coaching? A recommendation with its reasons",
    operation_id="advise",
)
def advise(request: HttpRequest, payload: AdvisorIn) -> Any:
    """Deterministic: the same answers always give the same advice, each reason naming
    the answer that caused it. Nothing is stored."""
    situation = rules.Situation(**payload.model_dump())
    return advising.advice_as_dict(rules.advise(situation))
