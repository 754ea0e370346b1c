# Who may see and change what insights holds (shared/DESIGN.md, confidentiality):
# - Impact, ROI, outcome metrics and pulse results are aggregates over people: program
#   admins and executive viewers see them. Executive viewers never see an individual
#   (nothing here lists one), only figures over groups the anonymity rules allow.
# - A manager sees the pulse results of their own team, under the same rules.
# - Pulses, ROI assumptions, benefit lines, intangibles and salary bands are changed by
#   program admins only.
# Anything the caller may not see is a 404 (ids cannot be probed); something they may
# see but not change is a 403.

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tandem.accounts import policy
from tandem.accounts.models import Role
from tandem.insights.models import BenefitLine, Intangible, Pulse
from tandem.people.models import Person
from tandem.programs.models import Program


def sees_impact(user: Any) -> bool:
    """Impact dashboards, program reports, pulse results of the whole organization."""
    return policy.is_program_admin(user) or Role.EXECUTIVE_VIEWER in policy.roles_of(user)


def manages_impact(user: Any) -> bool:
    """Run pulses; set a program's ROI assumptions, benefits and intangibles."""
    return policy.is_program_admin(user)


def require_manager_of_impact(user: Any) -> None:
    if not manages_impact(user):
        raise PermissionDenied("Only program admins change this.")


def access_program_impact(user: Any, pk: int, *, write: bool = False) -> Program:
    """A program whose impact `user` may read (write=True: change its ROI inputs)."""
    program = Program.objects.filter(pk=pk).first() if sees_impact(user) else None
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
