import json
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from tandem.assessments.models import Instrument


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
