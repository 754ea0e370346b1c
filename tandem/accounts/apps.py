from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tandem.accounts"
    label = "accounts"
    verbose_name = "Accounts and access"

    def ready(self) -> None:
        from django.core import checks as system_checks

        from tandem.accounts import checks, tasks  # noqa: F401  (tasks registers periodic jobs)

        system_checks.register(checks.check_encryption_keys, system_checks.Tags.security)
