"""Registrations of the habits part: the "My habits" menu entry for managers; called
from hooks.py."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from tandem.accounts import navigation
    from tandem.insights.views.habits import sees_habits

    navigation.register(
        navigation.NavItem(
            _("My habits"),
            "insights:habits",
            sees_habits,
            order=86,
            description=_("Your one-on-ones, next steps and feedback, and what your team says."),
        )
    )
