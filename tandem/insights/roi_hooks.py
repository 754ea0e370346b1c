"""Registrations of the roi part (navigation, jobs, panels); called from hooks.py."""


def register() -> None:
    pass
