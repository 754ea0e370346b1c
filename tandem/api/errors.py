"""How the API reports errors: always JSON `{"detail": ...}`, field errors as a list
shaped like django-ninja's own validation errors, so clients parse one format.

Operations declare their error statuses with these schemas, so the OpenAPI document
says exactly what a client can get back:

    response={200: PersonOut, **errors(401, 404, 422)}
"""

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Schema, Status
from ninja.errors import ValidationError


class ErrorOut(Schema):
    detail: str


class FieldError(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: list[FieldError]


# 400: the body is not JSON; 401: no valid credentials; 403: not allowed (or a session
# request without its CSRF token); 404: no such record, or one the caller may not see.
_SIMPLE_ERRORS = frozenset({400, 401, 403, 404})


def errors(*statuses: int) -> dict[Any, type[Schema]]:
    """The `response` entries for these error statuses."""
    unknown = set(statuses) - _SIMPLE_ERRORS - {422}
    if unknown:
        raise ValueError(f"no error schema for {sorted(unknown)}")
    simple = frozenset(statuses) & _SIMPLE_ERRORS
    result: dict[Any, type[Schema]] = {simple: ErrorOut} if simple else {}
    if 422 in statuses:
        result[422] = ValidationErrorOut
    return result


def raise_form_errors(
    form: forms.BaseForm, *, field_names: Mapping[str, str] | None = None
) -> None:
    """Raise a 422 naming each invalid field, from a bound, invalid Django form.
    `field_names` maps a form field to its name in the API (`manager` → `manager_id`);
    map `NON_FIELD_ERRORS` to blame the field a whole-form rule is really about."""
    field_names = field_names or {}

    def location(field: str) -> list[str]:
        name = field_names.get(field, field)
        return ["body", "payload"] if name == NON_FIELD_ERRORS else ["body", "payload", name]

    raise ValidationError(
        [
            {
                "loc": location(field),
                "msg": " ".join(str(message) for message in error.messages),
                "type": error.code or "invalid",
            }
            for field, field_errors in form.errors.as_data().items()
            for error in field_errors
        ]
    )


def conflict_error(field: str, message: str) -> ValidationError:
    """A 422 for a rule the database enforces, named after the API field."""
    return ValidationError([{"loc": ["body", "payload", field], "msg": message, "type": "unique"}])


def refused(error: DjangoValidationError) -> Status:
    """A step the service refuses as a whole (not a field's value): a 400."""
    return Status(400, {"detail": " ".join(error.messages)})


def service_errors(
    error: DjangoValidationError,
    *,
    within: Sequence[str | int] = (),
    name: Callable[[str], str] | None = None,
) -> ValidationError:
    """A service's refusal as a 422 in the API's format: each field's messages at that
    field's name in the payload (`name` maps the service's name to the API's), under
    `within`; a refusal of the whole request at the payload (or `within`) itself."""
    where: list[str | int] = ["body", "payload", *within]
    if not hasattr(error, "error_dict"):
        return ValidationError([{"loc": where, "msg": " ".join(error.messages), "type": "refused"}])
    rename = name or (lambda field: field)
    return ValidationError(
        [
            {"loc": [*where, rename(field)], "msg": " ".join(messages), "type": "refused"}
            for field, messages in error.message_dict.items()
        ]
    )
