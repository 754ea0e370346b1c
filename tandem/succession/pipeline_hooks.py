"""Registrations of the pipeline half (periodic snapshots, plan panel)."""


def register() -> None:
    pass
