"""What the coaching endpoints share: input types with bounds (so no input reaches the
database or the date arithmetic out of range) and how refusals are reported."""

import re
from datetime import date, datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Field, Schema
from ninja.errors import ValidationError
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from tandem.api.errors import service_errors
from tandem.api.fields import IsoDate

_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})")
EARLIEST, LATEST = 1970, 2200


def _iso_datetime(value: Any) -> Any:
    """An ISO 8601 date and time with its UTC offset (`2026-03-02T10:00:00+01:00`)."""
    if isinstance(value, str) and _ISO_DATETIME.fullmatch(value):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            if EARLIEST <= parsed.year <= LATEST:
                return parsed
    raise PydanticCustomError(
        "datetime_format",
        "Enter a date and time with its UTC offset, e.g. 2026-03-02T10:00:00+01:00, "
        "between 1970 and 2200.",
    )


IsoDateTime = Annotated[datetime, BeforeValidator(_iso_datetime)]
BoundedDate = Annotated[IsoDate, Field(ge=date(EARLIEST, 1, 1), le=date(LATEST, 12, 31))]
NOTE_MAX = 20_000


class CoachingPersonRef(Schema):
    id: int
    full_name: str


def field_errors(
    error: DjangoValidationError, names: dict[str, str] | None = None
) -> ValidationError:
    """A service's field-level refusal as a 422 naming the API's fields."""
    names = names or {}
    return service_errors(error, name=lambda field: names.get(field, field))
