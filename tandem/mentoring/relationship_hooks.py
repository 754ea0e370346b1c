"""Registrations of the relationships half (relationships, meetings, check-ins, health):
the plan panel and the periodic jobs (expiry, check-ins, inactivity nudges). Its demo
data is written by the matching half's demo, through `demo_relationships.populate`,
after the match is published."""


def register() -> None:
    import tandem.mentoring.relationship_tasks  # noqa: F401  (registers the periodic jobs)
    from tandem.mentoring import relationship_panels
    from tandem.programs import panels as plan_panels

    plan_panels.register(relationship_panels.mentoring_panel, column=plan_panels.SIDE)
