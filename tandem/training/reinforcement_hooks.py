"""Registrations of the reinforcement half (periodic jobs, home and plan panels)."""


def register() -> None:
    pass
