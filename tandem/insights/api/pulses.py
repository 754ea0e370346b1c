"""Engagement pulses under /api/v1/impact: the pulses (program admins create, open and
close them; executive viewers read), a pulse's results by org unit, level and team,
the trend over the closed pulses, and, under /api/v1/rater/pulses, the answers through
a person's single-use link.

The same rules as the pages (`insights.access`, `insights.pulses`): a pulse the caller
may not see is a 404, a change they may not make a 403. A manager reads their own
team's figures only. Every figure goes through the safe-cell rule: a group that is
too small, or that could be narrowed down by differencing, is "not enough data"
(`shown` false) whatever the parameters."""

from datetime import date
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from tandem.api.errors import ErrorOut, errors, raise_form_errors, refused, service_errors
from tandem.api.fields import IsoDate, text
from tandem.api.pagination import Pages, RecordId
from tandem.assessments import tokens
from tandem.insights import access, pulse_items, pulses
from tandem.insights.models import Pulse, PulseStatus
from tandem.insights.pulse_forms import PulseFilterForm, PulseForm
from tandem.lib import stats
from tandem.programs.services import Refused

router = Router(tags=["impact: pulses"])
# No account and no cookie: the single-use token in the path is the credential (as for
# 360 raters, under /rater), so these operations need no authentication.
answer_router = Router(tags=["rater"], auth=None)

LevelName = Literal["individual_contributor", "emerging", "mid", "senior"]
StatusName = Literal["draft", "open", "closed"]
Token = Annotated[str, Field(min_length=1, max_length=tokens.MAX_TOKEN_LENGTH)]
GONE = {410: ErrorOut}


def _reads_everything(context: Any) -> bool:
    return access.sees_impact(context["request"].user)


class PulseOut(Schema):
    id: int
    name: str
    org_unit_id: int | None = Field(description="null: the whole organization")
    opens_on: date
    closes_on: date
    status: StatusName
    invited: int | None = Field(description="Program admins and executive viewers only.")
    answered: int | None = Field(description="Program admins and executive viewers only.")
    response_rate: float | None = Field(
        description="answered / invited, 0-1; program admins and executive viewers only."
    )

    @staticmethod
    def resolve_invited(pulse: Pulse, context: Any) -> int | None:
        if not _reads_everything(context) or pulse.status == PulseStatus.DRAFT:
            return None
        return pulse.invited

    @staticmethod
    def resolve_answered(pulse: Pulse, context: Any) -> int | None:
        if not _reads_everything(context) or pulse.status == PulseStatus.DRAFT:
            return None
        answered = getattr(pulse, "answered", None)
        return answered if answered is not None else pulse.responses.count()

    @staticmethod
    def resolve_response_rate(pulse: Pulse, context: Any) -> float | None:
        answered = PulseOut.resolve_answered(pulse, context)
        if answered is None or not pulse.invited:
            return None
        return answered / pulse.invited


class PulseIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    name: str = text(120, min_length=1)
    org_unit_id: RecordId | None = Field(None, description="null: the whole organization")
    closes_on: IsoDate


class PulseEstimateOut(Schema):
    n: int
    value: float | None
    low: float | None
    high: float | None
    enough: bool
    confidence: float


class PulseResultsOut(Schema):
    pulse_id: int
    org_unit_id: int | None
    level: str | None
    team_lead_id: int | None
    closed: bool
    shown: bool = Field(description="false: not enough data (or the pulse is not closed)")
    n: int | None = Field(description="Answers in the group; null when not shown")
    engagement_index: PulseEstimateOut | None = Field(description="0-100, with its 95% CI")
    enps: PulseEstimateOut | None = Field(description="-100 to 100, with its 95% CI")
    response_rate: float | None = Field(description="The whole pulse only (no filters)")
    note: str


class PulseTrendOut(Schema):
    pulse_id: int
    name: str
    opens_on: date
    closes_on: date
    results: PulseResultsOut


class PulseFilters(Schema):
    org_unit: RecordId | None = Field(None, description="An org unit and every unit below it")
    level: LevelName | None = None
    team_lead: RecordId | None = Field(None, description="A team, by its lead's person id")


def _estimate(estimate: stats.Estimate | None) -> dict[str, Any] | None:
    if estimate is None:
        return None
    return {
        "n": estimate.n,
        "value": estimate.value,
        "low": estimate.low,
        "high": estimate.high,
        "enough": estimate.enough,
        "confidence": estimate.confidence,
    }


