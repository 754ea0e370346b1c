"""Workflows on the organization that write more than one model."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from tandem.accounts.models import AuditAction, AuditLog
from tandem.people.models import JobChange, Person


@transaction.atomic
def person_save(*, person: Person, before: Person | None, changed_by: Any) -> Person:
    """Save a person created or edited by hand (page, API, admin) and record what
    changed in their job history and the audit log. `before` is the record as it
    was loaded (None for a new person)."""
    person.save()
    JobChange.objects.bulk_create(person.history_since(before, effective=timezone.localdate()))
    AuditLog.objects.record(
        actor=changed_by,
        action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
        target=person,
        subject_person_id=person.pk,
        summary=f"{'Created' if before is None else 'Updated'} {person.full_name}",
    )
    return person
