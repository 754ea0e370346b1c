import json
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from tandem.assessments.models import (
    Instrument,
    Nomination,
    RaterInvitation,
    Review,
    SelfAssessment,
    StyleProfile,
    normalize_email,
)


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "version", "kind", "frozen_at"]
    list_filter = ["kind"]
    search_fields = ["key", "name"]
    readonly_fields = ["key", "version", "name", "kind", "frozen_at", "created_at"]
    fields = ["key", "version", "name", "kind", "frozen_at", "created_at", "document"]
    actions = ["save_as_new_version", "export_json"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.is_frozen:
            return [*self.readonly_fields, "document"]  # in use: edit as a new version
        return self.readonly_fields

    @admin.action(description="Save as a new version (to edit a frozen instrument)")
    def save_as_new_version(self, request: HttpRequest, queryset: QuerySet[Instrument]) -> None:
        for instrument in queryset:
            copy = instrument.new_version()
            self.message_user(request, f"Created {copy}.", messages.SUCCESS)

    @admin.action(description="Export as JSON")
    def export_json(self, request: HttpRequest, queryset: QuerySet[Instrument]) -> HttpResponse:
        documents = [instrument.document for instrument in queryset]
        body = documents[0] if len(documents) == 1 else documents
        response = HttpResponse(
            json.dumps(body, indent=2, ensure_ascii=False), content_type="application/json"
        )
        response["Content-Disposition"] = 'attachment; filename="instruments.json"'
        return response


class NominationFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        """Two rows of one review may not name one address in different cases (the
        database refuses it too; this says so next to the field, not as a 500)."""
        super().clean()
        seen: set[str] = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            email = normalize_email(form.cleaned_data.get("email") or "")
            if not email:
                continue
            if email in seen:
                form.add_error("email", _("%(email)s is already nominated.") % {"email": email})
            seen.add(email)


class NominationInline(admin.TabularInline):
    model = Nomination
    formset = NominationFormSet
    extra = 0
    raw_id_fields = ["person"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """Reviews and their rater lists. Answers (Response) are deliberately not in the
    admin: no screen shows one rater's answers, to anyone."""

    list_display = ["subject", "status", "closes_on", "created_at"]
    list_filter = ["status"]
    search_fields = ["subject__last_name", "subject__employee_id"]
    raw_id_fields = ["subject", "enrollment", "previous", "created_by", "approved_by"]
    inlines = [NominationInline]


@admin.register(RaterInvitation)
class RaterInvitationAdmin(admin.ModelAdmin):
    list_display = ["nomination", "expires_at", "sent_at", "submitted_at"]
    readonly_fields = ["nomination", "expires_at", "sent_at", "reminded_at", "submitted_at"]
    exclude = ["token_hash"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # invitations are issued when a review opens


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(admin.ModelAdmin):
    """The person's own answers are theirs; the admin shows only that one exists."""

    list_display = ["person", "instrument", "submitted_at"]
    fields = readonly_fields = ("person", "instrument", "enrollment", "submitted_at")
    raw_id_fields = ["person"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(StyleProfile)
class StyleProfileAdmin(admin.ModelAdmin):
    list_display = ["person", "style_key", "submitted_at"]
    fields = readonly_fields = ("person", "instrument", "style_key", "submitted_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
