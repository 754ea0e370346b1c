"""Workflows of critical roles, their successor slates, development actions and
openings. Keyword-only, atomic; each audited. Callers check access first
(`succession.access`); rules about the data itself are checked here and refused with
a ValidationError naming the field.

Ranks on a slate are kept 1..n without gaps: adding puts a candidate at the rank
asked for (the end by default) and moves the others down; removing closes the gap.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import AuditAction, AuditLog
from tandem.people.models import Person
from tandem.programs.models import DevelopmentPlan, Enrollment
from tandem.succession.models import (
    CriticalRole,
    DevelopmentAction,
    Opening,
    Successor,
)

ROLE_FIELDS = [
    "title",
    "org_unit",
    "level",
    "incumbent",
    "impact_of_loss",
    "risk_of_loss",
    "vacancy_expected_on",
    "vacancy_reason",
    "notes",
    "active",
]


def _check_vacancy(role: CriticalRole) -> None:
    if role.vacancy_expected_on and not role.vacancy_reason:
        raise ValidationError({"vacancy_reason": _("Say why the role will be vacant.")})
    if role.vacancy_reason and not role.vacancy_expected_on:
        raise ValidationError({"vacancy_expected_on": _("Give the date the role falls vacant.")})


@transaction.atomic
def role_save(*, role: CriticalRole, saved_by: Any) -> CriticalRole:
    """Create or update a critical role (a vacancy needs both a date and a reason). The
    new incumbent leaves the role's slate if they were on it."""
    _check_vacancy(role)
    created = role.pk is None
    role.save()
    if role.incumbent_id:
        entry = Successor.objects.filter(role=role, person_id=role.incumbent_id).first()
        if entry is not None:
            _remove(entry)
    AuditLog.objects.record(
        actor=saved_by,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        target=role,
        subject_person_id=role.incumbent_id,
        summary=f"Critical role {role.title}",
    )
    return role


def _renumber(role: CriticalRole) -> None:
    for rank, entry in enumerate(Successor.objects.filter(role=role).order_by("rank", "pk"), 1):
        if entry.rank != rank:
            Successor.objects.filter(pk=entry.pk).update(rank=rank)


def _lock(role: CriticalRole) -> None:
    # Two people ranking the same slate at once would interleave the renumbering.
    CriticalRole.objects.select_for_update().filter(pk=role.pk).first()


@transaction.atomic
def successor_add(
    *,
    role: CriticalRole,
    person: Person,
    readiness: str,
    added_by: Any,
    rank: int | None = None,
    note: str = "",
) -> Successor:
    """Name `person` to the slate at `rank` (1 = first; the end by default)."""
    _lock(role)
    if person.pk == role.incumbent_id:
        raise ValidationError({"person": _("The incumbent cannot succeed themselves.")})
    if Successor.objects.filter(role=role, person=person).exists():
        raise ValidationError(
            {"person": _("%(name)s is already on this slate.") % {"name": person}}
        )
    size = Successor.objects.filter(role=role).count()
    rank = size + 1 if rank is None else max(1, min(rank, size + 1))
    for entry in Successor.objects.filter(role=role, rank__gte=rank).order_by("-rank"):
        Successor.objects.filter(pk=entry.pk).update(rank=entry.rank + 1)
    successor = Successor.objects.create(
        role=role, person=person, rank=rank, readiness=readiness, note=note
    )
    _renumber(role)
    successor.refresh_from_db()
    AuditLog.objects.record(
        actor=added_by,
        action=AuditAction.CREATE,
        target=successor,
        subject_person_id=person.pk,
        summary=f"Named to the slate of {role}",
    )
    return successor


@transaction.atomic
def successor_update(
    *,
    successor: Successor,
    changed_by: Any,
    rank: int | None = None,
    readiness: str | None = None,
    note: str | None = None,
) -> Successor:
    """Move a candidate to `rank` and/or change their readiness or note."""
    _lock(successor.role)
    successor.refresh_from_db()
    if readiness is not None and readiness != successor.readiness:
        successor.readiness = readiness
        successor.readiness_changed_at = timezone.now()
    if note is not None:
        successor.note = note
    successor.save()
    if rank is not None:
        others = list(
            Successor.objects.filter(role=successor.role_id)
            .exclude(pk=successor.pk)
            .order_by("rank", "pk")
        )
        rank = max(1, min(rank, len(others) + 1))
        others.insert(rank - 1, successor)
        for position, entry in enumerate(others, 1):
            Successor.objects.filter(pk=entry.pk).update(rank=position)
        successor.refresh_from_db()
    AuditLog.objects.record(
        actor=changed_by,
        action=AuditAction.UPDATE,
        target=successor,
        subject_person_id=successor.person_id,
        summary=f"Rank {successor.rank}, {successor.get_readiness_display()}",
    )
    return successor