def _results_out(figures: pulses.SliceFigures, chosen: dict[str, Any]) -> dict[str, Any]:
    return {
        "pulse_id": figures.pulse.pk,
        "org_unit_id": chosen["org_unit"].pk if chosen["org_unit"] else None,
        "level": chosen["level"],
        "team_lead_id": chosen["team_lead"].pk if chosen["team_lead"] else None,
        "closed": figures.pulse.status == PulseStatus.CLOSED,
        "shown": figures.shown,
        "n": figures.n,
        "engagement_index": _estimate(figures.index),
        "enps": _estimate(figures.enps),
        "response_rate": figures.response_rate,
        "note": figures.note,
    }


def _chosen(request: HttpRequest, filters: PulseFilters) -> dict[str, Any]:
    """The filters checked like the page's; a manager who does not read everything
    gets their own team only (another team is a 403)."""
    form = PulseFilterForm(
        {
            "org_unit": filters.org_unit or "",
            "level": filters.level or "",
            "team_lead": filters.team_lead or "",
        }
    )
    if not form.is_valid():
        raise_form_errors(form)
    chosen = {
        "org_unit": form.cleaned_data["org_unit"],
        "level": form.cleaned_data["level"] or None,
        "team_lead": form.cleaned_data["team_lead"],
    }
    if not access.sees_impact(request.user):
        me = access.led_team(request.user)
        if me is None:
            raise PermissionDenied("You do not have access to pulse results.")
        if chosen["team_lead"] is not None and chosen["team_lead"].pk != me.pk:
            raise PermissionDenied("You see your own team's results only.")
        chosen["team_lead"] = me
    return chosen


def _require_reader(request: HttpRequest) -> None:
    if not (access.sees_impact(request.user) or access.led_team(request.user)):
        raise PermissionDenied("You do not have access to pulses.")


@router.get(
    "/impact/pulses",
    response={200: list[PulseOut], **errors(401, 403, 422)},
    summary="Pulses, newest first (managers: the closed ones, for their team's results)",
    operation_id="list_pulses",
)
@paginate(Pages)
def pulse_list(request: HttpRequest) -> Any:
    _require_reader(request)
    pulses_shown = Pulse.objects.annotate(answered=Count("responses")).order_by("-opens_on", "-pk")
    if not access.sees_impact(request.user):
        pulses_shown = pulses_shown.filter(status=PulseStatus.CLOSED)
    return pulses_shown


@router.post(
    "/impact/pulses",
    response={201: PulseOut, **errors(400, 401, 403, 422)},
    summary="Create a draft pulse (program admins); open it to send the links",
    operation_id="create_pulse",
)
def pulse_create(request: HttpRequest, payload: PulseIn) -> Any:
    if not access.manages_impact(request.user):
        raise PermissionDenied("Only program admins run pulses.")
    form = PulseForm(
        {
            "name": payload.name,
            "org_unit": payload.org_unit_id or "",
            "closes_on": payload.closes_on.isoformat(),
        }
    )
    names = {"org_unit": "org_unit_id"}
    if not form.is_valid():
        raise_form_errors(form, field_names=names)
    try:
        pulse = pulses.pulse_create(
            name=form.cleaned_data["name"],
            org_unit=form.cleaned_data["org_unit"],
            closes_on=form.cleaned_data["closes_on"],
            created_by=request.user,
        )
    except DjangoValidationError as error:
        raise service_errors(error, name=lambda field: names.get(field, field)) from None
    return Status(201, pulse)


# Declared before /impact/pulses/{pulse_id} so that "trend" is never taken for an id.
@router.get(
    "/impact/pulses/trend",
    response={200: list[PulseTrendOut], **errors(401, 403, 422)},
    summary="One group's results over every closed pulse, oldest first",
    operation_id="get_pulse_trend",
)
def pulse_trend(request: HttpRequest, filters: Query[PulseFilters]) -> Any:
    chosen = _chosen(request, filters)
    return [
        {
            "pulse_id": pulse.pk,
            "name": pulse.name,
            "opens_on": pulse.opens_on,
            "closes_on": pulse.closes_on,
            "results": _results_out(figures, chosen),
        }
        for pulse, figures in pulses.trend(**chosen)
    ]


@router.get(
    "/impact/pulses/{pulse_id}",
    response={200: PulseOut, **errors(401, 404, 422)},
    summary="A pulse",
    operation_id="get_pulse",
)
def pulse_get(request: HttpRequest, pulse_id: RecordId) -> Any:
    return access.access_pulse(request.user, pulse_id)


