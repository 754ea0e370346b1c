"""Registrations of the talent-review half (navigation)."""


def register() -> None:
    pass
