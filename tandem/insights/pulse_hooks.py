"""Registrations of the pulse part (navigation, jobs, panels); called from hooks.py."""


def register() -> None:
    pass
