"""Registrations of the conversations app: each part (one-on-ones, feedback, demo) adds
its navigation, panels and demo loader in its own hooks module."""


def register() -> None:
    from tandem.conversations import demo_hooks, feedback_hooks, oneonone_hooks

    oneonone_hooks.register()
    feedback_hooks.register()
    demo_hooks.register()
