"""Registrations of the talent-review half: the one menu entry of the app."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from tandem.accounts import navigation
    from tandem.succession import access, pipeline_access

    navigation.register(
        navigation.NavItem(
            _("Succession"),
            "succession:review-list",
            lambda user: (
                access.sees_reviews(user)
                or pipeline_access.can_see_slates(user)
                or pipeline_access.sees_pipeline(user)
            ),
            order=80,
            description=_(
                "Talent reviews and the 9-box, critical roles and their successor slates, "
                "and the leadership pipeline."
            ),
        )
    )
