"""Field helpers shared by the apps' input schemas, and the form data of a PATCH."""

import re
from collections.abc import Collection, Mapping
from datetime import date
from typing import Annotated, Any

from django.db.models import Model
from django.forms.models import model_to_dict
from ninja import Field
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> Any:
    """Dates are JSON strings `YYYY-MM-DD` and nothing else (no timestamps, no week dates)."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError("date_format", "Enter a real date as YYYY-MM-DD.")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]

# Text that PostgreSQL can store: no NUL characters.
NO_NUL = r"^[^\x00]*$"


def text(max_length: int, *, min_length: int = 0, default: Any = ..., **kwargs: Any) -> Any:
    """A text field of at most `max_length` characters, without NUL."""
    return Field(default, min_length=min_length, max_length=max_length, pattern=NO_NUL, **kwargs)


def patched(
    instance: Model,
    fields: list[str],
    sent: Mapping[str, Any],
    *,
    nullable: Collection[str] = (),
    renamed: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The form data for changing `instance` by a PATCH: its current values of `fields`
    with the values `sent` over them. A value sent as null changes only a field in
    `nullable` (it clears it); `renamed` maps form field names to the API's names
    (e.g. {"program": "program_id"})."""
    to_field = {api: field for field, api in (renamed or {}).items()}
    data = model_to_dict(instance, fields=fields)
    for api_name, value in sent.items():
        name = to_field.get(api_name, api_name)
        if value is not None or name in nullable:
            data[name] = value
    return {k: ("" if v is None else v) for k, v in data.items()}
