from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tandem.accounts"
    label = "accounts"
    verbose_name = "Accounts and access"

    def ready(self) -> None:
        from django.core import checks as system_checks

        from tandem.accounts import checks, tasks  # noqa: F401  (tasks registers periodic jobs)

        system_checks.register(checks.check_encryption_keys, system_checks.Tags.security)

        from tandem.accounts import audit, navigation

        navigation.register(
            navigation.NavItem(
                _("Audit log"),
                "accounts:audit-log",
                audit.can_read_audit_log,
                order=900,
                description=_("Who read or changed which confidential record, with filters."),
            )
        )
