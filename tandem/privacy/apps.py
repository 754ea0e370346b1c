from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "tandem.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        import tandem.privacy.tasks  # noqa: F401  (registers the daily retention job)
        from tandem.accounts import navigation, policy

        navigation.register(
            navigation.NavItem(
                _("Privacy"),
                "privacy:index",
                policy.is_program_admin,
                order=95,
                description=_(
                    "Data-subject requests: export or erase a person; how long data is kept."
                ),
            )
        )
