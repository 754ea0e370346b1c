"""Training in the Django admin: courses with their objectives, sessions with their
seats, questions; reaction surveys read-only (learners answer them, nobody edits them)."""

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from tandem.training.models import (
    Course,
    CourseSession,
    LearningObjective,
    Question,
    ReactionSurvey,
    Seat,
)


class ObjectiveInline(admin.TabularInline):
    model = LearningObjective
    extra = 0
    fields = ["order", "title", "competency"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "program", "active", "reinforce", "desired_retention"]
    list_filter = ["active", "reinforce", "program"]
    search_fields = ["title"]
    inlines = [ObjectiveInline]


class SeatInline(admin.TabularInline):
    model = Seat
    extra = 0
    fields = ["person", "status", "source", "requested_at", "attended"]
    readonly_fields = ["requested_at"]
    raw_id_fields = ["person"]


@admin.register(CourseSession)
class CourseSessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "course", "starts_at", "time_zone", "capacity", "status"]
    list_filter = ["status", "course"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["facilitator"]
    readonly_fields = ["uid", "sequence", "held_at"]
    inlines = [SeatInline]
    # A link typed without a scheme is a web address (Django 6's default, stated now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "objective", "kind", "active"]
    list_filter = ["kind", "active", "objective__course"]
    search_fields = ["prompt"]


@admin.register(ReactionSurvey)
class ReactionSurveyAdmin(admin.ModelAdmin):
    list_display = ["seat", "relevance", "engagement", "intent_to_apply", "answered_at"]
    readonly_fields = [
        "seat",
        "relevance",
        "engagement",
        "intent_to_apply",
        "comment",
        "answered_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


from tandem.training import admin_reinforcement  # noqa: E402, F401  (the reinforcement half)
