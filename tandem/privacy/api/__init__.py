"""/api/v1/privacy: data-subject export, erasure and retention (program admins).

The same access helpers, forms and services as the pages (`privacy.views`,
`privacy.forms`, `privacy.services`); the export withholds confidential text here too."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from tandem.api.errors import errors, raise_form_errors, service_errors
from tandem.api.fields import NO_NUL
from tandem.api.pagination import RecordId
from tandem.privacy import services
from tandem.privacy.forms import ErasureForm, RetentionForm
from tandem.privacy.models import MAX_MONTHS, RetentionSettings
from tandem.privacy.views import access_subject, client_ip, require_privacy_admin

router = Router(tags=["privacy"])


class ErasureIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    confirm_name: str = Field(
        ..., min_length=1, max_length=201, pattern=NO_NUL, description="The person's full name."
    )


class ErasureOut(Schema):
    person_id: int
    pseudonym: str
    changed: dict[str, int]


Months = Field(..., ge=0, le=MAX_MONTHS)


class RetentionIO(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    rater_tokens_months: int = Months
    raw_survey_answers_months: int = Months
    audit_log_months: int = Months


@router.get(
    "/privacy/people/{person_id}/export",
    response={200: dict[str, Any], **errors(401, 403, 404, 422)},
    summary="Everything held about a person, for a data-subject request (program admins)",
    description=(
        "Confidential text (coaching notes, journal, private notes) is withheld and no "
        "rater's individual answers are included. Every export is audited."
    ),
    operation_id="export_person_data",
)
def export_person(request: HttpRequest, person_id: RecordId) -> Any:
    person = access_subject(request.user, person_id)
    return services.person_export(person=person, actor=request.user, ip=client_ip(request))


@router.post(
    "/privacy/people/{person_id}/erase",
    response={200: ErasureOut, **errors(400, 401, 403, 404, 422)},
    summary="Erase a person, keeping figures valid (program admins; cannot be undone)",
    operation_id="erase_person",
)
def erase_person(request: HttpRequest, person_id: RecordId, payload: ErasureIn) -> Any:
    person = access_subject(request.user, person_id)
    form = ErasureForm(payload.dict(), person=person)
    if not form.is_valid():
        raise_form_errors(form)
    try:
        erasure = services.person_erase(person=person, actor=request.user, ip=client_ip(request))
    except DjangoValidationError as error:  # already erased
        raise service_errors(error) from None
    return {
        "person_id": erasure.person_id,
        "pseudonym": erasure.pseudonym,
        "changed": erasure.changed,
    }


@router.get(
    "/privacy/retention",
    response={200: RetentionIO, **errors(401, 403)},
    summary="The retention settings (program admins)",
    operation_id="get_retention_settings",
)
def get_retention(request: HttpRequest) -> Any:
    require_privacy_admin(request.user)
    return RetentionSettings.current()


@router.put(
    "/privacy/retention",
    response={200: RetentionIO, **errors(400, 401, 403, 422)},
    summary="Change the retention settings (program admins; 0 keeps forever)",
    operation_id="set_retention_settings",
)
def set_retention(request: HttpRequest, payload: RetentionIO) -> Any:
    require_privacy_admin(request.user)
    form = RetentionForm(payload.dict(), instance=RetentionSettings.current())
    if not form.is_valid():
        raise_form_errors(form)
    return form.save()
