"""A mentoring program's setup under /api/v1/mentoring: settings, the questionnaire, the
mentor pool (program admins), and one's own answers and intent (mentees and mentors).
The pages' forms and checks are reused, so the API refuses exactly what the pages do."""

from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count
from django.forms.models import model_to_dict
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError
from pydantic import ConfigDict

from tandem.api.errors import errors, raise_form_errors, service_errors
from tandem.api.fields import NO_NUL, patched
from tandem.api.pagination import RecordId
from tandem.mentoring import access, matching, questionnaire
from tandem.mentoring.forms import MentorForm, QuestionForm, SettingsForm
from tandem.mentoring.models import HelpKind, Mentee, Mentor, Question
from tandem.people.models import Person
from tandem.programs.models import Program

router = Router(tags=["mentoring: programs"])

FormatName = Literal["one_to_one", "group", "flash"]
ModeName = Literal["admin_review", "mentee_choice"]
ObjectiveName = Literal["optimal", "most_matched"]
UnitName = Literal["none", "same", "different"]
KindName = Literal[
    "single_choice",
    "multiple_choice",
    "skills",
    "function",
    "location",
    "time_zone",
    "languages",
    "availability",
    "seniority",
    "free_text",
]
AudienceName = Literal["both", "mentees", "mentors"]
HelpName = Literal["career", "organization", "exposure", "skill"]
Weight = Annotated[int, Field(ge=0, le=10)]
Option = Annotated[str, Field(min_length=1, max_length=120, pattern=NO_NUL)]
AnswerText = Annotated[str, Field(max_length=2000, pattern=NO_NUL)]
AnswerValue = AnswerText | Annotated[int, Field(ge=-1000, le=1000)] | list[AnswerText]


# Programs and settings ------------------------------------------------------------


class MentoringProgramOut(Schema):
    id: int
    name: str
    status: str
    start_date: str
    end_date: str

    @staticmethod
    def resolve_start_date(program: Program) -> str:
        return program.start_date.isoformat()

    @staticmethod
    def resolve_end_date(program: Program) -> str:
        return program.end_date.isoformat()


@router.get(
    "/programs",
    response={200: list[MentoringProgramOut], **errors(401)},
    summary="Mentoring programs the caller runs or takes part in",
    operation_id="list_mentoring_programs",
)
def list_programs(request: HttpRequest) -> Any:
    return access.mentoring_programs_visible_to(request.user).order_by("-start_date", "pk")


class SettingsOut(Schema):
    format: FormatName
    matching_mode: ModeName
    objective: ObjectiveName
    suggestions_count: int
    min_score: int | None
    default_capacity: int
    never_in_reporting_chain: bool
    min_level_gap: int | None
    no_repeat_pairing: bool
    unit_preference: UnitName
    unit_weight: int
    must_share_language: bool
    prefer_high_potential: bool
    request_expiry_days: int
    inactivity_weeks: int


class SettingsPatch(Schema):
    """Only the fields sent change; null clears the minimum score or the level gap."""

    model_config = ConfigDict(strict=True, extra="forbid")

    format: FormatName | None = None
    matching_mode: ModeName | None = None
    objective: ObjectiveName | None = None
    suggestions_count: int | None = Field(None, ge=1, le=10)
    min_score: int | None = Field(None, ge=0, le=100)
    default_capacity: int | None = Field(None, ge=1, le=50)
    never_in_reporting_chain: bool | None = None
    min_level_gap: int | None = Field(None, ge=0, le=3)
    no_repeat_pairing: bool | None = None
    unit_preference: UnitName | None = None
    unit_weight: Weight | None = None
    must_share_language: bool | None = None
    prefer_high_potential: bool | None = None
    request_expiry_days: int | None = Field(None, ge=1, le=60)
    inactivity_weeks: int | None = Field(None, ge=1, le=52)


_NULLABLE = {"min_score", "min_level_gap"}


@router.get(
    "/programs/{program_id}/settings",
    response={200: SettingsOut, **errors(401, 403, 404, 422)},
    summary="A mentoring program's matching settings (program admins)",
    operation_id="get_mentoring_settings",
)
def get_settings(request: HttpRequest, program_id: RecordId) -> Any:
    program = access.access_program(request.user, program_id, manage=True)
    return matching.settings_of(program)


