"""Registrations of the executives part; called from hooks.py."""


def register() -> None:
    pass
