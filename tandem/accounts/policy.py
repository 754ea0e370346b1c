"""The access policy: who may see and change what. Every view and endpoint asks here.

Rules (DESIGN.md, "Confidentiality rules"):
- An individual's records are readable by the person, their management chain and
  program admins. Executive viewers see aggregates only, never an individual.
- Changing the organization (people, units, objectives, imports) is for program admins.
- Org units and strategic objectives are not individual data: any signed-in user
  may read them (goals must be aligned to objectives).

Higher apps keep the rules for their own confidential data in their own access
module, and build on `can_view_person` for "individual records".
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tandem.accounts.models import Role
from tandem.people.models import Person, PersonQuerySet

_ROLES_CACHE = "_tandem_roles"
_PERSON_CACHE = "_tandem_person"


def person_of(user: Any) -> Person | None:
    """The Person a user is, or None (a pure admin account, or anonymous)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, _PERSON_CACHE):
        setattr(user, _PERSON_CACHE, Person.objects.filter(user=user).first())
    return getattr(user, _PERSON_CACHE)


def roles_of(user: Any) -> frozenset[str]:
    """Granted roles, plus "manager" for anyone with direct reports and
    "program_admin" for superusers. Cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, _ROLES_CACHE, None)
    if cached is not None:
        return cached
    roles = set(user.role_grants.values_list("role", flat=True))
    if user.is_superuser:
        roles.add(Role.PROGRAM_ADMIN)
    person = person_of(user)
    if person is not None and person.reports.active().exists():
        roles.add(Role.MANAGER)
    result = frozenset(roles)
    setattr(user, _ROLES_CACHE, result)
    return result


def is_program_admin(user: Any) -> bool:
    return Role.PROGRAM_ADMIN in roles_of(user)


def can_manage_organization(user: Any) -> bool:
    """Create and change people, org units and objectives; import the HRIS file."""
    return is_program_admin(user)


def can_read_organization(user: Any) -> bool:
    """Org units and objectives: any signed-in, active user."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_browse_people(user: Any) -> bool:
    """Whether the directory has anything for `user`: admins, and anyone who is a person."""
    return is_program_admin(user) or person_of(user) is not None


def people_visible_to(user: Any) -> PersonQuerySet:
    """The individual records `user` may read: everyone for program admins; otherwise
    themselves and everyone in their reporting line. Nobody else."""
    if is_program_admin(user):
        return Person.objects.all()
    person = person_of(user)
    if person is None:
        return Person.objects.none()
    return Person.objects.line_of(person)


def can_view_person(user: Any, person: Person) -> bool:
    if is_program_admin(user):
        return True
    viewer = person_of(user)
    if viewer is None:
        return False
    return viewer.pk == person.pk or person.is_managed_by(viewer)


def access_person(user: Any, pk: int, *, write: bool = False) -> Person:
    """The person `pk` if `user` may read it (and change it, with write=True).
    Someone the user may not see is reported as not found, so ids cannot be probed."""
    person = Person.objects.select_related("org_unit", "manager", "user").filter(pk=pk).first()
    if person is None or not can_view_person(user, person):
        raise Http404("No such person.")
    if write and not can_manage_organization(user):
        raise PermissionDenied("Only program admins can change people.")
    return person


def require_organization_admin(user: Any) -> None:
    if not can_manage_organization(user):
        raise PermissionDenied("Only program admins can do this.")


def require_organization_reader(user: Any) -> None:
    if not can_read_organization(user):
        raise PermissionDenied("Sign in to see this.")
