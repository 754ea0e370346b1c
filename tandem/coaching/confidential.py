"""The one way to what is said in coaching: session notes (GROW), the coachee's
takeaways, the next steps agreed in a session and shared journal entries.

Rules (DESIGN.md, "Confidentiality rules"): only the coach and the coachee of the
engagement read or write a session's notes and next steps — not program admins, not
managers, not the sponsor, not executive viewers, whatever other role they hold. Each
read is written to the audit log (who, which session, from where: page or API); the
log names the session, never the content. Pages, the API and nothing else call
these functions; the Django admin, exports and emails show metadata only.
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied

from tandem.accounts.models import AuditAction, AuditLog
from tandem.coaching import access
from tandem.coaching.models import ActionItem, JournalEntry, Session, SessionNotes


@dataclass(frozen=True)
class SessionContent:
    notes: SessionNotes | None
    next_steps: list[ActionItem] = field(default_factory=list)

    @property
    def has_notes(self) -> bool:
        notes = self.notes
        return notes is not None and any(
            (notes.goal, notes.reality, notes.options, notes.will, notes.takeaways)
        )


def _refuse_unless_party(user: Any, session: Session) -> None:
    if not access.can_read_notes(user, session.engagement):
        raise PermissionDenied("Session notes are for the coach and the coachee only.")


def record_read(user: Any, session: Session, *, via: str, ip: str | None = None) -> None:
    AuditLog.objects.record(
        actor=user,
        action=AuditAction.READ,
        target=session,
        subject_person_id=session.engagement.coachee_id,
        summary=f"Coaching session notes ({via})",
        ip=ip,
    )


def read_session(user: Any, session: Session, *, via: str, ip: str | None = None) -> SessionContent:
    """The notes and next steps of `session`, for its coach or coachee (PermissionDenied
    for anyone else); the read is audited."""
    _refuse_unless_party(user, session)
    notes = SessionNotes.objects.filter(session=session).first()
    steps = list(
        ActionItem.objects.filter(session=session)
        .select_related("engagement__coach__user", "engagement__coachee")
        .order_by("due_date", "pk")
    )
    record_read(user, session, via=via, ip=ip)
    return SessionContent(notes=notes, next_steps=steps)


def record_steps_read(user: Any, *, via: str, ip: str | None = None) -> None:
    """A list of next steps (the user's own, as coach or coachee) was read."""
    AuditLog.objects.record(
        actor=user,
        action=AuditAction.READ,
        target_type="coaching.actionitem",
        summary=f"Coaching next steps ({via})",
        ip=ip,
    )


def record_journal_read(user: Any, entry: JournalEntry, *, via: str) -> None:
    """A coach read an entry shared with them (the author's own reads are not logged)."""
    if entry.author.user_id != getattr(user, "pk", None):
        AuditLog.objects.record(
            actor=user,
            action=AuditAction.READ,
            target=entry,
            subject_person_id=entry.author_id,
            summary=f"Shared journal entry ({via})",
        )
