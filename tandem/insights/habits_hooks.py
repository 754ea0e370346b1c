"""Registrations of the habits part: the "My team and coaching habits" menu entry for
managers; called from hooks.py."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from tandem.accounts import navigation
    from tandem.insights.views.habits import sees_habits

    navigation.register(
        navigation.NavItem(
            _("My team and coaching habits"),
            "insights:habits",
            sees_habits,
            order=86,
            description=_(
                "Your direct reports' 1:1s and next steps, the feedback you give, "
                "and what your team says."
            ),
        )
    )
