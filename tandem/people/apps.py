from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "tandem.people"
    label = "people"
    verbose_name = "Organization"

    def ready(self) -> None:
        from tandem.accounts import navigation, policy

        navigation.register(
            navigation.NavItem(_("People"), "people:directory", policy.can_browse_people, order=20)
        )
        navigation.register(
            navigation.NavItem(
                _("Org chart"), "people:org-chart", policy.can_read_organization, order=30
            )
        )
        navigation.register(
            navigation.NavItem(
                _("Import people"), "people:import", policy.can_manage_organization, order=90
            )
        )
