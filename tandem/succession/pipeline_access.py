# Pipeline ---------------------------------------------------------------------------------
# Who may see and change critical roles, slates, development actions, openings and the
# pipeline's figures (issue 8; common.md "Visibility"):
# - A role's slate (its successors and their development actions) is for program admins
#   and the management chain above the role's incumbent; a vacant role's, for the chain
#   above the people at the role's level in its unit. Candidates never see a slate they
#   are on (they are below the incumbent, and are excluded outright besides).
# - Creating and changing roles, openings and enrolling from a gap: program admins.
# - The pipeline's aggregates: program admins and executive viewers.
# Anything the caller may not see is a 404, so ids cannot be probed; something they may
# see but not change is a 403.

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from tandem.accounts import policy
from tandem.accounts.models import Role
from tandem.people.models import Person, PersonQuerySet
from tandem.succession.models import (
    CriticalRole,
    CriticalRoleQuerySet,
    DevelopmentAction,
    Opening,
    Successor,
)


def sees_pipeline(user: Any) -> bool:
    """The pipeline's aggregates: program admins and executive viewers."""
    return policy.is_program_admin(user) or Role.EXECUTIVE_VIEWER in policy.roles_of(user)


def manages_succession(user: Any) -> bool:
    """Create and change critical roles and openings, enroll from a gap."""
    return policy.is_program_admin(user)


def roles_visible_to(user: Any) -> CriticalRoleQuerySet:
    """Critical roles whose slate `user` may see: every role for program admins; the
    roles in their line for managers (see the rules above); none for anyone else."""
    roles = CriticalRole.objects.select_related("incumbent", "org_unit")
    if policy.is_program_admin(user):
        return roles
    me = policy.person_of(user)
    if me is None:
        return roles.none()
    below = Person.objects.below(me)
    peers_below = below.filter(org_unit_id=OuterRef("org_unit_id"), level=OuterRef("level"))
    return roles.filter(
        Q(incumbent__in=below)
        | Q(incumbent__isnull=True, org_unit__isnull=False) & Q(Exists(peers_below))
    ).exclude(slate__person=me)


def can_see_slates(user: Any) -> bool:
    """Whether `user` may see any slate at all (navigation, the plan panel)."""
    return roles_visible_to(user).exists()


def access_role(user: Any, pk: int, *, write: bool = False) -> CriticalRole:
    """A critical role `user` may see; write=True to change the role itself (admins)."""
    role = roles_visible_to(user).filter(pk=pk).first()
    if role is None:
        raise Http404("No such critical role.")
    if write and not manages_succession(user):
        raise PermissionDenied("Only program admins change critical roles.")
    return role


def access_successor(user: Any, pk: int) -> Successor:
    """A slate entry of a role `user` may see (those who see a slate may work on it)."""
    successor = (
        Successor.objects.filter(pk=pk, role__in=roles_visible_to(user))
        .select_related("role", "person")
        .first()
    )
    if successor is None:
        raise Http404("No such successor.")
    return successor


def access_action(user: Any, pk: int) -> DevelopmentAction:
    action = (
        DevelopmentAction.objects.filter(pk=pk, successor__role__in=roles_visible_to(user))
        .select_related("successor__role", "successor__person", "plan")
        .first()
    )
    if action is None:
        raise Http404("No such development action.")
    return action


def candidates_for(user: Any, role: CriticalRole) -> PersonQuerySet:
    """Whom `user` may name to `role`'s slate: active people at the role's level or the
    one below it (a program admin: anyone; a manager: people in their line), never the
    incumbent."""
    from tandem.people.models import Level

    rank = Level.rank(role.level)
    levels = [level for level in Level.values if rank - 1 <= Level.rank(level) <= rank]
    people = Person.objects.active().filter(level__in=levels)
    if not policy.is_program_admin(user):
        me = policy.person_of(user)
        people = Person.objects.below(me).active().filter(level__in=levels) if me else people.none()
    if role.incumbent_id:
        people = people.exclude(pk=role.incumbent_id)
    return people.order_by("last_name", "first_name", "pk")


def access_opening(user: Any, pk: int) -> Opening:
    """Openings are recorded and read by program admins (executives see the rates)."""
    opening = Opening.objects.filter(pk=pk).first() if manages_succession(user) else None
    if opening is None:
        raise Http404("No such opening.")
    return opening


def access_gap_person(user: Any, pk: int) -> Person:
    """A person for the bridge's proposal (enrolling them): program admins only, since
    the proposal says whether they are a high potential."""
    person = Person.objects.filter(pk=pk).first() if manages_succession(user) else None
    if person is None:
        raise Http404("No such person.")
    return person
