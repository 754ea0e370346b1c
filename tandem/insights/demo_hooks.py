"""Registers the insights demo loader (demo.py)."""


def register() -> None:
    pass
