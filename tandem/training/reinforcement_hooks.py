"""Registrations of the reinforcement half: cards for each learner marked attended,
the periodic jobs (daily digest, flags, retiring cards), the home page's burst panel
and the plan's "apply" panel. The admins' flag list is linked from the training page."""


def register() -> None:
    import tandem.training.reinforcement_tasks  # noqa: F401  (registers the periodic jobs)
    from tandem.accounts import home
    from tandem.programs import panels as plan_panels
    from tandem.training import reinforcement, reinforcement_panels
    from tandem.training import services as course_services

    if reinforcement.cards_for_attendance not in course_services.on_attended:
        course_services.on_attended.append(reinforcement.cards_for_attendance)
    home.register(reinforcement_panels.burst_home_panel)
    plan_panels.register(reinforcement_panels.apply_plan_panel, column=plan_panels.SIDE)
