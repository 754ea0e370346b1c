"""Registrations of the matching half (settings, questionnaires, match runs)."""


def register() -> None:
    pass
