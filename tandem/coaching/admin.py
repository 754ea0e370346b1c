"""The Django admin for coaching: the roster, and engagements and sessions as
metadata only. What is said in coaching — session notes, takeaways, the text of next
steps, journal entries — is not registered here and never shown: those models have no
admin, and the next steps' admin lists who owns what by when, not what it says.
Workflows (pairing under the capacity rule, holding a session with a next step) run
on the pages and the API, so statuses are read-only here."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tandem.coaching.models import (
    ActionItem,
    ChemistryCall,
    Coach,
    Engagement,
    EngagementGoal,
    Evaluation,
    Session,
)


class MetadataOnly(admin.ModelAdmin):
    """Read-only: the record is evidence of a workflow, changed only through it."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Coach)
class CoachAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "certification", "capacity", "status", "hourly_rate"]
    list_filter = ["kind", "status", "certification"]
    search_fields = ["user__first_name", "user__last_name", "user__email"]
    raw_id_fields = ["user"]
    filter_horizontal = ["specialties"]
    list_select_related = ["user"]


class EngagementGoalInline(admin.TabularInline):
    model = EngagementGoal
    extra = 0
    raw_id_fields = ["plan_goal"]


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin):
    list_display = ["coachee", "coach", "status", "starts_on", "ends_on", "planned_sessions"]
    list_filter = ["status", "paired_via"]
    search_fields = ["coachee__last_name", "coachee__employee_id", "coach__user__last_name"]
    raw_id_fields = ["coach", "coachee", "sponsor", "plan", "paired_by"]
    list_select_related = ["coachee", "coach__user"]
    readonly_fields = [
        "status",
        "coach_accepted_at",
        "coachee_accepted_at",
        "paired_via",
        "paired_by",
        "created_at",
        "ended_at",
        "ended_by_party",
    ]
    inlines = [EngagementGoalInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # pairing goes through the capacity check (Coaching → Pair a coachee)


@admin.register(Session)
class SessionAdmin(MetadataOnly):
    list_display = ["starts_at", "engagement", "duration_minutes", "status", "rating"]
    list_filter = ["status"]
    date_hierarchy = "starts_at"
    list_select_related = ["engagement__coachee", "engagement__coach__user"]
    fields = [
        "engagement",
        "starts_at",
        "duration_minutes",
        "status",
        "closed_at",
        "rating",
        "rated_at",
        "created_at",
    ]


@admin.register(ActionItem)
class ActionItemAdmin(MetadataOnly):
    """Who owes a next step and by when; never what it says."""

    list_display = ["pk", "engagement", "owner", "due_date", "done_on"]
    list_filter = ["owner"]
    list_select_related = ["engagement__coachee", "engagement__coach__user"]
    fields = ["engagement", "session", "owner", "due_date", "done_on", "created_at"]


@admin.register(Evaluation)
class EvaluationAdmin(MetadataOnly):
    list_display = ["engagement", "party", "goals_rating", "value_rating", "submitted_at"]
    list_filter = ["party"]


@admin.register(ChemistryCall)
class ChemistryCallAdmin(MetadataOnly):
    list_display = ["coachee", "coach", "status", "created_at"]
    list_filter = ["status"]
