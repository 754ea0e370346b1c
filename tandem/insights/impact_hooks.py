"""Registrations of the impact part: its menu entry, for program admins and executive
viewers (`insights.access.sees_impact`); called from hooks.py."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from tandem.accounts import navigation
    from tandem.insights import access

    navigation.register(
        navigation.NavItem(
            _("Impact"),
            "insights:impact",
            access.sees_impact,
            order=85,
            description=_(
                "Did the programs work? Criteria against targets, isolated effects, "
                "retention and ROI."
            ),
        )
    )
