"""Registers the conversations demo loader (demo.py)."""


def register() -> None:
    pass
