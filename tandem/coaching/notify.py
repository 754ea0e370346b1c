"""What services tell people: each enqueues a background job with record ids (or a
calendar event's time, place and names), never content. Coaching's own jobs are rows
of the task queue written in the service's transaction, so a refused or rolled-back
step sends nothing; calendar invitations are enqueued once the transaction commits."""

from tandem.coaching import calendar, tasks
from tandem.coaching.models import ChemistryCall, Engagement, Session


def paired(engagement: Engagement) -> None:
    tasks.send_pairing_emails.enqueue(engagement.pk)


def chemistry_call_requested(call: ChemistryCall) -> None:
    tasks.send_chemistry_call_request.enqueue(call.pk)


def session_invite(session: Session) -> None:
    """The invitation (or its update): an .ics REQUEST to each party, after commit."""
    calendar.send_session_invites(session)


def session_cancelled(session: Session) -> None:
    """The cancellation: an .ics CANCEL with the next SEQUENCE, after commit."""
    calendar.send_session_invites(session)


def rating_requested(session: Session) -> None:
    tasks.send_rating_request.enqueue(session.pk)
