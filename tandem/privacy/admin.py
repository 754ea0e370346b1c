"""The retention settings in the Django admin (one row, never added twice or deleted),
and export and erasure as actions on the people list."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.exceptions import NotRegistered
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tandem.people.models import Person
from tandem.privacy.models import RetentionSettings


@admin.register(RetentionSettings)
class RetentionSettingsAdmin(admin.ModelAdmin):
    fields = ["rater_tokens_months", "raw_survey_answers_months", "audit_log_months", "updated_at"]
    readonly_fields = ["updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not RetentionSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# The person's admin page reaches export and erasure through actions. Each leads to the
# privacy pages, which check the user is a program admin, audit the export and ask
# for the typed name before erasing: the admin gets no shortcut around either.


def _one_person(modeladmin: Any, request: HttpRequest, queryset: Any) -> Person | None:
    if queryset.count() != 1:
        modeladmin.message_user(
            request, _("Select exactly one person for this action."), level=messages.WARNING
        )
        return None
    return queryset.get()


@admin.action(description=_("Download the data-subject export (privacy)"))
def export_person(modeladmin: Any, request: HttpRequest, queryset: Any) -> Any:
    person = _one_person(modeladmin, request, queryset)
    if person is None:
        return None
    return HttpResponseRedirect(reverse("privacy:person-export", args=[person.pk]))


@admin.action(description=_("Erase this person… (privacy)"))
def erase_person(modeladmin: Any, request: HttpRequest, queryset: Any) -> Any:
    person = _one_person(modeladmin, request, queryset)
    if person is None:
        return None
    return HttpResponseRedirect(reverse("privacy:person-erase", args=[person.pk]))


def _add_person_actions() -> None:
    try:
        person_admin = admin.site.get_model_admin(Person)
    except NotRegistered:
        return
    known = list(person_admin.actions or [])
    person_admin.actions = [*known, *(a for a in (export_person, erase_person) if a not in known)]


_add_person_actions()
