"""ReportingLine: the derived "who is below whom" table stays equal to what the
manager column says, through hires, moves, deletions and bulk rebuilds."""

import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError

from tandem.people.models import Person, ReportingLine
from tandem.tests.factories import PersonFactory


def lines():
    return set(ReportingLine.objects.values_list("manager_id", "person_id", "depth"))


def rebuilt():
    ReportingLine.objects.rebuild()
    return lines()


def test_it_links_a_new_hire_to_everyone_above(org):
    assert set(Person.objects.below(org.ceo)) == {org.manager, org.report, org.outsider}
    assert set(Person.objects.below(org.manager)) == {org.report}
    assert org.report.manager_ids_above() == {org.manager.pk, org.ceo.pk}


def test_it_moves_a_whole_line_with_its_head(org):
    deep = PersonFactory(manager=org.report)
    org.manager.manager = org.outsider
    org.manager.save()
    assert deep.manager_ids_above() == {org.report.pk, org.manager.pk, org.outsider.pk, org.ceo.pk}
    assert set(Person.objects.below(org.outsider)) == {org.manager, org.report, deep}
    before = lines()
    assert rebuilt() == before


def test_it_makes_a_moved_person_a_top_when_their_manager_is_cleared(org):
    org.manager.manager = None
    org.manager.save()
    assert not org.report.is_managed_by(org.ceo)
    assert set(Person.objects.below(org.ceo)) == {org.outsider}
    before = lines()
    assert rebuilt() == before


def test_it_detaches_the_reports_of_a_deleted_manager(org):
    org.manager.delete()
    org.report.refresh_from_db()
    assert org.report.manager is None
    assert org.report.manager_ids_above() == set()
    before = lines()
    assert rebuilt() == before


def test_it_refuses_a_save_that_would_make_a_loop(org):
    org.ceo.manager = org.report  # the forms refuse this; the table refuses it too
    with pytest.raises(IntegrityError):
        org.ceo.save()
    assert Person.objects.get(pk=org.ceo.pk).manager is None


def test_a_rebuild_matches_incremental_updates_over_many_moves(db):
    people = [PersonFactory(manager=None)]
    for n in range(1, 40):
        people.append(PersonFactory(manager=people[(n - 1) // 3]))
    for n in (5, 11, 17, 23):
        person = Person.objects.get(pk=people[n].pk)
        person.manager = Person.objects.get(pk=people[n % 4].pk)
        if person.manager.is_managed_by(person) or person.manager == person:
            continue
        person.save()
    before = lines()
    assert rebuilt() == before
    assert len(before) == sum(1 + len(p.manager_ids_above()) for p in Person.objects.all())


HEADER = (
    "employee_id,first_name,last_name,email,title,level,manager_employee_id,org_unit,hire_date\n"
)


def import_csv(tmp_path, rows):
    path = tmp_path / "people.csv"
    path.write_text(HEADER + "".join(rows))
    call_command("import_people", str(path), stdout=io.StringIO(), stderr=io.StringIO())


def test_it_follows_an_import_that_moves_people(db, tmp_path):
    rows = [
        "A1,Ada,Top,a1@x.example,CEO,senior,,Exec,2020-01-01\n",
        "B1,Bo,Left,b1@x.example,VP,mid,A1,Exec,2020-01-01\n",
        "C1,Cy,Right,c1@x.example,VP,mid,A1,Exec,2020-01-01\n",
        "D1,Di,Deep,d1@x.example,Lead,emerging,B1,Exec,2020-01-01\n",
    ]
    import_csv(tmp_path, rows)
    b1, c1 = Person.objects.get(employee_id="B1"), Person.objects.get(employee_id="C1")
    assert [p.employee_id for p in Person.objects.below(b1)] == ["D1"]
    rows[3] = rows[3].replace(",B1,", ",C1,")
    import_csv(tmp_path, rows)
    assert not Person.objects.below(b1).exists()
    assert [p.employee_id for p in Person.objects.below(c1)] == ["D1"]
    before = lines()
    assert rebuilt() == before
