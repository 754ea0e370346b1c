"""Registrations of the matching half (settings, questionnaires, match runs)."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from tandem.accounts import navigation
    from tandem.mentoring import access, demo
    from tandem.people.demo import register_demo_loader

    navigation.register(
        navigation.NavItem(
            _("Mentoring"),
            "mentoring:home",
            access.sees_mentoring,
            order=72,
            description=_(
                "Your mentor or mentees, the matching questionnaire, or the programs' matches."
            ),
        )
    )
    register_demo_loader(demo.load_mentoring, cleanup=demo.delete_mentoring)
