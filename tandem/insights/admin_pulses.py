"""Admin of pulses: the schedule settings, the pulses (their counts read-only) and the
invitations (read-only, without the token's hash and without whether the link was used:
the admin must not tell who answered). Pulse responses are never in the admin."""

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tandem.insights.models import Pulse, PulseInvitation, PulseSettings


@admin.register(PulseSettings)
class PulseSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "every_months", "open_days", "automatic"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not PulseSettings.objects.exists()  # one row

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Pulse)
class PulseAdmin(admin.ModelAdmin):
    """Pulses are created, opened and closed on the pulse pages (the workflows send
    the links and fix the anonymity cells); here they are read only."""

    list_display = ["name", "org_unit", "opens_on", "closes_on", "status", "invited", "answered"]
    list_filter = ["status"]
    search_fields = ["name"]
    fields = ["name", "org_unit", "opens_on", "closes_on", "status", "invited", "answered"]
    readonly_fields = ["name", "org_unit", "opens_on", "closes_on", "status", "invited", "answered"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Pulse]:
        return super().get_queryset(request).annotate(answered_count=Count("responses"))

    @admin.display(description=_("answered"))
    def answered(self, pulse: Pulse) -> int:
        return int(getattr(pulse, "answered_count", 0))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PulseInvitation)
class PulseInvitationAdmin(admin.ModelAdmin):
    list_display = ["person", "pulse", "expires_at"]
    list_filter = ["pulse"]
    search_fields = ["person__last_name", "person__email"]
    list_select_related = ["person", "pulse"]
    fields = ["pulse", "person", "expires_at"]
    readonly_fields = ["pulse", "person", "expires_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
