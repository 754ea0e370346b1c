"""Registrations of the impact part (navigation, jobs, panels); called from hooks.py."""


def register() -> None:
    pass
