from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tasks import task

from tandem.accounts.calendar import invite_email
from tandem.accounts.models import LoginAttempt
from tandem.lib.ical import Attendee, CalendarEvent
from tandem.scheduler import periodic


@periodic(every=timedelta(hours=6))
@task()
def purge_stale_logins() -> dict[str, int]:
    """Drop expired sessions and login attempts older than the lockout window needs."""
    keep_since = timezone.now() - timedelta(
        seconds=max(settings.TANDEM_LOGIN_LOCKOUT_SECONDS, 86400) * 30
    )
    attempts, _ = LoginAttempt.objects.filter(at__lt=keep_since).delete()
    sessions, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return {"login_attempts": attempts, "sessions": sessions}


@task()
def send_calendar_invite(event: dict[str, Any], name: str, email: str, time_zone: str = "") -> bool:
    """Email one person an event's invitation (or its cancellation) with the .ics.

    The event travels as `CalendarEvent.to_dict()`: it holds no confidential content
    (see tandem.accounts.calendar), since the task queue is a table too."""
    invite_email(
        CalendarEvent.from_dict(event), to=Attendee(name, email), time_zone=time_zone
    ).send()
    return True