@router.patch(
    "/programs/{program_id}/settings",
    response={200: SettingsOut, **errors(400, 401, 403, 404, 422)},
    summary="Change the matching settings (program admins)",
    operation_id="update_mentoring_settings",
)
def update_settings(request: HttpRequest, program_id: RecordId, payload: SettingsPatch) -> Any:
    program = access.access_program(request.user, program_id, manage=True)
    mentoring = matching.settings_of(program)
    sent = payload.model_dump(exclude_unset=True)
    data = patched(mentoring, SettingsForm.Meta.fields, sent, nullable=_NULLABLE)
    form = SettingsForm(data=data, instance=mentoring)
    if not form.is_valid():
        raise_form_errors(form)
    return form.save()


# The questionnaire --------------------------------------------------------------------


class MatchingQuestionOut(Schema):
    id: int
    key: str
    kind: KindName
    text: str
    mentor_text: str
    help: str
    audience: AudienceName
    options: list[str]
    weight: int
    required: bool
    order: int


class MatchingQuestionIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    key: str = Field(min_length=1, max_length=50, pattern=r"^[-a-zA-Z0-9_]+$")
    kind: KindName
    text: str = Field(min_length=1, max_length=300, pattern=NO_NUL)
    mentor_text: str = Field("", max_length=300, pattern=NO_NUL)
    help: str = Field("", max_length=500, pattern=NO_NUL)
    audience: AudienceName = "both"
    options: list[Option] = Field(default_factory=list, max_length=63)
    weight: Weight = 5
    required: bool = True


class QuestionPatch(Schema):
    """The kind and the key stay as they are (answers refer to them)."""

    model_config = ConfigDict(strict=True, extra="forbid")

    text: str | None = Field(None, min_length=1, max_length=300, pattern=NO_NUL)
    mentor_text: str | None = Field(None, max_length=300, pattern=NO_NUL)
    help: str | None = Field(None, max_length=500, pattern=NO_NUL)
    audience: AudienceName | None = None
    options: list[Option] | None = Field(None, max_length=63)
    weight: Weight | None = None
    required: bool | None = None
    order: int | None = Field(None, ge=0, le=10000)


def _question_form(data: dict[str, Any], program: Program, instance: Question | None = None) -> Any:
    data = dict(data)
    data["options"] = "\n".join(data.get("options") or [])
    form = QuestionForm(data=data, program=program, instance=instance)
    if not form.is_valid():
        raise_form_errors(form)
    return form


@router.get(
    "/programs/{program_id}/questions",
    response={200: list[MatchingQuestionOut], **errors(401, 403, 404, 422)},
    summary="The matching questionnaire",
    operation_id="list_mentoring_questions",
)
def list_questions(request: HttpRequest, program_id: RecordId) -> Any:
    """Everyone in the program reads it (to answer it); the weights are part of it."""
    program = access.access_program(request.user, program_id)
    matching.settings_of(program)
    return questionnaire.questions_of(program)


@router.post(
    "/programs/{program_id}/questions",
    response={201: MatchingQuestionOut, **errors(400, 401, 403, 404, 422)},
    summary="Add a question (program admins)",
    operation_id="create_mentoring_question",
)
def create_question(request: HttpRequest, program_id: RecordId, payload: MatchingQuestionIn) -> Any:
    program = access.access_program(request.user, program_id, manage=True)
    form = _question_form(payload.model_dump(), program)
    last = max(Question.objects.filter(program=program).values_list("order", flat=True), default=0)
    form.instance.order = last + 10
    return Status(201, form.save())


@router.get(
    "/questions/{question_id}",
    response={200: MatchingQuestionOut, **errors(401, 403, 404, 422)},
    summary="One question (program admins)",
    operation_id="get_mentoring_question",
)
def get_question(request: HttpRequest, question_id: RecordId) -> Any:
    return access.access_question(request.user, question_id)


