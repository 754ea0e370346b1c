"""Who may see and change programs and development plans.

- A plan is an individual record: the participant, their management chain and
  program admins read it (accounts.policy.can_view_person). The participant and
  their managers work on it (goals, check-ins, comments); admins may too.
  Executive viewers see aggregates only.
- Programs are designed and run by program admins. A participant sees the
  programs they are enrolled in.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from tandem.accounts import policy
from tandem.programs.models import DevelopmentPlan, DevelopmentPlanQuerySet, Program


def plans_visible_to(user: Any) -> DevelopmentPlanQuerySet:
    plans = DevelopmentPlan.objects.select_related("person", "enrollment__program")
    if policy.is_program_admin(user):
        return plans
    return plans.filter(person__in=policy.people_visible_to(user))


def can_view_plan(user: Any, plan: DevelopmentPlan) -> bool:
    return policy.can_view_person(user, plan.person)


def access_plan(user: Any, pk: int) -> DevelopmentPlan:
    """The plan `pk` if `user` may read it, and so work on it: the participant, their
    managers and admins. A plan the user may not see is "not found"."""
    plan = plans_visible_to(user).filter(pk=pk).first()
    if plan is None:
        raise Http404("No such plan.")
    return plan


def programs_visible_to(user: Any) -> QuerySet[Program]:
    if policy.is_program_admin(user):
        return Program.objects.all()
    person = policy.person_of(user)
    if person is None:
        return Program.objects.none()
    return Program.objects.filter(enrollments__person=person).distinct()


def access_program(user: Any, pk: int, *, write: bool = False) -> Program:
    program = programs_visible_to(user).filter(pk=pk).first()
    if program is None:
        raise Http404("No such program.")
    if write and not policy.is_program_admin(user):
        raise PermissionDenied("Only program admins can change programs.")
    return program


def require_program_admin(user: Any) -> None:
    if not policy.is_program_admin(user):
        raise PermissionDenied("Only program admins can do this.")
