"""Executive viewers cannot single people out by setting two programs' figures side
by side: a program whose participants differ from another's by 1-4 people is
withheld from them (access.programs_safe_to_compare)."""

import itertools

from django.test import TestCase

from tandem.accounts.models import Role
from tandem.insights import access
from tandem.programs.models import Enrollment, EnrollmentStatus, Program
from tandem.tests.factories import PersonFactory, ProgramFactory, UserFactory


def _enroll(program, people):
    for person in people:
        Enrollment.objects.create(program=program, person=person, status=EnrollmentStatus.ACTIVE)


class ProgramsSideBySide(TestCase):
    @classmethod
    def setUpTestData(cls):
        people = PersonFactory.create_batch(30)
        cls.a, cls.b, cls.c, cls.d = ProgramFactory.create_batch(4)
        _enroll(cls.a, people[:12])
        _enroll(cls.b, people[:14])  # a's 12 and 2 more: a and b together single out 2
        _enroll(cls.c, people[14:24])  # disjoint, 10 people
        _enroll(cls.d, people[20:30])  # 4 shared with c, 6 apart: 6, 4, 6 -> too small
        cls.executive = UserFactory(roles=[Role.EXECUTIVE_VIEWER])
        cls.admin = UserFactory(roles=[Role.PROGRAM_ADMIN])

    def test_it_withholds_one_of_two_programs_that_differ_by_fewer_than_five(self):
        shown = access.programs_safe_to_compare()
        assert len(shown & {self.a.pk, self.b.pk}) == 1
        assert len(shown & {self.c.pk, self.d.pk}) == 1

    def test_no_combination_of_the_programs_shown_singles_out_fewer_than_five(self):
        shown = access.programs_safe_to_compare()
        members = {
            pk: set(Enrollment.objects.filter(program_id=pk).values_list("person_id", flat=True))
            for pk in shown
        }
        everyone = set().union(*members.values())
        groups: dict[tuple[bool, ...], int] = {}
        for person in everyone:
            signature = tuple(person in members[pk] for pk in sorted(members))
            groups[signature] = groups.get(signature, 0) + 1
        assert all(n >= 5 for n in groups.values())
        for first, second in itertools.combinations(members.values(), 2):
            assert len(first - second) in (0,) or len(first - second) >= 5

    def test_an_executive_viewer_gets_a_404_for_a_withheld_program_and_an_admin_does_not(self):
        response = self.client.get(f"/api/v1/impact/programs/{self.a.pk}")
        assert response.status_code == 401
        self.client.force_login(self.executive)
        withheld = ({self.a.pk, self.b.pk} - access.programs_safe_to_compare()).pop()
        assert self.client.get(f"/api/v1/impact/programs/{withheld}").status_code == 404
        assert access.programs_visible_to(self.executive).filter(pk=withheld).count() == 0
        assert access.programs_visible_to(self.admin).filter(pk=withheld).count() == 1

    def test_the_dashboard_and_the_api_list_leave_a_withheld_program_out(self):
        withheld = ({self.a.pk, self.b.pk} - access.programs_safe_to_compare()).pop()
        name = Program.objects.get(pk=withheld).name
        self.client.force_login(self.executive)
        listed = [row["program_id"] for row in self.client.get("/api/v1/impact/programs").json()]
        assert withheld not in listed and listed
        assert name not in self.client.get("/impact/").content.decode()
        self.client.force_login(self.admin)
        rows = self.client.get("/api/v1/impact/programs").json()
        assert withheld in [row["program_id"] for row in rows]
