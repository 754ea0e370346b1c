"""Courses, sessions, seats (enrollments), attendance, reaction surveys and knowledge
checks under /api/v1/training.

Each endpoint fetches through the same access helpers as the pages (`training.access`)
and validates through the same forms (`training.forms`) and services. A seat and its
checks are an individual's record: the learner, their management chain and program
admins. The questions come without their answers except to program admins."""

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from tandem.accounts import policy
from tandem.api.errors import errors, raise_form_errors, refused, service_errors
from tandem.api.fields import patched, text
from tandem.api.pagination import Pages, RecordId
from tandem.training import access, forms, kirkpatrick, services
from tandem.training.models import (
    CheckAttempt,
    Course,
    CourseSession,
    LearningObjective,
    Question,
    Seat,
    SeatSource,
)

router = Router(tags=["training: courses"])

PhaseName = Literal["before", "after"]


def _form_or_422(form: Any) -> None:
    if not form.is_valid():
        raise_form_errors(form)


# Courses -----------------------------------------------------------------------------------


class LearningObjectiveOut(Schema):
    id: int
    title: str
    description: str
    competency_id: int | None
    order: int


class CourseOut(Schema):
    id: int
    title: str
    description: str
    program_id: int | None
    active: bool
    reinforce: bool
    desired_retention: float
    reinforce_weeks: int
    objectives: list[LearningObjectiveOut]

    @staticmethod
    def resolve_objectives(course: Course) -> list[LearningObjective]:
        return list(course.objectives.all())


class CourseIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    title: str = text(200, min_length=1)
    description: str = text(5000, default="")
    program_id: RecordId | None = None
    active: bool = True
    reinforce: bool = True
    desired_retention: float = Field(0.9, ge=0.7, le=0.97)
    reinforce_weeks: int = Field(26, ge=1, le=104)
    escalate_after_days: int = Field(42, ge=7, le=365)
    min_retention: float = Field(0.7, ge=0, le=1)
    min_practice_logs: int = Field(1, ge=0, le=50)


@router.get(
    "/training/courses",
    response={200: list[CourseOut], **errors(401, 422)},
    summary="Courses (learners: the active ones; admins: all)",
    operation_id="list_training_courses",
)
@paginate(Pages)
def list_courses(request: HttpRequest) -> Any:
    return access.courses_visible_to(request.user).prefetch_related("objectives")


@router.post(
    "/training/courses",
    response={201: CourseOut, **errors(400, 401, 403, 422)},
    summary="Create a course (program admins)",
    operation_id="create_training_course",
)
def create_course(request: HttpRequest, payload: CourseIn) -> Any:
    access.require_manager_of_courses(request.user)
    data = payload.dict()
    data["program"] = data.pop("program_id")
    form = forms.CourseForm(data)
    if not form.is_valid():
        raise_form_errors(form, field_names={"program": "program_id"})
    course = form.save(commit=False)
    course.created_by = request.user
    course.save()
    return Status(201, course)


@router.get(
    "/training/courses/{course_id}",
    response={200: CourseOut, **errors(401, 404, 422)},
    summary="A course with its objectives",
    operation_id="get_training_course",
)
def get_course(request: HttpRequest, course_id: RecordId) -> Any:
    return access.access_course(request.user, course_id)


class CoursePatch(Schema):
    """Only the fields sent change."""

    model_config = ConfigDict(strict=True, extra="forbid")

    title: str | None = text(200, min_length=1, default=None)
    description: str | None = text(5000, default=None)
    program_id: RecordId | None = None
    active: bool | None = None
    reinforce: bool | None = None
    desired_retention: float | None = Field(None, ge=0.7, le=0.97)
    reinforce_weeks: int | None = Field(None, ge=1, le=104)
    escalate_after_days: int | None = Field(None, ge=7, le=365)
    min_retention: float | None = Field(None, ge=0, le=1)
    min_practice_logs: int | None = Field(None, ge=0, le=50)


