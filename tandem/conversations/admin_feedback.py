"""Admin of feedback (metadata only: who, to whom, kind, when). What was said is never
shown here (feedback_access): the change pages are read-only and list no text."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tandem.conversations.models import Feedback, FeedbackRequest


class MetadataOnlyAdmin(admin.ModelAdmin):
    """Read-only: nobody adds, changes or reads the content through the admin."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Feedback)
class FeedbackAdmin(MetadataOnlyAdmin):
    list_display = ["giver", "recipient", "kind", "created_at"]
    list_filter = ["kind"]
    date_hierarchy = "created_at"
    fields = readonly_fields = ("giver", "recipient", "kind", "created_at")
    list_select_related = ["giver", "recipient"]
    search_fields = ["giver__last_name", "recipient__last_name"]


@admin.register(FeedbackRequest)
class FeedbackRequestAdmin(MetadataOnlyAdmin):
    list_display = ["requester", "asked", "declined", "created_at"]
    fields = readonly_fields = ("requester", "asked", "declined", "created_at")
    list_select_related = ["requester", "asked"]
