"""The coach roster and suggestions under /api/v1/coaching. Anyone signed in reads the
active roster; the rate and the capacity show only to program admins and to the coach
themselves. Program admins add and change coaches."""

from decimal import Decimal
from typing import Annotated, Any, Literal

from django import forms
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.pagination import paginate
from pydantic import ConfigDict

from tandem.accounts import policy
from tandem.api.errors import errors, raise_form_errors
from tandem.api.fields import NO_NUL, text
from tandem.api.pagination import Pages, RecordId
from tandem.coaching import access, services, suggestions
from tandem.coaching.forms import CoachForm
from tandem.coaching.models import Coach, Engagement, language_choices
from tandem.people.api import EMAIL, LevelName, unchanged

router = Router(tags=["coaching: coaches"])

KindName = Literal["internal", "external"]
CertificationName = Literal["none", "other", "icf_acc", "icf_pcc", "icf_mcc"]
CoachStatusName = Literal["active", "paused"]
LanguageCode = Annotated[
    str, Field(min_length=2, max_length=7, pattern=r"^[a-z]{2,3}(-[a-z0-9]{2,4})?$")
]
Rate = Annotated[Decimal, Field(ge=0, le=Decimal("999999.99"), decimal_places=2, max_digits=8)]


def _viewer(context: Any) -> Any:
    return context["request"].user


class CoachOut(Schema):
    id: int
    name: str
    kind: KindName
    bio: str
    specialty_ids: list[int]
    specialties: list[str]
    certification: CertificationName
    languages: list[str]
    time_zone: str
    levels: list[LevelName]
    status: CoachStatusName
    capacity: int | None = Field(description="Program admins and the coach only")
    free_places: int | None = Field(description="Program admins and the coach only")
    hourly_rate: Decimal | None = Field(description="Program admins and the coach only")
    currency: str | None = Field(description="Program admins and the coach only")

    @staticmethod
    def resolve_specialty_ids(coach: Coach) -> list[int]:
        return [c.pk for c in sorted(coach.specialties.all(), key=lambda c: c.name)]

    @staticmethod
    def resolve_specialties(coach: Coach) -> list[str]:
        return sorted(c.name for c in coach.specialties.all())

    @staticmethod
    def resolve_capacity(coach: Coach, context: Any) -> int | None:
        return coach.capacity if access.sees_coach_terms(_viewer(context), coach) else None

    @staticmethod
    def resolve_free_places(coach: Coach, context: Any) -> int | None:
        if not access.sees_coach_terms(_viewer(context), coach):
            return None
        load = getattr(coach, "load", None)
        return max(0, coach.capacity - load) if load is not None else coach.free_places()

    @staticmethod
    def resolve_hourly_rate(coach: Coach, context: Any) -> Decimal | None:
        return coach.hourly_rate if access.sees_coach_terms(_viewer(context), coach) else None

    @staticmethod
    def resolve_currency(coach: Coach, context: Any) -> str | None:
        return coach.currency if access.sees_coach_terms(_viewer(context), coach) else None


def _coaches(user: Any) -> Any:
    return access.coaches_visible_to(user).with_load().prefetch_related("specialties")


class CoachIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    email: str = text(254, min_length=3, json_schema_extra=EMAIL)
    first_name: str = text(150, min_length=1)
    last_name: str = text(150, min_length=1)
    kind: KindName
    bio: str = text(4000, default="")
    specialty_ids: list[RecordId] = Field(default_factory=list, max_length=50)
    certification: CertificationName = "none"
    languages: list[LanguageCode] = Field(min_length=1, max_length=20)
    time_zone: str = text(64, default="UTC")
    levels: list[LevelName] = Field(default_factory=list, max_length=4)
    capacity: int = Field(5, ge=1, le=50)
    hourly_rate: Rate = Decimal("0")
    currency: str = text(3, min_length=3, default="EUR")
    status: CoachStatusName = "active"


class CoachPatch(Schema):
    """Only the fields sent change. The login's email is changed in the account."""

    model_config = ConfigDict(strict=True, extra="forbid")

    first_name: str = unchanged(min_length=1, max_length=150, pattern=NO_NUL)
    last_name: str = unchanged(min_length=1, max_length=150, pattern=NO_NUL)
    kind: KindName = unchanged()
    bio: str = unchanged(max_length=4000, pattern=NO_NUL)
    specialty_ids: list[RecordId] = unchanged(max_length=50)
    certification: CertificationName = unchanged()
    languages: list[LanguageCode] = unchanged(min_length=1, max_length=20)
    time_zone: str = unchanged(max_length=64, pattern=NO_NUL)
    levels: list[LevelName] = unchanged(max_length=4)
    capacity: int = unchanged(ge=1, le=50)
    hourly_rate: Rate = unchanged()
    currency: str = unchanged(min_length=3, max_length=3, pattern=NO_NUL)
    status: CoachStatusName = unchanged()


