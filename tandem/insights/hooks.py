"""Registrations of the insights app: each part (pulses, ROI, impact, demo) adds its
navigation, periodic jobs and demo loader in its own hooks module."""


def register() -> None:
    from tandem.insights import (
        demo_hooks,
        executives_hooks,
        habits_hooks,
        impact_hooks,
        pulse_hooks,
        roi_hooks,
    )

    pulse_hooks.register()
    roi_hooks.register()
    impact_hooks.register()
    habits_hooks.register()
    executives_hooks.register()
    demo_hooks.register()
