"""Admin for the relationships half: metadata only. What is said in mentoring — the
goals, questions and answers, meeting topics, next steps and notes, check-in and
closing comments, whom the mentee was introduced to — is never shown here: those
fields are left out, and the models that hold nothing else (questions) have no admin.
Statuses change only through the workflows (accept, agree, close, exit), so they are
read-only here."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tandem.mentoring.models import CheckIn, ClosingSurvey, Introduction, Meeting, Relationship


class MetadataOnly(admin.ModelAdmin):
    """Read-only: the record is evidence of a workflow, changed only through it."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Relationship)
class RelationshipAdmin(MetadataOnly):
    list_display = ["mentee", "mentor", "program", "format", "status", "cadence", "proposed_at"]
    list_filter = ["status", "format", "via", "cadence", "outcome"]
    search_fields = ["mentee__last_name", "mentee__employee_id", "mentor__last_name"]
    list_select_related = ["mentee", "mentor", "program"]
    fields = (
        "program",
        "mentee",
        "mentor",
        "format",
        "status",
        "via",
        "score",
        "proposed_at",
        "expires_at",
        "mentee_accepted_at",
        "mentor_accepted_at",
        "declined_at",
        "declined_by",
        "cadence",
        "agreed_at",
        "activated_at",
        "closed_at",
        "closed_by",
        "outcome",
        "exit_reason",
        "rematch_requested",
        "last_nudged_at",
    )
    readonly_fields = fields  # type: ignore[assignment]


@admin.register(Meeting)
class MeetingAdmin(MetadataOnly):
    """When and how long; never the topics, the next step or anyone's notes."""

    list_display = ["held_on", "mentor", "program", "duration_minutes", "mode"]
    list_filter = ["mode"]
    date_hierarchy = "held_on"
    list_select_related = ["mentor", "program"]
    fields = ("program", "mentor", "held_on", "duration_minutes", "mode", "created_at")
    readonly_fields = fields  # type: ignore[assignment]


@admin.register(CheckIn)
class CheckInAdmin(MetadataOnly):
    """The ratings; never the comment."""

    list_display = [
        "relationship",
        "side",
        "due_on",
        "satisfaction",
        "goal_progress",
        "answered_at",
    ]
    list_filter = ["side"]
    fields = (
        "relationship",
        "side",
        "due_on",
        "satisfaction",
        "goal_progress",
        "frequency_ok",
        "answered_at",
    )
    readonly_fields = fields  # type: ignore[assignment]


@admin.register(ClosingSurvey)
class ClosingSurveyAdmin(MetadataOnly):
    """The ratings; never what changed."""

    list_display = ["relationship", "side", "satisfaction", "goals_met", "would_recommend"]
    list_filter = ["side", "would_recommend"]
    fields = (
        "relationship",
        "side",
        "satisfaction",
        "goals_met",
        "would_recommend",
        "submitted_at",
    )
    readonly_fields = fields  # type: ignore[assignment]


@admin.register(Introduction)
class IntroductionAdmin(MetadataOnly):
    """How many doors were opened, by kind and date; never to whom."""

    list_display = ["relationship", "kind", "happened_on"]
    list_filter = ["kind"]
    fields = ("relationship", "kind", "happened_on", "created_at")
    readonly_fields = fields  # type: ignore[assignment]
