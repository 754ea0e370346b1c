"""Admin of one-on-one series and meetings (metadata only).

Who meets whom, how often, when, the status and counts: never the agenda text, the
shared notes, the next steps' text or anyone's private note. PrivateNote, AgendaItem
and NextStep have no admin at all. Everything is read-only: the pages and the API are
the only way to change a series or a meeting."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tandem.conversations.models import Meeting, OneOnOneSeries


class OneOnOneMetadataAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OneOnOneSeries)
class OneOnOneSeriesAdmin(OneOnOneMetadataAdmin):
    list_display = ["manager", "report", "cadence", "first_on", "active"]
    list_filter = ["cadence", "active"]
    list_select_related = ["manager", "report"]
    search_fields = ["manager__last_name", "report__last_name"]
    fields = readonly_fields = (
        "manager",
        "report",
        "cadence",
        "first_on",
        "starts_at",
        "duration_minutes",
        "time_zone",
        "active",
        "sequence",
        "created_at",
    )


@admin.register(Meeting)
class OneOnOneMeetingAdmin(OneOnOneMetadataAdmin):
    list_display = ["on", "series", "status", "agenda_count", "next_step_count"]
    list_filter = ["status"]
    date_hierarchy = "on"
    list_select_related = ["series__manager", "series__report"]
    fields = readonly_fields = (
        "series",
        "on",
        "status",
        "completed_at",
        "agenda_count",
        "next_step_count",
    )

    @admin.display(description="agenda items")
    def agenda_count(self, meeting: Meeting) -> int:
        return meeting.agenda.count()

    @admin.display(description="next steps")
    def next_step_count(self, meeting: Meeting) -> int:
        return meeting.next_steps.count()
