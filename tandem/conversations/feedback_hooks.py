"""Registrations of the feedback part (navigation, panels); called from hooks.py."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from tandem.accounts import navigation
    from tandem.conversations import feedback_access

    navigation.register(
        navigation.NavItem(
            _("Feedback"),
            "conversations:feedback",
            feedback_access.sees_feedback,
            order=78,
            description=_("Give and ask for everyday feedback: situation, behaviour, impact."),
        )
    )
