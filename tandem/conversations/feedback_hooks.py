"""Registrations of the feedback part (navigation, panels); called from hooks.py."""


def register() -> None:
    pass
