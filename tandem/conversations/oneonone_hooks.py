"""Registrations of the oneonone part (navigation, panels); called from hooks.py."""


def register() -> None:
    pass
