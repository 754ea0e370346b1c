"""The access policy: roles, and who may read which individual records."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tandem.accounts import policy
from tandem.accounts.models import Role
from tandem.people.models import ReportingLine
from tandem.tests.factories import PersonFactory, UserFactory, make_user_for

pytestmark = pytest.mark.django_db


def fresh(user):
    """The same user without the per-request caches the policy keeps on the object."""
    return type(user).objects.get(pk=user.pk)


class TestRolesOf:
    def test_it_returns_granted_roles(self):
        user = UserFactory(roles=[Role.COACH, Role.MENTOR])
        assert policy.roles_of(user) == {Role.COACH, Role.MENTOR}

    def test_it_derives_manager_from_active_direct_reports(self, org):
        assert Role.MANAGER in policy.roles_of(org.manager.user)
        assert Role.MANAGER in policy.roles_of(org.ceo.user)
        assert Role.MANAGER not in policy.roles_of(org.report.user)

    def test_a_manager_whose_reports_all_left_is_not_a_manager(self, org):
        org.report.exit_date, org.report.exit_type = org.report.hire_date, "voluntary"
        org.report.save()
        assert Role.MANAGER not in policy.roles_of(fresh(org.manager.user))

    def test_a_superuser_is_a_program_admin(self):
        user = UserFactory(is_superuser=True)
        assert policy.roles_of(user) == {Role.PROGRAM_ADMIN}
        assert policy.is_program_admin(user)

    def test_an_inactive_user_has_no_roles(self, org):
        user = UserFactory(roles=[Role.PROGRAM_ADMIN], is_active=False, is_superuser=True)
        assert policy.roles_of(user) == frozenset()
        org.manager.user.is_active = False
        assert policy.roles_of(org.manager.user) == frozenset()

    def test_anonymous_has_no_roles(self):
        assert policy.roles_of(AnonymousUser()) == frozenset()

    def test_it_is_cached_for_the_request(self, org, django_assert_num_queries):
        user = fresh(org.manager.user)
        policy.roles_of(user)
        with django_assert_num_queries(0):
            policy.roles_of(user)


class TestPeopleVisibleTo:
    def test_a_program_admin_sees_everyone(self, org, program_admin):
        assert policy.people_visible_to(program_admin).count() == 5

    def test_a_manager_sees_themselves_and_their_reporting_line(self, org):
        visible = set(policy.people_visible_to(org.manager.user))
        assert visible == {org.manager, org.report}

    def test_the_top_of_the_tree_sees_everyone_below(self, org):
        visible = set(policy.people_visible_to(org.ceo.user))
        assert visible == {org.ceo, org.manager, org.report, org.outsider}

    def test_a_report_sees_only_themselves(self, org):
        assert list(policy.people_visible_to(org.report.user)) == [org.report]

    def test_an_executive_viewer_sees_only_themselves(self, org):
        assert list(policy.people_visible_to(org.executive.user)) == [org.executive]

    def test_a_login_without_a_person_sees_nobody(self):
        assert not policy.people_visible_to(UserFactory()).exists()

    def test_anonymous_sees_nobody(self, org):
        assert not policy.people_visible_to(AnonymousUser()).exists()


class TestCanViewPerson:
    def test_everyone_can_view_themselves(self, org):
        for person in (org.ceo, org.manager, org.report, org.outsider, org.executive):
            assert policy.can_view_person(person.user, person)

    def test_the_management_chain_can_view_a_report(self, org):
        assert policy.can_view_person(org.manager.user, org.report)
        assert policy.can_view_person(org.ceo.user, org.report)

    def test_nobody_can_view_upwards_or_sideways(self, org):
        assert not policy.can_view_person(org.report.user, org.manager)
        assert not policy.can_view_person(org.report.user, org.ceo)
        assert not policy.can_view_person(org.outsider.user, org.manager)
        assert not policy.can_view_person(org.outsider.user, org.report)
        assert not policy.can_view_person(org.manager.user, org.outsider)

    def test_an_executive_viewer_cannot_view_individuals(self, org):
        for person in (org.ceo, org.manager, org.report, org.outsider):
            assert not policy.can_view_person(org.executive.user, person)

    def test_a_program_admin_can_view_anyone(self, org, program_admin):
        assert policy.can_view_person(program_admin, org.report)

    def test_anonymous_can_view_nobody(self, org):
        assert not policy.can_view_person(AnonymousUser(), org.report)


class TestIsManagedBy:
    def test_it_follows_a_deep_chain(self):
        chain = [PersonFactory(manager=None)]
        for _ in range(30):
            chain.append(PersonFactory(manager=chain[-1]))
        bottom = chain[-1]
        assert all(bottom.is_managed_by(boss) for boss in chain[:-1])
        assert not chain[0].is_managed_by(bottom)
        assert not bottom.is_managed_by(bottom)

    def test_it_is_false_across_branches(self, org):
        assert not org.report.is_managed_by(org.outsider)
        assert not org.outsider.is_managed_by(org.manager)

    def test_it_ends_on_a_cycle_in_bad_data(self):
        a = PersonFactory(manager=None)
        b = PersonFactory(manager=a)
        type(a).objects.filter(pk=a.pk).update(manager=b)  # a loop the forms would refuse
        ReportingLine.objects.rebuild()  # as bulk writers do; it must end, not loop
        a.refresh_from_db()
        outsider = PersonFactory(manager=None)
        assert a.is_managed_by(b)
        assert not a.is_managed_by(outsider)

    def test_a_deep_report_is_visible_to_the_top(self):
        top = PersonFactory(manager=None)
        person = top
        for _ in range(12):
            person = PersonFactory(manager=person)
        top_user = make_user_for(top)
        assert policy.can_view_person(top_user, person)
        assert policy.people_visible_to(top_user).count() == 13


class TestAccessPerson:
    def test_it_returns_a_visible_person(self, org):
        assert policy.access_person(org.manager.user, org.report.pk) == org.report

    def test_someone_not_visible_is_not_found(self, org):
        with pytest.raises(Http404):
            policy.access_person(org.outsider.user, org.manager.pk)

    def test_a_missing_id_is_not_found(self, org, program_admin):
        with pytest.raises(Http404):
            policy.access_person(program_admin, 987654)

    def test_writing_needs_a_program_admin(self, org, program_admin):
        with pytest.raises(PermissionDenied):
            policy.access_person(org.manager.user, org.report.pk, write=True)
        assert policy.access_person(program_admin, org.report.pk, write=True) == org.report


class TestOrganizationRules:
    def test_only_program_admins_manage_the_organization(self, org, program_admin):
        policy.require_organization_admin(program_admin)
        for person in (org.ceo, org.manager, org.executive):
            with pytest.raises(PermissionDenied):
                policy.require_organization_admin(person.user)

    def test_any_active_signed_in_user_reads_the_organization(self, org):
        policy.require_organization_reader(org.outsider.user)
        policy.require_organization_reader(org.executive.user)
        with pytest.raises(PermissionDenied):
            policy.require_organization_reader(AnonymousUser())
