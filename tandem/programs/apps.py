from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "tandem.programs"
    label = "programs"
    verbose_name = _("Programs and development plans")

    def ready(self) -> None:
        import tandem.programs.tasks  # noqa: F401  (registers the periodic reminder job)
        from tandem.accounts import navigation, policy
        from tandem.people.demo import register_demo_loader
        from tandem.programs import access, demo

        register_demo_loader(demo.load_programs, cleanup=demo.delete_programs)

        navigation.register(
            navigation.NavItem(
                _("My plan"),
                "programs:my-plans",
                lambda user: (
                    access.plans_visible_to(user).filter(person=policy.person_of(user)).exists()
                ),
                order=10,
                description=_(
                    "Your development plan: where you are in the cycle and what is next."
                ),
            )
        )
        navigation.register(
            navigation.NavItem(
                _("My team"),
                "programs:team",
                lambda user: "manager" in policy.roles_of(user),
                order=15,
                description=_("Your team's development plans, check-ins and overdue steps."),
            )
        )
        navigation.register(
            navigation.NavItem(
                _("Programs"),
                "programs:program-list",
                policy.is_program_admin,
                order=40,
                description=_("Design programs, define success criteria, enroll people."),
            )
        )
        navigation.register(
            navigation.NavItem(
                _("Advisor"),
                "programs:advisor",
                policy.can_read_organization,
                order=50,
                description=_(
                    "Training, mentoring or coaching? A recommendation with its reasons."
                ),
            )
        )
