"""Admin for the matching half: settings, questions, the pools, runs (read-only: runs
are made and published through the app, where the rules are checked)."""

from django.contrib import admin

from tandem.mentoring.models import (
    MatchProposal,
    MatchRun,
    Mentee,
    Mentor,
    MentoringSettings,
    Question,
    Suggestion,
    UnmatchedMentee,
)


@admin.register(MentoringSettings)
class MentoringSettingsAdmin(admin.ModelAdmin):
    list_display = ["program", "format", "matching_mode", "objective", "default_capacity"]
    list_filter = ["format", "matching_mode", "objective"]
    raw_id_fields = ["program"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "program", "key", "kind", "weight", "order"]
    list_filter = ["kind"]
    search_fields = ["text", "key", "program__name"]
    raw_id_fields = ["program"]


@admin.register(Mentor)
class MentorAdmin(admin.ModelAdmin):
    list_display = ["person", "program", "capacity", "active", "answered_at"]
    list_filter = ["active"]
    search_fields = ["person__first_name", "person__last_name", "program__name"]
    raw_id_fields = ["program", "person"]


@admin.register(Mentee)
class MenteeAdmin(admin.ModelAdmin):
    list_display = ["person", "program", "answered_at", "intent_stated_at"]
    search_fields = ["person__first_name", "person__last_name", "program__name"]
    raw_id_fields = ["enrollment", "program", "person"]


class ProposalInline(admin.TabularInline):
    model = MatchProposal
    fields = readonly_fields = ("mentee", "mentor", "score", "locked", "edited_by_admin")
    extra = 0
    can_delete = False
    show_change_link = False


class UnmatchedInline(admin.TabularInline):
    model = UnmatchedMentee
    fields = readonly_fields = ("mentee", "reason")
    extra = 0
    can_delete = False


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    list_display = ["pk", "program", "status", "created_at", "finished_at", "published_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in MatchRun._meta.fields]
    inlines = [ProposalInline, UnmatchedInline]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["mentee", "mentor", "rank", "score", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["program", "mentee", "mentor"]
