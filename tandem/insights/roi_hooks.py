"""Registrations of the roi part; called from hooks.py.

Nothing to register: the ROI inputs page has no navigation item of its own (the
impact pages link to it) and no periodic job (the figures are computed on reading)."""


def register() -> None:
    pass
