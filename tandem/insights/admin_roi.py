"""Admin of ROI inputs (salary bands, impact settings, benefit lines, intangibles):
program admins only, as on the pages (a staff member without the role sees nothing)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tandem.insights.access import manages_impact
from tandem.insights.models import BenefitLine, ImpactSettings, Intangible, SalaryBand


class ProgramAdminsOnly(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return manages_impact(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return manages_impact(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return manages_impact(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return manages_impact(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return manages_impact(request.user) and super().has_delete_permission(request, obj)


@admin.register(SalaryBand)
class SalaryBandAdmin(ProgramAdminsOnly):
    list_display = ["level", "annual_midpoint"]


@admin.register(ImpactSettings)
class ImpactSettingsAdmin(ProgramAdminsOnly):
    list_display = ["program", "loaded_hourly_cost", "replacement_cost_percent", "benefit_months"]
    list_select_related = ["program"]
    raw_id_fields = ["program"]


@admin.register(BenefitLine)
class BenefitLineAdmin(ProgramAdminsOnly):
    list_display = [
        "description",
        "program",
        "value",
        "attribution_percent",
        "confidence_percent",
        "estimator",
    ]
    list_filter = ["program"]
    list_select_related = ["program"]
    search_fields = ["description", "estimator"]
    raw_id_fields = ["program"]


@admin.register(Intangible)
class IntangibleAdmin(ProgramAdminsOnly):
    list_display = ["description", "program", "evidence"]
    list_filter = ["program"]
    list_select_related = ["program"]
    search_fields = ["description"]
    raw_id_fields = ["program"]
