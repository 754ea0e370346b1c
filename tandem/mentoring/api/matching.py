"""Match runs and suggestions under /api/v1/mentoring. Runs, their proposals and the
unmatched are for program admins only (mentors and mentees are told there is no such
run); a mentee reads and chooses among their own suggestions."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.pagination import paginate
from pydantic import ConfigDict

from tandem.api.errors import errors, service_errors
from tandem.api.pagination import Pages, RecordId
from tandem.mentoring import access, matching
from tandem.mentoring.models import (
    MatchProposal,
    MatchRun,
    Mentee,
    Mentor,
    RunStatus,
    Suggestion,
    SuggestionStatus,
    UnmatchedMentee,
)

router = Router(tags=["mentoring: matching"])


def _refused(error: DjangoValidationError) -> ValidationError:
    # The services name records ("mentor"); the API names their ids ("mentor_id").
    return service_errors(error, name=lambda field: f"{field}_id")


class Contribution(Schema):
    key: str
    label: str
    weight: int
    similarity: float
    points: float


class RunOut(Schema):
    id: int
    program_id: int
    status: str
    objective: str
    progress_phase: str
    progress_percent: int
    stats: dict[str, Any]
    error: str
    created_at: str
    finished_at: str | None
    published_at: str | None

    @staticmethod
    def resolve_progress_percent(run: MatchRun) -> int:
        return run.progress_percent()

    @staticmethod
    def resolve_created_at(run: MatchRun) -> str:
        return run.created_at.isoformat()

    @staticmethod
    def resolve_finished_at(run: MatchRun) -> str | None:
        return run.finished_at.isoformat() if run.finished_at else None

    @staticmethod
    def resolve_published_at(run: MatchRun) -> str | None:
        return run.published_at.isoformat() if run.published_at else None


class ProposalOut(Schema):
    id: int
    mentee_id: int
    mentee_name: str
    mentor_id: int
    mentor_name: str
    score: float
    locked: bool
    edited_by_admin: bool
    breaks_rule: str
    explanation: list[Contribution]

    @staticmethod
    def resolve_mentee_name(proposal: MatchProposal) -> str:
        return proposal.mentee.person.full_name

    @staticmethod
    def resolve_mentor_name(proposal: MatchProposal) -> str:
        return proposal.mentor.person.full_name


class UnmatchedOut(Schema):
    mentee_id: int
    mentee_name: str
    reason: str

    @staticmethod
    def resolve_mentee_name(row: UnmatchedMentee) -> str:
        return row.mentee.person.full_name


@router.post(
    "/programs/{program_id}/match-runs",
    response={202: RunOut, **errors(400, 401, 403, 404, 422)},
    summary="Start a match run (program admins); the current draft's locked pairs are kept",
    operation_id="start_match_run",
)
def start_run(request: HttpRequest, program_id: RecordId) -> Any:
    program = access.access_program(request.user, program_id, manage=True)
    try:
        run = matching.run_start(program=program, started_by=request.user)
    except DjangoValidationError as error:
        raise _refused(error) from None
    run.refresh_from_db()
    return Status(202, run)


@router.get(
    "/programs/{program_id}/match-runs",
    response={200: list[RunOut], **errors(401, 403, 404, 422)},
    summary="A program's match runs, newest first (program admins)",
    operation_id="list_match_runs",
)
@paginate(Pages)
def list_runs(request: HttpRequest, program_id: RecordId) -> Any:
    program = access.access_program(request.user, program_id, manage=True)
    return MatchRun.objects.filter(program=program).order_by("-pk")


@router.get(
    "/match-runs/{run_id}",
    response={200: RunOut, **errors(401, 404, 422)},
    summary="A match run's status and summary",
    operation_id="get_match_run",
)
def get_run(request: HttpRequest, run_id: RecordId) -> Any:
    return access.access_run(request.user, run_id)


@router.get(
    "/match-runs/{run_id}/proposals",
    response={200: list[ProposalOut], **errors(401, 404, 422)},
    summary="The run's pairs, each with its explanation",
    operation_id="list_match_proposals",
)
@paginate(Pages)
def list_proposals(request: HttpRequest, run_id: RecordId) -> Any:
    run = access.access_run(request.user, run_id)
    return run.proposals.select_related("mentee__person", "mentor__person").order_by("pk")


@router.get(
    "/match-runs/{run_id}/unmatched",
    response={200: list[UnmatchedOut], **errors(401, 404, 422)},
    summary="The mentees the run could not match, with why",
    operation_id="list_match_unmatched",
)
@paginate(Pages)
def list_unmatched(request: HttpRequest, run_id: RecordId) -> Any:
    run = access.access_run(request.user, run_id)
    return UnmatchedMentee.objects.filter(run=run).select_related("mentee__person").order_by("pk")


class LockIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    locked: bool


@router.put(
    "/match-proposals/{proposal_id}/lock",
    response={200: ProposalOut, **errors(400, 401, 404, 422)},
    summary="Lock or unlock a pair of the draft (a re-run keeps locked pairs)",
    operation_id="lock_match_proposal",
)
def lock_proposal(request: HttpRequest, proposal_id: RecordId, payload: LockIn) -> Any:
    proposal = access.access_proposal(request.user, proposal_id)
    try:
        return matching.proposal_lock(proposal=proposal, locked=payload.locked)
    except DjangoValidationError as error:
        raise _refused(error) from None


class MatchPairIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    mentee_id: RecordId
    mentor_id: RecordId
    dry_run: bool = Field(False, description="Only check the pair; change nothing")


class PairCheckOut(Schema):
    mentee_id: int
    mentor_id: int
    score: float
    explanation: list[Contribution]
    breaks_rule: str
    over_capacity: bool
    warnings: list[str]
    changed: bool


@router.post(
    "/match-runs/{run_id}/pairs",
    response={200: PairCheckOut, **errors(400, 401, 403, 404, 422)},
    summary="Give a mentee of the draft a mentor (or check the pair with dry_run)",
    operation_id="set_match_pair",
)
def set_pair(request: HttpRequest, run_id: RecordId, payload: MatchPairIn) -> Any:
    """The pair is checked first: its score, each criterion's part, the hard rule it
    breaks and whether the mentor would be over capacity. The admin's choice stands
    despite warnings; the pair is then locked."""
    run = access.access_run(request.user, run_id)
    mentee = Mentee.objects.filter(pk=payload.mentee_id, program=run.program).first()
    mentor = Mentor.objects.select_related("person").filter(pk=payload.mentor_id).first()
    if mentee is None or mentor is None:
        field = "mentee_id" if mentee is None else "mentor_id"
        raise ValidationError(
            [{"loc": ["body", "payload", field], "msg": "Not in this program.", "type": "refused"}]
        )
    try:
        if payload.dry_run:
            check = matching.pair_check(run=run, mentee=mentee, mentor=mentor)
        else:
            check = matching.proposal_set_mentor(
                run=run, mentee=mentee, mentor=mentor, changed_by=request.user
            )
    except DjangoValidationError as error:
        raise _refused(error) from None
    return {
        "mentee_id": mentee.pk,
        "mentor_id": mentor.pk,
        "score": check.score,
        "explanation": check.explanation,
        "breaks_rule": check.breaks_rule,
        "over_capacity": check.over_capacity,
        "warnings": check.warnings(),
        "changed": not payload.dry_run,
    }


class PublishOut(Schema):
    run: RunOut
    relationship_ids: list[int]


@router.post(
    "/match-runs/{run_id}/publish",
    response={200: PublishOut, **errors(400, 401, 403, 404, 422)},
    summary="Publish the draft: each pair becomes a relationship request",
    operation_id="publish_match_run",
)
def publish_run(request: HttpRequest, run_id: RecordId) -> Any:
    run = access.access_run(request.user, run_id)
    if run.status != RunStatus.DONE:
        raise _refused(DjangoValidationError("The run has not finished."))
    try:
        created = matching.run_publish(run=run, published_by=request.user)
    except DjangoValidationError as error:
        raise _refused(error) from None
    run.refresh_from_db()
    return {"run": run, "relationship_ids": [r.pk for r in created]}


# Suggestions ----------------------------------------------------------------------------


class MentorSuggestionOut(Schema):
    id: int
    program_id: int
    mentor_name: str
    mentor_title: str
    rank: int
    score: float
    status: str
    explanation: list[Contribution]

    @staticmethod
    def resolve_mentor_name(suggestion: Any) -> str:
        return suggestion.mentor.person.full_name

    @staticmethod
    def resolve_mentor_title(suggestion: Any) -> str:
        return suggestion.mentor.person.title


class RefreshOut(Schema):
    mentees: int
    suggestions: int


@router.post(
    "/programs/{program_id}/suggestions/refresh",
    response={200: RefreshOut, **errors(400, 401, 403, 404, 422)},
    summary="Offer every unmatched mentee their top mentors afresh (program admins)",
    operation_id="refresh_mentoring_suggestions",
)
def refresh_suggestions(request: HttpRequest, program_id: RecordId) -> Any:
    program = access.access_program(request.user, program_id, manage=True)
    try:
        pool = matching.suggestions_refresh(program=program)
    except DjangoValidationError as error:
        raise _refused(error) from None
    offered = Suggestion.objects.filter(program=program, status=SuggestionStatus.OFFERED)
    return {"mentees": len(pool.mentees), "suggestions": offered.count()}


@router.get(
    "/programs/{program_id}/suggestions",
    response={200: list[MentorSuggestionOut], **errors(401, 404, 422)},
    summary="My open suggestions, best first",
    operation_id="list_my_suggestions",
)
def list_suggestions(request: HttpRequest, program_id: RecordId) -> Any:
    mentee = access.access_own_mentee(request.user, program_id)
    return (
        access.suggestions_visible_to(request.user)
        .filter(mentee=mentee, status=SuggestionStatus.OFFERED)
        .order_by("rank")
    )


class ChosenOut(Schema):
    relationship_id: int


@router.post(
    "/suggestions/{suggestion_id}/choose",
    response={200: ChosenOut, **errors(400, 401, 403, 404, 422)},
    summary="Choose a suggested mentor: they are asked to accept",
    operation_id="choose_mentoring_suggestion",
)
def choose_suggestion(request: HttpRequest, suggestion_id: RecordId) -> Any:
    suggestion = access.access_suggestion(request.user, suggestion_id)
    try:
        relationship = matching.suggestion_choose(suggestion=suggestion, chosen_by=request.user)
    except DjangoValidationError as error:
        raise _refused(error) from None
    return {"relationship_id": relationship.pk}
