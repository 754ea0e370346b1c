"""Registrations of the talent-review half (navigation)."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from tandem.accounts import navigation
    from tandem.succession import access

    navigation.register(
        navigation.NavItem(
            _("Succession"),
            "succession:review-list",
            access.sees_reviews,
            order=80,
            description=_(
                "Talent reviews and the 9-box: rate your people's performance and potential, "
                "calibrate, and see how the bench moves."
            ),
        )
    )
