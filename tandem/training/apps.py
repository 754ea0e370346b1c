from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "tandem.training"
    label = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        # Each half of the app registers its own navigation, panels, demo and jobs.
        from tandem.training import course_hooks, reinforcement_hooks

        course_hooks.register()
        reinforcement_hooks.register()