@router.patch(
    "/questions/{question_id}",
    response={200: MatchingQuestionOut, **errors(400, 401, 403, 404, 422)},
    summary="Change a question: text, options, weight, order (program admins)",
    operation_id="update_mentoring_question",
)
def update_question(request: HttpRequest, question_id: RecordId, payload: QuestionPatch) -> Any:
    question = access.access_question(request.user, question_id)
    changes = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    order = changes.pop("order", None)
    fields = [f for f in QuestionForm.Meta.fields if f != "options"]
    current = {**model_to_dict(question, fields=fields), "options": question.options}
    form = _question_form({**current, **changes}, question.program, question)
    if order is not None:
        form.instance.order = order
    return form.save()


@router.delete(
    "/questions/{question_id}",
    response={204: None, **errors(401, 403, 404, 422)},
    summary="Remove a question (program admins)",
    operation_id="delete_mentoring_question",
)
def delete_question(request: HttpRequest, question_id: RecordId) -> Any:
    access.access_question(request.user, question_id).delete()
    return Status(204, None)


# The mentor pool ----------------------------------------------------------------------


class MentorOut(Schema):
    id: int
    person_id: int
    name: str
    capacity: int | None
    effective_capacity: int
    open_relationships: int
    active: bool
    answered: bool

    @staticmethod
    def resolve_name(mentor: Mentor) -> str:
        return mentor.person.full_name

    @staticmethod
    def resolve_effective_capacity(mentor: Mentor) -> int:
        return mentor.effective_capacity(matching.settings_of(mentor.program))

    @staticmethod
    def resolve_open_relationships(mentor: Mentor) -> int:
        load = getattr(mentor, "load", None)
        if load is not None:
            return int(load)
        return matching.open_relationships(mentor.program).filter(mentor=mentor.person_id).count()

    @staticmethod
    def resolve_answered(mentor: Mentor) -> bool:
        return mentor.answered_at is not None


class MentorIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    person_id: RecordId
    capacity: int | None = Field(None, ge=1, le=50)


