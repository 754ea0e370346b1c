"""Registrations of the oneonone part (navigation, panels); called from hooks.py."""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tandem.accounts.home import HomePanel


def next_oneonone_panel(request: HttpRequest) -> HomePanel | None:
    """The signed-in person's next 1:1 (the earliest next date of their running series)."""
    from tandem.conversations import oneonone_access as access
    from tandem.conversations import oneonones

    if not access.sees_oneonones(request.user):
        return None
    upcoming = []
    for series in access.series_visible_to(request.user).active():
        day = oneonones.next_planned_date(series)
        if day is not None:
            upcoming.append((day, series.pk, series))
    if not upcoming:
        return None
    day, _pk, series = min(upcoming, key=lambda row: (row[0], row[1]))
    other = series.report if access.role_in(request.user, series) == "manager" else series.manager
    return HomePanel(
        "conversations/oneonone_home_panel.html",
        {"next_oneonone": {"series": series, "on": day, "with": other}},
    )


def register() -> None:
    from tandem.accounts import home, navigation
    from tandem.accounts.calendar import register_event_source
    from tandem.conversations import calendar
    from tandem.conversations import oneonone_access as access

    navigation.register(
        navigation.NavItem(
            _("1:1s"),
            "conversations:oneonones",
            access.sees_oneonones,
            order=65,
            description=_("Your regular one-on-ones: a shared agenda, notes and next steps."),
        )
    )
    home.register(next_oneonone_panel)
    register_event_source(calendar.oneonone_events)
