"""How the API reports errors: always JSON `{"detail": ...}`, field errors as a list
shaped like django-ninja's own validation errors, so clients parse one format."""

from typing import Any

from django import forms
from ninja import Schema
from ninja.errors import ValidationError


class ErrorOut(Schema):
    detail: Any


def raise_form_errors(form: forms.BaseForm) -> None:
    """Raise a 422 naming each invalid field, from a bound, invalid Django form."""
    errors = [
        {
            "loc": ["body", field if field != "__all__" else "payload"],
            "msg": str(message),
            "type": "value_error",
        }
        for field, messages in form.errors.items()
        for message in messages
    ]
    raise ValidationError(errors)


FORM_ERRORS = frozenset({422})
NOT_FOUND = frozenset({401, 404})
