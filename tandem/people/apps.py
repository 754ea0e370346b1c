from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "tandem.people"
    label = "people"
    verbose_name = "Organization"

    def ready(self) -> None:
        from tandem.accounts import navigation, policy

        navigation.register(
            navigation.NavItem(
                _("People"),
                "people:directory",
                policy.can_browse_people,
                order=20,
                description=_("Find people you work with: search, filter by unit and level."),
            )
        )
        navigation.register(
            navigation.NavItem(
                _("Org chart"),
                "people:org-chart",
                policy.can_read_organization,
                order=30,
                description=_("Browse the management tree and who reports to whom."),
            )
        )
        navigation.register(
            navigation.NavItem(
                _("Import people"),
                "people:import",
                policy.can_manage_organization,
                order=90,
                description=_("Load or update the organization from an HRIS export (CSV or XLSX)."),
            )
        )