@router.post(
    "/impact/pulses/{pulse_id}/open",
    response={200: PulseOut, **errors(400, 401, 403, 404, 422)},
    summary="Open a draft pulse: everyone in scope is emailed a single-use link",
    operation_id="open_pulse",
)
def pulse_open(request: HttpRequest, pulse_id: RecordId) -> Any:
    pulse = access.access_pulse(request.user, pulse_id, write=True)
    try:
        return pulses.pulse_open(pulse=pulse, opened_by=request.user)
    except Refused as error:
        return refused(error)


@router.post(
    "/impact/pulses/{pulse_id}/close",
    response={200: PulseOut, **errors(400, 401, 403, 404, 422)},
    summary="Close an open pulse: links stop working and its results can be read",
    operation_id="close_pulse",
)
def pulse_close(request: HttpRequest, pulse_id: RecordId) -> Any:
    pulse = access.access_pulse(request.user, pulse_id, write=True)
    try:
        return pulses.pulse_close(pulse=pulse, closed_by=request.user)
    except Refused as error:
        return refused(error)


@router.get(
    "/impact/pulses/{pulse_id}/results",
    response={200: PulseResultsOut, **errors(401, 403, 404, 422)},
    summary="A pulse's results for one group: org unit (and below), level, team",
    operation_id="get_pulse_results",
)
def pulse_results(request: HttpRequest, pulse_id: RecordId, filters: Query[PulseFilters]) -> Any:
    pulse = access.access_pulse(request.user, pulse_id)
    chosen = _chosen(request, filters)
    return _results_out(pulses.slice_figures(pulse, **chosen), chosen)


# Answering through the link ------------------------------------------------------------


class PulseQuestionOut(Schema):
    key: str
    text: str
    min: int
    max: int
    labels: dict[str, str]


class PulseQuestionsOut(Schema):
    pulse: str
    closes_on: date
    questions: list[PulseQuestionOut]


class PulseAnswersIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    answers: dict[Annotated[str, Field(max_length=40)], int] = Field(
        description='Question key → answer: 1-5 for each statement, 0-10 for "enps"'
    )


class PulseAnsweredOut(Schema):
    answered: bool


def _open_link(token: str) -> pulses.PulseLink | Status:
    link = pulses.pulse_link(token)
    if link.invitation is None or link.problem is not None:
        problem = link.problem or pulses.UNKNOWN
        return Status(link.status, {"detail": pulses.LINK_PROBLEMS[problem]})
    return link


def _questions() -> list[dict[str, Any]]:
    low, high = pulse_items.AGREEMENT
    labels = {str(point): str(label) for point, label in pulse_items.AGREEMENT_LABELS.items()}
    questions: list[dict[str, Any]] = [
        {"key": item.key, "text": str(item.text), "min": low, "max": high, "labels": labels}
        for item in pulse_items.asked_items()
    ]
    low, high = pulse_items.ENPS_SCALE
    questions.append(
        {
            "key": pulse_items.ENPS_KEY,
            "text": pulse_items.enps_question(pulses.organization_name()),
            "min": low,
            "max": high,
            "labels": {str(low): "not at all likely", str(high): "extremely likely"},
        }
    )
    return questions


@answer_router.get(
    "/rater/pulses/{token}",
    response={200: PulseQuestionsOut, **errors(401, 404, 422), **GONE},
    summary="A pulse's questions (no account: the token)",
    operation_id="get_pulse_questions",
)
def pulse_questions(request: HttpRequest, token: Token) -> Any:
    link = _open_link(token)
    if isinstance(link, Status):
        return link
    assert link.invitation is not None
    pulse = link.invitation.pulse
    return {"pulse": pulse.name, "closes_on": pulse.closes_on, "questions": _questions()}


@answer_router.post(
    "/rater/pulses/{token}",
    response={200: PulseAnsweredOut, **errors(400, 401, 403, 404, 422), **GONE},
    summary="Answer a pulse: every question, once per link (no account: the token)",
    operation_id="answer_pulse",
)
def pulse_answer(request: HttpRequest, token: Token, payload: PulseAnswersIn) -> Any:
    link = _open_link(token)
    if isinstance(link, Status):
        return link
    try:
        pulses.pulse_answer(raw_token=token, answers=payload.answers)
    except pulses.LinkRefused as error:  # used or closed since the link was checked
        return Status(
            404 if error.problem == pulses.UNKNOWN else 410, {"detail": error.messages[0]}
        )
    except DjangoValidationError as error:
        raise service_errors(error, within=["answers"]) from None
    return {"answered": True}


router.add_router("/", answer_router)
