"""Registrations of the pipeline half: the monthly snapshot job, the plan page's
succession panel and the demo loader. Its pages are reached from the succession page
(one menu entry for the whole app)."""


def register() -> None:
    import tandem.succession.pipeline_tasks  # noqa: F401  (registers the periodic job)
    from tandem.mentoring import talent as mentoring_talent
    from tandem.people.demo import register_demo_loader
    from tandem.programs import panels as plan_panels
    from tandem.succession import demo, pipeline, pipeline_panels

    register_demo_loader(demo.load_succession, cleanup=demo.delete_succession)
    # Mentoring programs that match high potentials first ask succession who they are.
    mentoring_talent.register(pipeline.high_potential_ids)
    plan_panels.register(pipeline_panels.succession_plan_panel, column=plan_panels.SIDE)