def _remove(successor: Successor) -> None:
    role = successor.role
    successor.delete()
    _renumber(role)


@transaction.atomic
def successor_remove(*, successor: Successor, removed_by: Any) -> None:
    _lock(successor.role)
    AuditLog.objects.record(
        actor=removed_by,
        action=AuditAction.DELETE,
        target=successor,
        subject_person_id=successor.person_id,
        summary=f"Removed from the slate of {successor.role}",
    )
    _remove(successor)


def current_plan(person: Person) -> DevelopmentPlan | None:
    """The person's development plan in a current enrollment (the newest if several)."""
    return (
        DevelopmentPlan.objects.filter(person=person, enrollment__in=Enrollment.objects.current())
        .select_related("enrollment__program")
        .order_by("-created_at", "-pk")
        .first()
    )


@transaction.atomic
def action_add(
    *,
    successor: Successor,
    kind: str,
    description: str,
    added_by: Any,
    link: str = "",
    due_on: datetime.date | None = None,
) -> DevelopmentAction:
    """A development action for a candidate, recorded on their current development plan
    (none when they have no plan: the role page then proposes enrolling them)."""
    action = DevelopmentAction.objects.create(
        successor=successor,
        kind=kind,
        description=description,
        link=link,
        due_on=due_on,
        plan=current_plan(successor.person),
    )
    AuditLog.objects.record(
        actor=added_by,
        action=AuditAction.CREATE,
        target=action,
        subject_person_id=successor.person_id,
        summary=f"Development action: {description[:80]}",
    )
    return action


@transaction.atomic
def action_set_status(*, action: DevelopmentAction, status: str, changed_by: Any) -> None:
    action.status = status
    action.save(update_fields=["status"])
    AuditLog.objects.record(
        actor=changed_by,
        action=AuditAction.UPDATE,
        target=action,
        subject_person_id=action.successor.person_id,
        summary=f"Development action {action.get_status_display()}",
    )


@transaction.atomic
def action_remove(*, action: DevelopmentAction, removed_by: Any) -> None:
    AuditLog.objects.record(
        actor=removed_by,
        action=AuditAction.DELETE,
        target=action,
        subject_person_id=action.successor.person_id,
        summary="Development action removed",
    )
    action.delete()


@transaction.atomic
def opening_open(
    *,
    title: str,
    level: str,
    opened_on: datetime.date,
    opened_by: Any,
    role: CriticalRole | None = None,
    org_unit: Any = None,
) -> Opening:
    if opened_on > timezone.localdate():
        raise ValidationError({"opened_on": _("An opening cannot be recorded ahead of time.")})
    opening = Opening.objects.create(
        title=title, level=level, opened_on=opened_on, role=role, org_unit=org_unit
    )
    AuditLog.objects.record(
        actor=opened_by, action=AuditAction.CREATE, target=opening, summary=f"Opened {title}"
    )
    return opening


@transaction.atomic
def opening_fill(
    *,
    opening: Opening,
    filled_on: datetime.date,
    source: str,
    filled_by: Any,
    person: Person | None = None,
) -> Opening:
    """Record how an opening was filled: from inside (`person` is then who) or outside."""
    opening = Opening.objects.select_for_update().get(pk=opening.pk)
    if opening.filled_on is not None:
        raise ValidationError({"filled_on": _("This opening is already filled.")})
    if filled_on < opening.opened_on:
        raise ValidationError({"filled_on": _("An opening is filled after it opens.")})
    if filled_on > timezone.localdate():
        raise ValidationError({"filled_on": _("Record the filling once it has happened.")})
    opening.filled_on, opening.source, opening.filled_by = filled_on, source, person
    opening.save(update_fields=["filled_on", "source", "filled_by"])
    AuditLog.objects.record(
        actor=filled_by,
        action=AuditAction.UPDATE,
        target=opening,
        subject_person_id=person.pk if person else None,
        summary=f"Filled ({opening.get_source_display()})",
    )
    return opening
