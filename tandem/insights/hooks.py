"""Registrations of the insights app: navigation, the periodic pulse job, the demo
loader. Each half (pulses, impact) adds its own below."""


def register() -> None:
    pass
