from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tandem.people.forms import ObjectiveForm, OrgUnitForm, PersonForm
from tandem.people.models import JobChange, Objective, OrgUnit, Person
from tandem.people.services import person_save


class JobChangeInline(admin.TabularInline):
    model = JobChange
    extra = 0
    fields = [
        "effective_date",
        "kind",
        "title",
        "level",
        "previous_title",
        "previous_level",
        "org_unit",
        "exit_type",
    ]
    raw_id_fields = ["org_unit"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    form = PersonForm  # the same rules as the pages and the API
    list_display = [
        "employee_id",
        "last_name",
        "first_name",
        "title",
        "level",
        "org_unit",
        "hire_date",
        "exit_date",
    ]
    list_filter = ["level", "exit_type", "location"]
    search_fields = ["employee_id", "first_name", "last_name", "email", "title"]
    raw_id_fields = ["manager", "org_unit", "user"]
    list_select_related = ["org_unit"]
    inlines = [JobChangeInline]
    show_full_result_count = False  # a COUNT(*) per page is wasted on 100,000 people

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        # Through the service, so admin edits land in the job history and the audit log.
        before = Person.objects.filter(pk=obj.pk).first() if change else None
        person_save(person=obj, before=before, changed_by=request.user)


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    form = OrgUnitForm
    list_display = ["path", "name", "parent"]
    search_fields = ["path"]
    raw_id_fields = ["parent"]


@admin.register(JobChange)
class JobChangeAdmin(admin.ModelAdmin):
    list_display = ["person", "effective_date", "kind", "title", "level", "exit_type"]
    list_filter = ["kind", "level"]
    search_fields = ["person__last_name", "person__employee_id", "title"]
    raw_id_fields = ["person", "org_unit"]
    list_select_related = ["person"]
    date_hierarchy = "effective_date"


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    form = ObjectiveForm
    list_display = ["title", "parent", "org_unit", "owner", "period", "status"]
    list_filter = ["status", "period"]
    search_fields = ["title", "description"]
    raw_id_fields = ["parent", "org_unit", "owner"]