@router.patch(
    "/training/courses/{course_id}",
    response={200: CourseOut, **errors(400, 401, 403, 404, 422)},
    summary="Change a course (program admins): only the fields sent change",
    operation_id="update_training_course",
)
def update_course(request: HttpRequest, course_id: RecordId, payload: CoursePatch) -> Any:
    course = access.access_course(request.user, course_id, write=True)
    sent = payload.model_dump(exclude_unset=True)
    ids = {"program": "program_id"}
    data = patched(course, forms.CourseForm.Meta.fields, sent, nullable=ids, renamed=ids)
    form = forms.CourseForm(data, instance=course)
    if not form.is_valid():
        raise_form_errors(form, field_names=ids)
    return form.save()


class LearningObjectiveIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    title: str = text(200, min_length=1)
    description: str = text(5000, default="")
    competency_id: RecordId | None = None
    order: int = Field(0, ge=0, le=1000)


@router.post(
    "/training/courses/{course_id}/objectives",
    response={201: LearningObjectiveOut, **errors(400, 401, 403, 404, 422)},
    summary="Add a learning objective (program admins)",
    operation_id="create_training_objective",
)
def create_objective(
    request: HttpRequest, course_id: RecordId, payload: LearningObjectiveIn
) -> Any:
    course = access.access_course(request.user, course_id, write=True)
    data = payload.dict()
    data["competency"] = data.pop("competency_id")
    form = forms.ObjectiveForm(data, course=course)
    if not form.is_valid():
        raise_form_errors(form, field_names={"competency": "competency_id"})
    return Status(201, form.save())


class AuthoredQuestionOut(Schema):
    """With the answer: program admins only."""

    id: int
    objective_id: int
    kind: str
    prompt: str
    options: list[str]
    correct: int
    explanation: str
    active: bool


class CheckQuestionIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    objective_id: RecordId
    kind: Literal["multiple_choice", "scenario"] = "multiple_choice"
    prompt: str = text(2000, min_length=1)
    options: list[str] = Field(..., min_length=2, max_length=6)
    correct: int = Field(..., ge=1, le=6)
    explanation: str = text(2000, default="")
    active: bool = True


@router.get(
    "/training/courses/{course_id}/questions",
    response={200: list[AuthoredQuestionOut], **errors(401, 403, 404, 422)},
    summary="A course's knowledge-check questions with their answers (program admins)",
    operation_id="list_training_questions",
)
@paginate(Pages)
def list_questions(request: HttpRequest, course_id: RecordId) -> Any:
    course = access.access_course(request.user, course_id, write=True)
    return Question.objects.filter(objective__course=course).order_by("objective__order", "pk")


@router.post(
    "/training/courses/{course_id}/questions",
    response={201: AuthoredQuestionOut, **errors(400, 401, 403, 404, 422)},
    summary="Write a knowledge-check question (program admins)",
    operation_id="create_training_question",
)
def create_question(request: HttpRequest, course_id: RecordId, payload: CheckQuestionIn) -> Any:
    course = access.access_course(request.user, course_id, write=True)
    data = payload.dict()
    data["objective"] = data.pop("objective_id")
    data["options_text"] = "\n".join(option.replace("\n", " ") for option in data.pop("options"))
    form = forms.QuestionForm(data, course=course)
    if not form.is_valid():
        raise_form_errors(
            form, field_names={"objective": "objective_id", "options_text": "options"}
        )
    return Status(201, form.save())


# Sessions ----------------------------------------------------------------------------------


class CourseSessionOut(Schema):
    id: int
    course_id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    local_start: str = Field(description="Wall-clock start in the session's time zone")
    time_zone: str
    duration_minutes: int
    facilitator: str
    venue: str
    video_link: str
    capacity: int
    seats_left: int
    waitlist: int
    status: str
    uid: str
    sequence: int

    @staticmethod
    def resolve_local_start(session: CourseSession) -> str:
        return session.local_start.strftime("%Y-%m-%dT%H:%M")

    @staticmethod
    def resolve_facilitator(session: CourseSession) -> str:
        return session.facilitated_by

    @staticmethod
    def resolve_seats_left(session: CourseSession) -> int:
        taken = getattr(session, "seats_taken", None)
        if taken is None:
            taken = session.seats.enrolled().count()
        return max(session.capacity - taken, 0)

    @staticmethod
    def resolve_waitlist(session: CourseSession) -> int:
        waiting = getattr(session, "waiting", None)
        return waiting if waiting is not None else session.seats.waitlisted().count()


class CourseSessionIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    title: str = text(200, default="")
    starts_at: str = Field(
        ...,
        pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$",
        description="Wall-clock time in `time_zone`, without an offset: 2026-03-02T09:30",
    )
    time_zone: str = text(64, min_length=1)
    duration_minutes: int = Field(180, ge=15, le=480)
    facilitator_id: RecordId | None = None
    facilitator_name: str = text(200, default="")
    venue: str = text(300, default="")
    video_link: str = text(500, default="")
    capacity: int = Field(20, ge=1, le=1000)
    cohort_id: RecordId | None = None


SESSION_FIELD_NAMES = {"facilitator": "facilitator_id", "cohort": "cohort_id"}


@router.get(
    "/training/courses/{course_id}/sessions",
    response={200: list[CourseSessionOut], **errors(401, 404, 422)},
    summary="A course's sessions with seats left and the waitlist",
    operation_id="list_training_sessions",
)
@paginate(Pages)
def list_sessions(request: HttpRequest, course_id: RecordId) -> Any:
    course = access.access_course(request.user, course_id)
    return (
        access.sessions_visible_to(request.user)
        .filter(course=course)
        .with_counts()
        .order_by("starts_at", "pk")
    )


@router.post(
    "/training/courses/{course_id}/sessions",
    response={201: CourseSessionOut, **errors(400, 401, 403, 404, 422)},
    summary="Schedule a session (program admins)",
    operation_id="create_training_session",
)
def create_session(request: HttpRequest, course_id: RecordId, payload: CourseSessionIn) -> Any:
    course = access.access_course(request.user, course_id, write=True)
    data = payload.dict()
    data["facilitator"] = data.pop("facilitator_id")
    data["cohort"] = data.pop("cohort_id")
    form = forms.SessionForm(data, course=course)
    if not form.is_valid():
        raise_form_errors(form, field_names=SESSION_FIELD_NAMES)
    try:
        session = services.session_save(
            session=form.save(commit=False), changed=form.changed_data, by=request.user
        )
    except services.Refused as error:
        return refused(error)
    return Status(201, session)


@router.get(
    "/training/sessions/{session_id}",
    response={200: CourseSessionOut, **errors(401, 404, 422)},
    summary="A session",
    operation_id="get_training_session",
)
def get_session(request: HttpRequest, session_id: RecordId) -> Any:
    return access.access_session(request.user, session_id)


class SessionPatch(Schema):
    """Only the fields sent change. Moving the session (time, zone, length, place)
    re-sends the invitation to enrolled learners: same UID, higher SEQUENCE."""

    model_config = ConfigDict(strict=True, extra="forbid")

    title: str | None = text(200, default=None)
    starts_at: str | None = Field(
        None,
        pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$",
        description="Wall-clock time in the session's time zone, without an offset",
    )
    time_zone: str | None = text(64, min_length=1, default=None)
    duration_minutes: int | None = Field(None, ge=15, le=480)
    facilitator_id: RecordId | None = None
    facilitator_name: str | None = text(200, default=None)
    venue: str | None = text(300, default=None)
    video_link: str | None = text(500, default=None)
    capacity: int | None = Field(None, ge=1, le=1000)
    cohort_id: RecordId | None = None


@router.patch(
    "/training/sessions/{session_id}",
    response={200: CourseSessionOut, **errors(400, 401, 403, 404, 422)},
    summary="Change or move a session (program admins): learners get the update",
    operation_id="update_training_session",
)
def update_session(request: HttpRequest, session_id: RecordId, payload: SessionPatch) -> Any:
    session = access.access_session(request.user, session_id, write=True)
    data = patched(
        session,
        forms.SessionForm.Meta.fields,
        payload.model_dump(exclude_unset=True),
        nullable=SESSION_FIELD_NAMES,
        renamed=SESSION_FIELD_NAMES,
    )
    if "starts_at" not in payload.model_fields_set:
        data["starts_at"] = f"{session.local_start:%Y-%m-%dT%H:%M}"
    form = forms.SessionForm(data, instance=session, course=session.course)
    if not form.is_valid():
        raise_form_errors(form, field_names=SESSION_FIELD_NAMES)
    try:
        return services.session_save(
            session=form.save(commit=False), changed=form.changed_data, by=request.user
        )
    except services.Refused as error:
        return refused(error)


