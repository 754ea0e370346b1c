from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "tandem.assessments"
    label = "assessments"
    verbose_name = _("Assessments and 360 feedback")

    def ready(self) -> None:
        import tandem.assessments.tasks  # noqa: F401  (registers the 360 reminder and closing jobs)
        from tandem.accounts import navigation, policy
        from tandem.assessments import demo, plan_summary
        from tandem.assessments.views import plans
        from tandem.people.demo import register_demo_loader
        from tandem.programs import cycle, panels
        from tandem.programs import demo as programs_demo
        from tandem.programs.models import Stage

        register_demo_loader(demo.load_assessments, cleanup=demo.delete_assessments)
        # The demo's plans leave "assess" only with a self-assessment, like everyone's.
        programs_demo.register_stage_work(Stage.ASSESS, demo.take_self_assessment)

        # The development cycle: goals build on the assessment; the plan page shows it.
        cycle.register(Stage.ASSESS, plan_summary.assessment_done)
        panels.register(plans.assessment_panel, column=panels.MAIN)
        panels.register(plans.self_view_panel, column=panels.SIDE)

        navigation.register(
            navigation.NavItem(
                _("360 reviews"),
                "assessments:review-list",
                lambda user: policy.person_of(user) is not None or policy.is_program_admin(user),
                order=55,
                description=_(
                    "Anonymous feedback from your manager, peers and reports; your team's 360s."
                ),
            )
        )

        def is_person(user: object) -> bool:
            return policy.person_of(user) is not None

        navigation.register(
            navigation.NavItem(
                _("Self-assessment"),
                "assessments:self-list",
                is_person,
                order=60,
                description=_(
                    "Rate yourself on the leadership competencies, before and after a program."
                ),
            )
        )
        navigation.register(
            navigation.NavItem(
                _("Style profile"),
                "assessments:style-profile",
                is_person,
                order=65,
                description=_(
                    "Your default working style and how to flex it for people who differ."
                ),
            )
        )
