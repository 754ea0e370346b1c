"""The Django admin: every registered model's pages render for a superuser, nobody
else gets in, and admin edits follow the same rules as the pages and the API."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tandem.accounts.models import AuditLog
from tandem.people.models import ChangeKind, JobChange, OrgUnit
from tandem.tests.factories import UserFactory

MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_it_renders_every_changelist_and_add_page(client, org, superuser, model):
    client.force_login(superuser)
    opts = model._meta
    assert (
        client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code
        == 200
    )
    if admin.site._registry[model].has_add_permission(type("R", (), {"user": superuser})()):
        assert (
            client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 200
        )


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_it_keeps_everyone_but_staff_out(client, org, model):
    client.force_login(org.ceo.user)  # a senior executive, not staff
    opts = model._meta
    response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_it_records_an_admin_promotion_in_history_and_audit_log(client, org, superuser):
    client.force_login(superuser)
    person = org.report
    url = reverse("admin:people_person_change", args=[person.pk])
    data = {
        "employee_id": person.employee_id,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "title": "Team Manager",
        "level": "mid",
        "manager": person.manager_id,
        "org_unit": person.org_unit_id,
        "location": person.location,
        "hire_date": person.hire_date.isoformat(),
        "exit_date": "",
        "exit_type": "",
        "user": person.user_id,
        "job_history-TOTAL_FORMS": "0",
        "job_history-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    change = JobChange.objects.get(person=person)
    assert (change.kind, change.previous_level, change.level) == (
        ChangeKind.PROMOTION,
        "emerging",
        "mid",
    )
    assert AuditLog.objects.get(target_id=str(person.pk)).action == "update"


def test_it_refuses_a_second_top_level_unit_of_the_same_name(client, superuser):
    OrgUnit.objects.create(name="Sales")
    client.force_login(superuser)
    response = client.post(reverse("admin:people_orgunit_add"), {"name": "Sales", "parent": ""})
    assert response.status_code == 200
    assert "There is already a unit" in response.content.decode()
    assert OrgUnit.objects.count() == 1
