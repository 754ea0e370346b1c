from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "tandem.mentoring"
    label = "mentoring"
    verbose_name = _("Mentoring")

    def ready(self) -> None:
        # Each half of the app registers its own navigation, panels, demo and jobs.
        from tandem.mentoring import matching_hooks, relationship_hooks

        matching_hooks.register()
        relationship_hooks.register()
