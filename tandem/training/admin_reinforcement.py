"""Reinforcement in the Django admin: practice challenges, cards (the schedule, edited
by FSRS only, so read-only), reviews (history, read-only), practice logs and flags."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tandem.training.models import Card, LearnerFlag, PracticeChallenge, PracticeLog, Review


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PracticeChallenge)
class PracticeChallengeAdmin(admin.ModelAdmin):
    list_display = ["prompt", "objective", "active"]
    list_filter = ["active", "objective__course"]
    search_fields = ["prompt"]
    raw_id_fields = ["objective"]


@admin.register(Card)
class CardAdmin(ReadOnlyAdmin):
    list_display = ["seat", "objective", "due", "reviews", "lapses", "retired"]
    list_filter = ["retired", "objective__course"]
    raw_id_fields = ["seat", "objective"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["card", "reviewed_at", "right", "rating", "due_after"]
    list_filter = ["rating", "right"]
    raw_id_fields = ["card", "question", "challenge"]


@admin.register(PracticeLog)
class PracticeLogAdmin(admin.ModelAdmin):
    list_display = ["person", "objective", "practiced_on", "confirmed_at"]
    list_filter = ["practiced_on"]
    raw_id_fields = ["person", "objective", "seat", "challenge", "confirmed_by"]
    search_fields = ["person__last_name", "what_i_did"]


@admin.register(LearnerFlag)
class LearnerFlagAdmin(admin.ModelAdmin):
    list_display = ["seat", "reason", "suggestion", "raised_at", "resolved_at"]
    list_filter = ["reason", "suggestion", "resolved_at"]
    raw_id_fields = ["seat"]
    readonly_fields = ["suggestion_reasons", "raised_at"]
