"""Registrations of the course half (navigation, calendar feed, plan panel, jobs)."""


def register() -> None:
    pass
