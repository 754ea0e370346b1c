"""Registrations of the pulse part (navigation, jobs, panels); called from hooks.py."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    import tandem.insights.pulse_tasks  # noqa: F401  (registers the periodic job)
    from tandem.accounts import navigation
    from tandem.insights import access

    navigation.register(
        navigation.NavItem(
            _("Pulses"),
            "insights:pulse-list",
            lambda user: access.sees_impact(user) or access.led_team(user) is not None,
            order=86,
            description=_(
                "Engagement pulses: a short anonymous survey to whole teams, with the "
                "engagement index and eNPS by team and over time."
            ),
        )
    )
