"""Registrations of the pipeline half: the monthly snapshot job, the plan page's
succession panel, the navigation (critical roles, the pipeline dashboard) and the demo
loader."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    import tandem.succession.pipeline_tasks  # noqa: F401  (registers the periodic job)
    from tandem.accounts import navigation
    from tandem.people.demo import register_demo_loader
    from tandem.programs import panels as plan_panels
    from tandem.succession import demo, pipeline_panels
    from tandem.succession import pipeline_access as access

    register_demo_loader(demo.load_succession, cleanup=demo.delete_succession)
    plan_panels.register(pipeline_panels.succession_plan_panel, column=plan_panels.SIDE)
    navigation.register(
        navigation.NavItem(
            _("Critical roles"),
            "succession:role-list",
            lambda user: access.manages_succession(user) or access.can_see_slates(user),
            order=81,
            description=_("Critical roles and their successor slates, ranked by readiness."),
        )
    )
    navigation.register(
        navigation.NavItem(
            _("Pipeline"),
            "succession:pipeline",
            access.sees_pipeline,
            order=82,
            description=_(
                "Bench strength, coverage, risk roles and the internal fill rate, and how "
                "they move."
            ),
        )
    )