@router.post(
    "/training/sessions/{session_id}/cancel",
    response={200: CourseSessionOut, **errors(400, 401, 403, 404, 422)},
    summary="Cancel a session (program admins): enrolled learners get a CANCEL",
    operation_id="cancel_training_session",
)
def cancel_session(request: HttpRequest, session_id: RecordId) -> Any:
    session = access.access_session(request.user, session_id, write=True)
    try:
        return services.session_cancel(session=session, by=request.user)
    except services.Refused as error:
        return refused(error)


# Seats -------------------------------------------------------------------------------------


class SeatOut(Schema):
    id: int
    session_id: int
    person_id: int
    person_name: str
    status: str
    source: str
    requested_at: datetime
    attended: bool | None
    waitlist_position: int | None = Field(description="1 for the first in line")

    @staticmethod
    def resolve_person_name(seat: Seat) -> str:
        return seat.person.full_name

    @staticmethod
    def resolve_waitlist_position(seat: Seat) -> int | None:
        return services.waitlist_position(seat)


class SeatIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    person_id: RecordId | None = Field(
        None, description="Someone in your line (managers) or anyone (admins); yourself if empty"
    )


@router.get(
    "/training/seats",
    response={200: list[SeatOut], **errors(401, 422)},
    summary="Seats you may see: yours, your reports', your sessions' (admins: all)",
    operation_id="list_training_seats",
)
@paginate(Pages)
def list_seats(request: HttpRequest) -> Any:
    return access.seats_visible_to(request.user).order_by("-requested_at", "pk")


@router.get(
    "/training/sessions/{session_id}/seats",
    response={200: list[SeatOut], **errors(401, 403, 404, 422)},
    summary="A session's roster (program admins and the facilitator)",
    operation_id="list_training_session_seats",
)
@paginate(Pages)
def list_session_seats(request: HttpRequest, session_id: RecordId) -> Any:
    session = access.access_session(request.user, session_id, roster=True)
    return session.seats.select_related("person").order_by("status", "requested_at", "pk")


@router.post(
    "/training/sessions/{session_id}/seats",
    response={201: SeatOut, **errors(400, 401, 403, 404, 422)},
    summary="Enroll yourself, a report (managers) or anyone (admins); full means waitlisted",
    operation_id="create_training_seat",
)
def create_seat(request: HttpRequest, session_id: RecordId, payload: SeatIn) -> Any:
    session = access.access_session(request.user, session_id)
    me = policy.person_of(request.user)
    if payload.person_id is None or (me is not None and payload.person_id == me.pk):
        if me is None:
            raise service_errors(DjangoValidationError({"person_id": ["Choose a person."]}))
        person, source = me, SeatSource.SELF
    else:
        person = access.reports_of(request.user).filter(pk=payload.person_id).first()
        if person is None:
            if not access.can_enroll_others(request.user):
                raise PermissionDenied("Only managers and program admins enroll others.")
            raise service_errors(
                DjangoValidationError({"person_id": ["Not someone you may enroll."]})
            )
        source = SeatSource.PROGRAM if policy.is_program_admin(request.user) else SeatSource.MANAGER
    try:
        seat = services.seat_take(session=session, person=person, by=request.user, source=source)
    except services.Refused as error:
        return refused(error)
    return Status(201, seat)


@router.get(
    "/training/seats/{seat_id}",
    response={200: SeatOut, **errors(401, 404, 422)},
    summary="A seat, with its place on the waitlist",
    operation_id="get_training_seat",
)
def get_seat(request: HttpRequest, seat_id: RecordId) -> Any:
    return access.access_seat(request.user, seat_id)


