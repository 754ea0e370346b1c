"""Reading the audit log: the filters the page and the API share, and the CSV export.

Only program admins (superusers are program admins) read the log: it says who read
whose confidential records, which is itself confidential. An export is recorded in
the log it exports.
"""

import datetime
from collections.abc import Iterator
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.accounts import policy
from tandem.accounts.models import AuditAction, AuditLog, AuditLogQuerySet
from tandem.lib import csvsafe

CSV_COLUMNS = [
    "at",
    "actor",
    "action",
    "target_type",
    "target_id",
    "subject_person_id",
    "summary",
    "ip",
]


def can_read_audit_log(user: Any) -> bool:
    return policy.is_program_admin(user)


def require_audit_reader(user: Any) -> None:
    if not can_read_audit_log(user):
        raise PermissionDenied("Only program admins can read the audit log.")


class AuditLogFilterForm(forms.Form):
    """Every filter is optional; an empty form selects the whole log."""

    actor = forms.CharField(
        label=_("Who"),
        max_length=150,
        required=False,
        help_text=_("A username, or part of the name shown in the log."),
    )
    action = forms.ChoiceField(
        label=_("Action"), choices=[("", _("Any action")), *AuditAction.choices], required=False
    )
    target_type = forms.CharField(
        label=_("Record type"),
        max_length=100,
        required=False,
        help_text=_("e.g. coaching.sessionnote"),
    )
    subject_person = forms.IntegerField(
        label=_("About person (id)"), min_value=1, max_value=2**63 - 1, required=False
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("Choose a date on or after the start date."))
        return cleaned


def filtered(
    entries: AuditLogQuerySet,
    *,
    actor: str = "",
    action: str = "",
    target_type: str = "",
    subject_person: int | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> AuditLogQuerySet:
    """Entries matching every given filter. Dates are whole days in the active time
    zone (the signed-in viewer's on the page; UTC for API tokens), both ends included."""
    if actor:
        entries = entries.filter(Q(actor__username__iexact=actor) | Q(actor_label__icontains=actor))
    if action:
        entries = entries.filter(action=action)
    if target_type:
        entries = entries.filter(target_type=target_type.strip().lower())
    if subject_person is not None:
        entries = entries.about_person(subject_person)
    if since is not None:
        entries = entries.filter(at__date__gte=since)
    if until is not None:
        entries = entries.filter(at__date__lte=until)
    return entries


def target_types() -> list[str]:
    """The record types the log holds, for the filter's suggestions."""
    return list(
        AuditLog.objects.order_by("target_type")
        .exclude(target_type="")
        .values_list("target_type", flat=True)
        .distinct()
    )


class _Echo:
    """A file-like object that hands back what is written, for streaming CSV rows."""

    def write(self, text: str) -> str:
        return text


def csv_lines(entries: AuditLogQuerySet) -> Iterator[str]:
    """The entries as CSV text, a line at a time, every cell safe from formula injection
    (a summary or a name may start with "=")."""
    writer = csvsafe.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for entry in entries.iterator(chunk_size=2000):
        yield writer.writerow(
            [
                entry.at.isoformat(),
                entry.actor_label,
                entry.action,
                entry.target_type,
                entry.target_id,
                "" if entry.subject_person_id is None else entry.subject_person_id,
                entry.summary,
                entry.ip or "",
            ]
        )