class MentorPatch(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    capacity: int | None = Field(None, ge=1, le=50)
    active: bool | None = None


def _pool(program: Program) -> list[Mentor]:
    mentors = list(
        Mentor.objects.filter(program=program).select_related("person", "program").order_by("pk")
    )
    load = dict(
        matching.open_relationships(program)
        .values_list("mentor_id")
        .annotate(n=Count("pk"))
        .values_list("mentor_id", "n")
    )
    matching.settings_of(program)  # read once, kept on the program
    for mentor in mentors:
        mentor.load = load.get(mentor.person_id, 0)  # type: ignore[attr-defined]
        mentor.program = program
    return mentors


@router.get(
    "/programs/{program_id}/mentors",
    response={200: list[MentorOut], **errors(401, 403, 404, 422)},
    summary="The mentor pool (program admins)",
    operation_id="list_mentors",
)
def list_mentors(request: HttpRequest, program_id: RecordId) -> Any:
    return _pool(access.access_program(request.user, program_id, manage=True))


@router.post(
    "/programs/{program_id}/mentors",
    response={201: MentorOut, **errors(400, 401, 403, 404, 422)},
    summary="Add a person to the mentor pool (program admins)",
    operation_id="create_mentor",
)
def create_mentor(request: HttpRequest, program_id: RecordId, payload: MentorIn) -> Any:
    program = access.access_program(request.user, program_id, manage=True)
    person = Person.objects.filter(pk=payload.person_id).first()
    if person is None:
        raise ValidationError(
            [{"loc": ["body", "payload", "person_id"], "msg": "No such person.", "type": "refused"}]
        )
    try:
        mentor = questionnaire.mentor_add(program=program, person=person, capacity=payload.capacity)
    except DjangoValidationError as error:
        raise service_errors(error) from None
    return Status(201, mentor)


@router.get(
    "/mentors/{mentor_id}",
    response={200: MentorOut, **errors(401, 403, 404, 422)},
    summary="One mentor of a pool (program admins)",
    operation_id="get_mentor",
)
def get_mentor(request: HttpRequest, mentor_id: RecordId) -> Any:
    return access.access_mentor(request.user, mentor_id)


@router.patch(
    "/mentors/{mentor_id}",
    response={200: MentorOut, **errors(400, 401, 403, 404, 422)},
    summary="Change a mentor's capacity or status (program admins)",
    operation_id="update_mentor",
)
def update_mentor(request: HttpRequest, mentor_id: RecordId, payload: MentorPatch) -> Any:
    mentor = access.access_mentor(request.user, mentor_id)
    sent = payload.model_dump(exclude_unset=True)
    data = {"capacity": mentor.capacity, "active": mentor.active, **sent}
    if data["active"] is None:
        data["active"] = mentor.active
    form = MentorForm(data={k: ("" if v is None else v) for k, v in data.items()}, instance=mentor)
    if not form.is_valid():
        raise_form_errors(form)
    return form.save()


# One's own answers and intent -----------------------------------------------------------


class AnswersOut(Schema):
    answers: dict[str, Any]
    answered_at: str | None

    @staticmethod
    def resolve_answered_at(answerer: Mentee | Mentor) -> str | None:
        return answerer.answered_at.isoformat() if answerer.answered_at else None


class AnswersIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    answers: dict[Annotated[str, Field(max_length=50)], AnswerValue] = Field(max_length=100)


def _save_answers(answerer: Mentee | Mentor, payload: AnswersIn) -> Any:
    try:
        return questionnaire.answers_save(answerer=answerer, raw=payload.answers)
    except DjangoValidationError as error:
        raise service_errors(error, within=["answers"]) from None


@router.get(
    "/programs/{program_id}/answers/mentee",
    response={200: AnswersOut, **errors(401, 404, 422)},
    summary="My answers as a mentee",
    operation_id="get_my_mentee_answers",
)
def get_mentee_answers(request: HttpRequest, program_id: RecordId) -> Any:
    return access.access_own_mentee(request.user, program_id)


@router.put(
    "/programs/{program_id}/answers/mentee",
    response={200: AnswersOut, **errors(400, 401, 404, 422)},
    summary="Answer the questionnaire as a mentee (all answers at once)",
    operation_id="put_my_mentee_answers",
)
def put_mentee_answers(request: HttpRequest, program_id: RecordId, payload: AnswersIn) -> Any:
    return _save_answers(access.access_own_mentee(request.user, program_id), payload)


@router.get(
    "/programs/{program_id}/answers/mentor",
    response={200: AnswersOut, **errors(401, 404, 422)},
    summary="My answers as a mentor",
    operation_id="get_my_mentor_answers",
)
def get_mentor_answers(request: HttpRequest, program_id: RecordId) -> Any:
    return access.access_own_mentor(request.user, program_id)


@router.put(
    "/programs/{program_id}/answers/mentor",
    response={200: AnswersOut, **errors(400, 401, 404, 422)},
    summary="Answer the questionnaire as a mentor (all answers at once)",
    operation_id="put_my_mentor_answers",
)
def put_mentor_answers(request: HttpRequest, program_id: RecordId, payload: AnswersIn) -> Any:
    return _save_answers(access.access_own_mentor(request.user, program_id), payload)


class IntentOut(Schema):
    goals: list[str]
    help_wanted: list[HelpName]
    stated: bool

    @staticmethod
    def resolve_stated(mentee: Mentee) -> bool:
        return mentee.intent_stated


class IntentIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    goals: list[Annotated[str, Field(max_length=200, pattern=NO_NUL)]] = Field(max_length=5)
    help_wanted: list[HelpName] = Field(max_length=len(HelpKind.values))


@router.get(
    "/programs/{program_id}/intent",
    response={200: IntentOut, **errors(401, 404, 422)},
    summary="What I want from mentoring",
    operation_id="get_my_mentoring_intent",
)
def get_intent(request: HttpRequest, program_id: RecordId) -> Any:
    return access.access_own_mentee(request.user, program_id)


@router.put(
    "/programs/{program_id}/intent",
    response={200: IntentOut, **errors(400, 401, 404, 422)},
    summary="State what I want from mentoring (required before matching)",
    operation_id="put_my_mentoring_intent",
)
def put_intent(request: HttpRequest, program_id: RecordId, payload: IntentIn) -> Any:
    mentee = access.access_own_mentee(request.user, program_id)
    try:
        return questionnaire.intent_state(
            mentee=mentee, goals=payload.goals, help_wanted=payload.help_wanted
        )
    except DjangoValidationError as error:
        raise service_errors(error) from None
