"""Registrations of the reinforcement half: cards for each learner marked attended,
the periodic jobs (daily digest, flags, retiring cards), the home page's burst panel,
the plan's "apply" panel, and the admins' flag list in the navigation."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    import tandem.training.reinforcement_tasks  # noqa: F401  (registers the periodic jobs)
    from tandem.accounts import home, navigation
    from tandem.programs import panels as plan_panels
    from tandem.training import reinforcement, reinforcement_access, reinforcement_panels
    from tandem.training import services as course_services

    if reinforcement.cards_for_attendance not in course_services.on_attended:
        course_services.on_attended.append(reinforcement.cards_for_attendance)
    home.register(reinforcement_panels.burst_home_panel)
    plan_panels.register(reinforcement_panels.apply_plan_panel, column=plan_panels.SIDE)
    navigation.register(
        navigation.NavItem(
            _("Learner flags"),
            "training:flag-list",
            reinforcement_access.can_see_flags,
            order=75,
        )
    )
