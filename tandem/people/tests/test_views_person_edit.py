from tandem.accounts.models import AuditLog
from tandem.people.models import ChangeKind, JobChange, Person


def edit_url(person):
    return f"/people/{person.pk}/edit/"


CREATE_URL = "/people/new/"


def form_data(person, **changes):
    data = {
        "employee_id": person.employee_id,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "title": person.title,
        "level": person.level,
        "manager": person.manager.employee_id if person.manager else "",
        "org_unit": person.org_unit_id or "",
        "location": person.location,
        "hire_date": person.hire_date.isoformat(),
        "exit_date": "",
        "exit_type": "",
    }
    data.update(changes)
    return data


def test_it_redirects_anonymous_users_to_login(client, org):
    for response in (client.get(edit_url(org.report)), client.get(CREATE_URL)):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_it_shows_the_edit_form_to_a_program_admin(client, org, program_admin):
    client.force_login(program_admin)
    response = client.get(edit_url(org.report))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Edit Rita Report" in content
    assert '<label for="id_first_name">First name' in content
    assert 'value="Rita"' in content


def test_it_refuses_edits_by_anyone_who_is_not_a_program_admin(client, org):
    client.force_login(org.manager.user)
    assert client.get(edit_url(org.report)).status_code == 403
    assert client.post(edit_url(org.report), form_data(org.report)).status_code == 403
    assert client.get(edit_url(org.manager)).status_code == 403
    assert AuditLog.objects.count() == 0


def test_it_answers_not_found_to_someone_who_cannot_see_the_person(client, org):
    client.force_login(org.outsider.user)
    assert client.get(edit_url(org.manager)).status_code == 404
    assert client.post(edit_url(org.report), form_data(org.report)).status_code == 404


def test_it_refuses_to_create_people_for_non_admins(client, org):
    client.force_login(org.ceo.user)
    assert client.get(CREATE_URL).status_code == 403
    response = client.post(
        CREATE_URL, form_data(org.report, employee_id="NEW1", email="new@example.com")
    )
    assert response.status_code == 403
    assert not Person.objects.filter(employee_id="NEW1").exists()


def test_it_records_a_promotion_and_an_audit_entry(client, org, program_admin):
    client.force_login(program_admin)
    response = client.post(
        edit_url(org.report), form_data(org.report, level="mid", title="Team lead")
    )
    assert response.status_code == 302
    assert response["Location"] == f"/people/{org.report.pk}/"
    org.report.refresh_from_db()
    assert (org.report.level, org.report.title) == ("mid", "Team lead")
    change = JobChange.objects.get(person=org.report)
    assert change.kind == ChangeKind.PROMOTION
    assert (change.previous_level, change.level) == ("emerging", "mid")
    assert (change.previous_title, change.title) == ("Analyst", "Team lead")
    entry = AuditLog.objects.get()
    assert entry.actor == program_admin
    assert entry.action == "update"
    assert entry.subject_person_id == org.report.pk
    page = client.get(response["Location"]).content.decode()
    assert "Saved the changes to Rita Report." in page


def test_it_rejects_an_invalid_edit_and_writes_nothing(client, org, program_admin):
    client.force_login(program_admin)
    response = client.post(
        edit_url(org.report),
        form_data(org.report, level="mid", exit_date="2019-01-01", exit_type="voluntary"),
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "The exit date is before the hire date." in content
    assert 'id="id_exit_date_error"' in content
    assert 'aria-invalid="true"' in content
    assert "Edit Rita Report" in content
    org.report.refresh_from_db()
    assert org.report.level == "emerging"
    assert org.report.exit_date is None
    assert not JobChange.objects.exists()
    assert not AuditLog.objects.exists()


def test_it_refuses_a_loop_in_the_management_chain(client, org, program_admin):
    client.force_login(program_admin)
    response = client.post(
        edit_url(org.manager), form_data(org.manager, manager=org.report.employee_id)
    )
    assert response.status_code == 400
    assert "that would make a loop" in response.content.decode()


def test_it_creates_a_person_with_their_hire_in_the_history(client, org, program_admin):
    client.force_login(program_admin)
    data = form_data(
        org.report,
        employee_id="E9999",
        first_name="Nina",
        last_name="New",
        email="nina@example.com",
        manager=org.manager.employee_id,
    )
    response = client.post(CREATE_URL, data)
    assert response.status_code == 302
    nina = Person.objects.get(employee_id="E9999")
    assert response["Location"] == f"/people/{nina.pk}/"
    assert nina.manager == org.manager
    assert JobChange.objects.get(person=nina).kind == ChangeKind.HIRE
    assert AuditLog.objects.get().action == "create"


def test_it_rejects_a_duplicate_email_on_create(client, org, program_admin):
    client.force_login(program_admin)
    response = client.post(CREATE_URL, form_data(org.report, employee_id="E9999"))
    assert response.status_code == 400
    assert "email" in response.context["form"].errors
    assert not Person.objects.filter(employee_id="E9999").exists()
    assert not AuditLog.objects.exists()


def test_it_prefills_the_manager_when_adding_a_report(client, org, program_admin):
    client.force_login(program_admin)
    response = client.get(CREATE_URL, {"manager": org.manager.pk})
    assert response.status_code == 200
    assert response.context["form"].initial == {"manager": org.manager.employee_id}
    assert f'value="{org.manager.employee_id}"'.encode() in response.content


def test_it_names_an_unknown_manager_next_to_the_field(client, org, program_admin):
    client.force_login(program_admin)
    response = client.post(edit_url(org.report), form_data(org.report, manager="NOPE-1"))
    assert response.status_code == 400
    assert response.context["form"].errors["manager"] == ["No one has this employee id."]
    org.report.refresh_from_db()
    assert org.report.manager == org.manager


def test_it_does_not_list_the_whole_organization_as_manager_choices(client, org, program_admin):
    client.force_login(program_admin)
    response = client.get(edit_url(org.report))
    assert b'<select name="manager"' not in response.content
    assert f'value="{org.manager.employee_id}"'.encode() in response.content