_FIELD_NAMES = {"specialties": "specialty_ids"}


def _form_data(values: dict[str, Any]) -> dict[str, Any]:
    data = dict(values)
    if "specialty_ids" in data:
        data["specialties"] = data.pop("specialty_ids")
    return data


@router.get(
    "/coaches",
    response={200: list[CoachOut], **errors(401, 422)},
    summary="The coach roster",
    operation_id="list_coaches",
)
@paginate(Pages)
def list_coaches(request: HttpRequest) -> Any:
    """Active coaches for everyone; paused ones too for program admins."""
    return _coaches(request.user).order_by("user__last_name", "user__first_name", "pk")


@router.get(
    "/coaches/{coach_id}",
    response={200: CoachOut, **errors(401, 404, 422)},
    summary="One coach",
    operation_id="get_coach",
)
def get_coach(request: HttpRequest, coach_id: RecordId) -> Any:
    access.access_coach(request.user, coach_id)
    return _coaches(request.user).get(pk=coach_id)


@router.post(
    "/coaches",
    response={201: CoachOut, **errors(400, 401, 403, 422)},
    summary="Add a coach to the roster (program admins)",
    operation_id="create_coach",
)
def create_coach(request: HttpRequest, payload: CoachIn) -> Any:
    """An existing login with the email becomes the coach; otherwise a login is made."""
    access.require_roster_admin(request.user)
    form = CoachForm(data=_form_data(payload.model_dump()))
    if not form.is_valid():
        raise_form_errors(form, field_names=_FIELD_NAMES)
    coach = services.coach_save(form=form, saved_by=request.user)
    return Status(201, _coaches(request.user).get(pk=coach.pk))


@router.patch(
    "/coaches/{coach_id}",
    response={200: CoachOut, **errors(400, 401, 403, 404, 422)},
    summary="Change a coach (program admins)",
    operation_id="update_coach",
)
def update_coach(request: HttpRequest, coach_id: RecordId, payload: CoachPatch) -> Any:
    coach = access.access_coach(request.user, coach_id, write=True)
    current = forms.models.model_to_dict(coach, fields=CoachForm.Meta.fields)
    current["specialties"] = [c.pk for c in coach.specialties.all()]
    current.update(
        email=coach.user.email, first_name=coach.user.first_name, last_name=coach.user.last_name
    )
    form = CoachForm(
        data={**current, **_form_data(payload.model_dump(exclude_unset=True))}, instance=coach
    )
    if not form.is_valid():
        raise_form_errors(form, field_names=_FIELD_NAMES)
    return _coaches(request.user).get(pk=services.coach_save(form=form, saved_by=request.user).pk)


class CoachSuggestionOut(Schema):
    coach: CoachOut
    score: float
    reasons: list[str]


class SuggestionFilter(Schema):
    coachee_id: RecordId | None = Field(
        None, description="Program admins: whom to suggest coaches for (default: yourself)"
    )
    language: str = Field("en", max_length=7, description="The language of the coaching")


@router.get(
    "/suggestions",
    response={200: list[CoachSuggestionOut], **errors(401, 403, 404, 422)},
    summary="Three coaches ranked by fit, each saying why",
    operation_id="suggest_coaches",
)
def suggest_coaches(request: HttpRequest, filters: Query[SuggestionFilter]) -> Any:
    """For the caller (a participant of a coaching or blended program), or for any
    person (program admins). Empty while the person has an open engagement."""
    user = request.user
    if filters.coachee_id is not None:
        coachee = access.access_coachee(user, filters.coachee_id)
    else:
        me = policy.person_of(user)
        if me is None:
            access.require_roster_admin(user)
            raise Http404("Name the coachee with coachee_id.")
        coachee = access.access_coachee(user, me.pk)
    languages = {code for code, _name in language_choices()}
    if filters.language not in languages:
        raise ValidationError(
            [
                {
                    "loc": ["query", "language"],
                    "msg": "Not a language code Tandem knows.",
                    "type": "invalid",
                }
            ]
        )
    if Engagement.objects.open().filter(coachee=coachee).exists():
        return []
    found = suggestions.suggest(coachee, viewer=user, language=filters.language)
    return [{"coach": s.coach, "score": s.score, "reasons": s.reasons} for s in found]
