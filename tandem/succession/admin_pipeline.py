"""The pipeline half in the Django admin: critical roles with their slates, development
actions, openings and snapshots (the figures are written by the snapshot job only, so
read-only)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tandem.succession.models import (
    CriticalRole,
    DevelopmentAction,
    Opening,
    PipelineSnapshot,
    Successor,
)


class SuccessorInline(admin.TabularInline):
    model = Successor
    extra = 0
    raw_id_fields = ["person"]
    fields = ["rank", "person", "readiness", "note"]


@admin.register(CriticalRole)
class CriticalRoleAdmin(admin.ModelAdmin):
    list_display = ["title", "incumbent", "level", "impact_of_loss", "risk_of_loss", "active"]
    list_filter = ["active", "level", "risk_of_loss", "impact_of_loss"]
    search_fields = ["title", "incumbent__last_name"]
    raw_id_fields = ["incumbent", "org_unit"]
    inlines = [SuccessorInline]


@admin.register(DevelopmentAction)
class DevelopmentActionAdmin(admin.ModelAdmin):
    list_display = ["description", "successor", "kind", "due_on", "status"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["successor", "plan"]
    search_fields = ["description", "successor__person__last_name"]


@admin.register(Opening)
class OpeningAdmin(admin.ModelAdmin):
    list_display = ["title", "level", "opened_on", "filled_on", "source"]
    list_filter = ["source", "level"]
    raw_id_fields = ["role", "org_unit", "filled_by"]
    search_fields = ["title"]


@admin.register(PipelineSnapshot)
class PipelineSnapshotAdmin(admin.ModelAdmin):
    list_display = ["taken_on", "taken_at"]
    readonly_fields = ["taken_on", "figures", "taken_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
