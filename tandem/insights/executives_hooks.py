"""Registrations of the executives part: its menu entry, for program admins and
executive viewers (`insights.access.sees_impact`); called from hooks.py."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from tandem.accounts import navigation
    from tandem.insights import access

    navigation.register(
        navigation.NavItem(
            _("Executives"),
            "insights:executives",
            access.sees_impact,
            order=87,
            description=_(
                "How many senior executives sponsor, mentor, are coached, hold "
                "one-on-ones and join talent reviews."
            ),
        )
    )
