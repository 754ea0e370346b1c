from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuccessionConfig(AppConfig):
    name = "tandem.succession"
    label = "succession"
    verbose_name = _("Succession")

    def ready(self) -> None:
        # Each half registers its own navigation, panels and jobs.
        from tandem.succession import pipeline_hooks, review_hooks

        review_hooks.register()
        pipeline_hooks.register()
