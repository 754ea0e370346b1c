from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "tandem.coaching"
    label = "coaching"
    verbose_name = _("Coaching")

    def ready(self) -> None:
        import tandem.coaching.tasks  # noqa: F401  (registers the periodic reminder job)
        from tandem.accounts import navigation, policy
        from tandem.accounts.calendar import register_event_source
        from tandem.coaching import access, calendar, demo, panels
        from tandem.people.demo import register_demo_loader
        from tandem.programs import panels as plan_panels

        register_demo_loader(demo.load_coaching, cleanup=demo.delete_coaching)
        plan_panels.register(panels.coaching_panel, column=plan_panels.SIDE)
        register_event_source(calendar.coaching_events)

        navigation.register(
            navigation.NavItem(
                _("Coaching"),
                "coaching:home",
                access.sees_coaching,
                order=70,
                description=_(
                    "Your coach and sessions, the people you coach, or the coach roster."
                ),
            )
        )
        navigation.register(
            navigation.NavItem(
                _("Journal"),
                "coaching:journal",
                lambda user: policy.person_of(user) is not None,
                order=75,
                description=_(
                    "Stop, look, choose: notice your automatic reactions and choose how to lead."
                ),
            )
        )
