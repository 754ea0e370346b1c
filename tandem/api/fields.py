"""Field helpers shared by the apps' input schemas."""

from typing import Any

from ninja import Field

# Text that PostgreSQL can store: no NUL characters.
NO_NUL = r"^[^\x00]*$"


def text(max_length: int, *, min_length: int = 0, default: Any = ..., **kwargs: Any) -> Any:
    """A text field of at most `max_length` characters, without NUL."""
    return Field(default, min_length=min_length, max_length=max_length, pattern=NO_NUL, **kwargs)