@router.post(
    "/training/seats/{seat_id}/cancel",
    response={200: SeatOut, **errors(400, 401, 403, 404, 422)},
    summary="Give up a seat; the first on the waitlist gets it",
    operation_id="cancel_training_seat",
)
def cancel_seat(request: HttpRequest, seat_id: RecordId) -> Any:
    seat = access.access_seat(request.user, seat_id, write=True)
    try:
        services.seat_cancel(seat=seat, by=request.user)
    except services.Refused as error:
        return refused(error)
    return access.access_seat(request.user, seat_id)


class AttendanceItem(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    seat_id: RecordId
    attended: bool


class AttendanceIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    seats: list[AttendanceItem] = Field(..., min_length=1, max_length=1000)


@router.post(
    "/training/sessions/{session_id}/attendance",
    response={200: list[SeatOut], **errors(400, 401, 403, 404, 422)},
    summary="Record attendance (the facilitator or program admins); marks the session held",
    operation_id="record_training_attendance",
)
def record_attendance(request: HttpRequest, session_id: RecordId, payload: AttendanceIn) -> Any:
    session = access.access_session(request.user, session_id, roster=True)
    try:
        services.attendance_mark(
            session=session,
            attended={item.seat_id: item.attended for item in payload.seats},
            by=request.user,
        )
    except services.Refused as error:
        if hasattr(error, "error_dict"):
            raise service_errors(error, name=lambda _field: "seats") from None
        return refused(error)
    return list(session.seats.enrolled().select_related("person"))


# Reaction surveys and knowledge checks -----------------------------------------------------


class ReactionIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    relevance: int = Field(..., ge=1, le=5)
    engagement: int = Field(..., ge=1, le=5)
    intent_to_apply: int = Field(..., ge=1, le=5)
    comment: str = text(2000, default="")


class ReactionOut(Schema):
    seat_id: int
    relevance: int
    engagement: int
    intent_to_apply: int
    comment: str
    answered_at: datetime


@router.post(
    "/training/sessions/{session_id}/reaction",
    response={201: ReactionOut, **errors(400, 401, 403, 404, 422)},
    summary="Answer the reaction survey for your seat (after attending)",
    operation_id="submit_training_reaction",
)
def submit_reaction(request: HttpRequest, session_id: RecordId, payload: ReactionIn) -> Any:
    session = access.access_session(request.user, session_id)
    seat = access.access_own_seat(request.user, session)
    try:
        survey = services.reaction_submit(seat=seat, **payload.dict())
    except services.Refused as error:
        return refused(error)
    except DjangoValidationError as error:
        raise service_errors(error) from None
    return Status(201, survey)


class CheckQuestionOut(Schema):
    """Without the answer."""

    id: int
    objective_id: int
    objective: str
    kind: str
    prompt: str
    options: list[str]


class CheckOut(Schema):
    phase: PhaseName
    open: bool
    reason: str | None
    questions: list[CheckQuestionOut]


@router.get(
    "/training/sessions/{session_id}/checks/{phase}",
    response={200: CheckOut, **errors(401, 404, 422)},
    summary="The knowledge check before or after your session (questions without answers)",
    operation_id="get_training_check",
)
def get_check(request: HttpRequest, session_id: RecordId, phase: PhaseName) -> Any:
    session = access.access_session(request.user, session_id)
    seat = access.access_own_seat(request.user, session)
    reason = services.check_open(seat, phase)
    questions = services.check_questions(session) if reason is None else []
    return {
        "phase": phase,
        "open": reason is None,
        "reason": reason,
        "questions": [
            {
                "id": q.pk,
                "objective_id": q.objective_id,
                "objective": q.objective.title,
                "kind": q.kind,
                "prompt": q.prompt,
                "options": q.options,
            }
            for q in questions
        ],
    }


class CheckAnswerIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    question_id: RecordId
    chosen: int = Field(..., ge=1, le=6)


class CheckIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    answers: list[CheckAnswerIn] = Field(..., max_length=500)


class ObjectiveScore(Schema):
    objective_id: int
    score: float = Field(description="Share of right answers, 0 to 1")


class AttemptOut(Schema):
    id: int
    seat_id: int
    phase: PhaseName
    taken_at: datetime
    scores: list[ObjectiveScore]

    @staticmethod
    def resolve_scores(attempt: CheckAttempt) -> list[dict[str, Any]]:
        return [{"objective_id": k, "score": v} for k, v in sorted(attempt.scores().items())]


@router.post(
    "/training/sessions/{session_id}/checks/{phase}",
    response={201: AttemptOut, **errors(400, 401, 403, 404, 422)},
    summary="Submit your knowledge check: every question answered; scored per objective",
    operation_id="submit_training_check",
)
def submit_check(
    request: HttpRequest, session_id: RecordId, phase: PhaseName, payload: CheckIn
) -> Any:
    session = access.access_session(request.user, session_id)
    seat = access.access_own_seat(request.user, session)
    answers: dict[int, int] = {}
    for answer in payload.answers:
        if answer.question_id in answers:
            raise service_errors(
                DjangoValidationError({"answers": [f"Question {answer.question_id} twice."]})
            )
        answers[answer.question_id] = answer.chosen
    try:
        attempt = services.check_submit(seat=seat, phase=phase, answers=answers)
    except services.Refused as error:
        return refused(error)
    except DjangoValidationError as error:
        raise service_errors(
            error, within=("answers",), name=lambda key: key.removeprefix("question_")
        ) from None
    return Status(201, attempt)


@router.get(
    "/training/seats/{seat_id}/checks",
    response={200: list[AttemptOut], **errors(401, 404, 422)},
    summary="A seat's knowledge checks with the scores per objective",
    operation_id="list_training_seat_checks",
)
def list_seat_checks(request: HttpRequest, seat_id: RecordId) -> Any:
    seat = access.access_seat(request.user, seat_id)
    return list(seat.checks.prefetch_related("answers"))


# Kirkpatrick 1-2 summaries -----------------------------------------------------------------


class EstimateOut(Schema):
    n: int
    enough: bool
    value: float | None
    low: float | None
    high: float | None
    text: str


class GainOut(Schema):
    objective_id: int
    objective: str
    before: EstimateOut
    after: EstimateOut
    gain: EstimateOut


class SummaryOut(Schema):
    reaction: dict[str, EstimateOut]
    gains: list[GainOut]


def _estimate(estimate: Any, *, percent: bool = False, signed: bool = False) -> dict[str, Any]:
    return {
        "n": estimate.n,
        "enough": estimate.enough,
        "value": estimate.value,
        "low": estimate.low,
        "high": estimate.high,
        "text": estimate.format(percent=percent, signed=signed),
    }


def summary_out(summary: kirkpatrick.Summary) -> dict[str, Any]:
    return {
        "reaction": {name: _estimate(e) for name, e in summary.reaction.items()},
        "gains": [
            {
                "objective_id": g.objective.pk,
                "objective": g.objective.title,
                "before": _estimate(g.before, percent=True),
                "after": _estimate(g.after, percent=True),
                "gain": _estimate(g.gain, percent=True, signed=True),
            }
            for g in summary.gains
        ],
    }


@router.get(
    "/training/sessions/{session_id}/summary",
    response={200: SummaryOut, **errors(401, 403, 404, 422)},
    summary="Kirkpatrick 1-2 for a session (5 learners or more per figure)",
    operation_id="get_training_session_summary",
)
def session_summary(request: HttpRequest, session_id: RecordId) -> Any:
    session = access.access_session(request.user, session_id)
    if not (
        access.can_read_summaries(request.user) or access.is_facilitator(request.user, session)
    ):
        raise PermissionDenied("Summaries are for program admins, executives and the facilitator.")
    return summary_out(kirkpatrick.of_session(session))


@router.get(
    "/training/courses/{course_id}/summary",
    response={200: SummaryOut, **errors(401, 403, 404, 422)},
    summary="Kirkpatrick 1-2 over all of a course's sessions (5 learners or more per figure)",
    operation_id="get_training_course_summary",
)
def course_summary(request: HttpRequest, course_id: RecordId) -> Any:
    course = access.access_course(request.user, course_id)
    if not access.can_read_summaries(request.user):
        raise PermissionDenied("Summaries are for program admins and executives.")
    return summary_out(kirkpatrick.of_course(course))
