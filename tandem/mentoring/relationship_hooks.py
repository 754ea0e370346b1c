"""Registrations of the relationships half (relationships, meetings, check-ins, health)."""


def register() -> None:
    pass
