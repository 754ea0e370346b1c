"""Registrations of the habits part; called from hooks.py."""


def register() -> None:
    pass
