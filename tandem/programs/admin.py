from django.contrib import admin

from tandem.programs.models import (
    ActionItem,
    CheckIn,
    Cohort,
    Competency,
    CostLine,
    DevelopmentPlan,
    Enrollment,
    Goal,
    LearningActivity,
    Measurement,
    Milestone,
    PlanComment,
    PlanCycle,
    PlanTemplate,
    Program,
    ReminderSent,
    SuccessCriterion,
)


class SuccessCriterionInline(admin.TabularInline):
    model = SuccessCriterion
    extra = 0


class CostLineInline(admin.TabularInline):
    model = CostLine
    extra = 0


class CohortInline(admin.TabularInline):
    model = Cohort
    extra = 0


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "status", "start_date", "end_date", "owner"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "description"]
    readonly_fields = ["status", "launched_at"]  # launching goes through the launch check
    raw_id_fields = ["owner"]
    inlines = [SuccessCriterionInline, CohortInline, CostLineInline]


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["person", "program", "cohort", "status", "enrolled_at"]
    list_filter = ["status", "program"]
    search_fields = ["person__last_name", "person__employee_id"]
    raw_id_fields = ["person", "cohort"]
    list_select_related = ["person", "program", "cohort"]


class PlanCycleInline(admin.TabularInline):
    model = PlanCycle
    extra = 0
    fields = ["number", "stage", "started_on", "closed_on", "outcome"]


@admin.register(DevelopmentPlan)
class DevelopmentPlanAdmin(admin.ModelAdmin):
    list_display = ["person", "enrollment", "created_at"]
    search_fields = ["person__last_name", "person__employee_id"]
    raw_id_fields = ["enrollment", "person", "template"]
    list_select_related = ["person", "enrollment__program"]
    inlines = [PlanCycleInline]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["title", "cycle", "objective", "due_date", "status", "progress"]
    list_filter = ["status"]
    search_fields = ["title"]
    raw_id_fields = ["cycle", "objective", "competency", "carried_from"]
    inlines = [MilestoneInline]


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    extra = 0
    raw_id_fields = ["owner", "plan"]


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ["plan", "held_on", "recorded_by"]
    raw_id_fields = ["plan", "cycle", "attendees", "recorded_by"]
    inlines = [ActionItemInline]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "due_date", "done_on"]
    list_filter = ["done_on"]
    raw_id_fields = ["plan", "checkin", "owner"]


admin.site.register(Competency, search_fields=["name"])
admin.site.register(PlanTemplate, list_display=["level", "title", "updated_at"])
admin.site.register(
    Measurement,
    list_display=["label", "kind", "value", "cycle"],
    raw_id_fields=["cycle", "competency"],
)
admin.site.register(
    LearningActivity, list_display=["modality", "description", "cycle"], raw_id_fields=["cycle"]
)
admin.site.register(
    PlanComment, list_display=["plan", "author", "created_at"], raw_id_fields=["plan", "author"]
)
admin.site.register(ReminderSent, list_display=["person", "sent_on"], raw_id_fields=["person"])
