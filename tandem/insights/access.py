# Who may see and change what insights holds (shared/DESIGN.md, confidentiality):
# - Impact, ROI, outcome metrics and pulse results are aggregates over people: program
#   admins and executive viewers see them. Executive viewers never see an individual
#   (nothing here lists one), only figures over groups the anonymity rules allow.
# - A manager sees the pulse results of their own team, under the same rules.
# - Pulses, ROI assumptions, benefit lines, intangibles and salary bands are changed by
#   program admins only.
# - Executive viewers see a program's figures only when no other program's participants
#   differ from its own by fewer than 5 people (`programs_safe_to_compare`): otherwise
#   setting the two programs' figures side by side would single those people out.
# Anything the caller may not see is a 404 (ids cannot be probed); something they may
# see but not change is a 403.

from collections import defaultdict
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from tandem.accounts import policy
from tandem.accounts.models import Role
from tandem.insights.models import BenefitLine, Intangible, Pulse
from tandem.lib.anonymity import SLICE_MINIMUM
from tandem.people.models import Person
from tandem.programs.models import Enrollment, EnrollmentStatus, Program


def sees_impact(user: Any) -> bool:
    """Impact dashboards, program reports, pulse results of the whole organization."""
    return policy.is_program_admin(user) or Role.EXECUTIVE_VIEWER in policy.roles_of(user)


def require_impact_reader(user: Any) -> None:
    """404 for anyone who may not read impact aggregates (see sees_impact)."""
    if not sees_impact(user):
        raise Http404("Not found.")


def manages_impact(user: Any) -> bool:
    """Run pulses; set a program's ROI assumptions, benefits and intangibles."""
    return policy.is_program_admin(user)


def require_manager_of_impact(user: Any) -> None:
    if not manages_impact(user):
        raise PermissionDenied("Only program admins change this.")


def programs_safe_to_compare(minimum: int = SLICE_MINIMUM) -> set[int]:
    """Ids of the programs whose participant figures may be shown side by side.

    People are grouped by which programs' participants they are among; a group of
    1 to `minimum` - 1 people could be singled out by combining those programs'
    figures (differencing included), so the smallest program that holds such a group
    is withheld and the grouping redone, until every group is empty or big enough.
    """
    members: dict[int, set[int]] = defaultdict(set)
    for program_id, person_id in Enrollment.objects.exclude(
        status=EnrollmentStatus.INVITED
    ).values_list("program_id", "person_id"):
        members[program_id].add(person_id)
    shown = set(Program.objects.values_list("pk", flat=True))
    while True:
        groups: dict[frozenset[int], int] = defaultdict(int)
        everyone = set().union(*(members[pk] for pk in shown)) if shown else set()
        for person in everyone:
            groups[frozenset(pk for pk in shown if person in members[pk])] += 1
        small = [programs for programs, n in groups.items() if n < minimum]
        if not small:
            return shown
        involved = set().union(*small)
        shown.discard(min(involved, key=lambda pk: (len(members[pk]), pk)))


def programs_visible_to(user: Any) -> QuerySet[Program]:
    """The programs whose impact `user` may read (see the rules above)."""
    if policy.is_program_admin(user):
        return Program.objects.all()
    if sees_impact(user):
        return Program.objects.filter(pk__in=programs_safe_to_compare())
    return Program.objects.none()


def access_program_impact(user: Any, pk: int, *, write: bool = False) -> Program:
    """A program whose impact `user` may read (write=True: change its ROI inputs)."""
    program = programs_visible_to(user).filter(pk=pk).first()
    if program is None:
        raise Http404("No such program.")
    if write:
        require_manager_of_impact(user)
    return program


def access_pulse(user: Any, pk: int, *, write: bool = False) -> Pulse:
    """A pulse `user` may read (its results: sees_impact, or a manager for their own
    team's figures); write=True to open, close or change it (program admins)."""
    pulse = Pulse.objects.filter(pk=pk).first() if sees_impact(user) or led_team(user) else None
    if pulse is None:
        raise Http404("No such pulse.")
    if write:
        require_manager_of_impact(user)
    return pulse


def led_team(user: Any) -> Person | None:
    """The person whose team `user` leads (themselves, when they manage anyone)."""
    me = policy.person_of(user)
    if me is None or Role.MANAGER not in policy.roles_of(user):
        return None
    return me


def access_benefit(user: Any, pk: int) -> BenefitLine:
    line = BenefitLine.objects.filter(pk=pk).select_related("program").first()
    if line is None or not sees_impact(user):
        raise Http404("No such benefit line.")
    require_manager_of_impact(user)
    return line


def access_intangible(user: Any, pk: int) -> Intangible:
    item = Intangible.objects.filter(pk=pk).select_related("program").first()
    if item is None or not sees_impact(user):
        raise Http404("No such intangible.")
    require_manager_of_impact(user)
    return item
