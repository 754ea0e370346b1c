"""Succession in the Django admin (the talent-review half): reviews with their
placements, and the box labels. Placements are individual ratings: only program
admins see them here, as on the pages. The pipeline half registers its own models
in `admin_pipeline`."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tandem.accounts import policy
from tandem.succession.models import BoxLabel, Placement, TalentReview


class PlacementInline(admin.TabularInline):
    model = Placement
    extra = 0
    fields = [
        "person",
        "performance",
        "potential",
        "rated_by",
        "calibrated_performance",
        "calibrated_potential",
        "calibration_note",
    ]
    raw_id_fields = ["person", "rated_by"]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policy.is_program_admin(request.user) and super().has_view_permission(request, obj)


@admin.register(TalentReview)
class TalentReviewAdmin(admin.ModelAdmin):
    list_display = ["name", "held_on", "org_unit", "status", "closed_at"]
    list_filter = ["status"]
    search_fields = ["name"]
    readonly_fields = ["created_at", "created_by"]
    inlines = [PlacementInline]


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ["person", "review", "performance", "potential", "calibrated_potential"]
    list_filter = ["review"]
    search_fields = ["person__last_name", "person__first_name", "person__employee_id"]
    raw_id_fields = ["person", "rated_by"]
    readonly_fields = ["calibrated_by", "calibrated_at"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return policy.is_program_admin(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policy.is_program_admin(request.user) and super().has_view_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policy.is_program_admin(request.user) and super().has_change_permission(request, obj)


@admin.register(BoxLabel)
class BoxLabelAdmin(admin.ModelAdmin):
    list_display = ["box", "label", "colour", "description"]


from tandem.succession import admin_pipeline  # noqa: E402, F401
