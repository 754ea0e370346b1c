"""The upload page, /people/import/."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from tandem.accounts.models import AuditLog
from tandem.people.models import JobChange, OrgUnit, Person

URL = "/people/import/"
GOOD = (
    b"employee_id,first_name,last_name,email,level,manager_employee_id,org_unit,hire_date\n"
    b"W1,Ana,Silva,ana@corp.example,senior,,Sales/EMEA,2020-01-06\n"
    b"W2,Ben,Okafor,ben@corp.example,mid,W1,Sales/EMEA,2021-03-01\n"
)
BAD = (
    b"employee_id,first_name,last_name,email,level,manager_employee_id,org_unit,hire_date\n"
    b"W1,Ana,Silva,ana@corp.example,senior,,Sales/EMEA,2020-01-06\n"
    b"W2,Ben,Okafor,ben-at-corp,mid,W9,Sales/EMEA,2021-03-01\n"
)


def upload(data, name="people.csv"):
    return SimpleUploadedFile(name, data, content_type="text/csv")


def counts():
    return [m.objects.count() for m in (Person, OrgUnit, JobChange, AuditLog)]


@pytest.fixture
def admin_client(client, program_admin):
    client.force_login(program_admin)
    return client


def test_it_shows_the_form_with_dry_run_ticked(admin_client):
    response = admin_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="file"' in html
    assert 'accept=".csv,.xlsx"' in html
    assert response.context["form"]["dry_run"].value() is True
    assert 'id="id_dry_run" checked' in html
    assert '<label for="id_file">' in html
    assert "manager_employee_id" in html  # the columns are documented


def test_it_previews_a_clean_file_without_saving(admin_client):
    response = admin_client.post(URL, {"file": upload(GOOD), "dry_run": "on"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview of people.csv" in html
    assert "nothing has been saved" in html
    assert response.context["summary"].created == 2
    assert counts() == [0, 0, 0, 0]
    # The next upload is the real import.
    assert not response.context["form"].initial["dry_run"]


def test_it_imports_a_clean_file(admin_client, program_admin):
    response = admin_client.post(URL, {"file": upload(GOOD)})
    assert response.status_code == 200
    assert "Imported people.csv" in response.content.decode()
    assert Person.objects.get(employee_id="W2").manager.employee_id == "W1"
    assert AuditLog.objects.get().actor == program_admin


def test_it_lists_every_problem_with_its_row_and_saves_nothing(admin_client):
    response = admin_client.post(URL, {"file": upload(BAD)})
    assert response.status_code == 400
    problems = response.context["problems"]
    assert [(p.row, p.column) for p in problems] == [(3, "email"), (3, "manager_employee_id")]
    html = response.content.decode()
    assert "<td>3</td><td><code>email</code></td>" in html
    assert "“ben-at-corp” is not a valid email address." in html
    assert "2 problems" in html
    assert counts() == [0, 0, 0, 0]


def test_it_shows_a_file_level_problem_next_to_the_file_field(admin_client):
    response = admin_client.post(URL, {"file": upload(b"employee_id\n\xff\xfe\n")})
    assert response.status_code == 400
    assert "not UTF-8" in str(response.context["form"].errors["file"])
    assert 'id="id_file_error"' in response.content.decode()
    assert counts() == [0, 0, 0, 0]


def test_it_rejects_a_file_of_another_type(admin_client):
    response = admin_client.post(URL, {"file": upload(GOOD, "people.pdf")})
    assert response.status_code == 400
    assert "Choose a .csv or .xlsx file." in str(response.context["form"].errors["file"])


@override_settings(TANDEM_MAX_IMPORT_BYTES=100)
def test_it_rejects_a_file_over_the_size_limit(admin_client):
    response = admin_client.post(URL, {"file": upload(GOOD)})
    assert response.status_code == 400
    assert "at most" in str(response.context["form"].errors["file"])
    assert counts() == [0, 0, 0, 0]


def test_it_asks_for_a_file(admin_client):
    response = admin_client.post(URL, {"dry_run": "on"})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]


@pytest.mark.parametrize("persona", ["manager", "report", "executive"])
def test_it_is_denied_to_everyone_but_program_admins(client, org, persona):
    client.force_login(getattr(org, persona).user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": upload(GOOD)}).status_code == 403
    assert not Person.objects.filter(employee_id="W1").exists()


def test_it_sends_anonymous_visitors_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.post(URL, {"file": upload(GOOD)}).status_code == 302
    assert counts() == [0, 0, 0, 0]
