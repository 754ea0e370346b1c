"""The course half's background jobs: the seat notices (waitlisted, promoted). The
calendar invitations go through accounts.calendar's own job.

Jobs take a seat id and read the seat as it is when they run: a notice that no longer
applies (the learner cancelled meanwhile) is not sent."""

from functools import partial

from django.db import transaction
from django_tasks import task

from tandem.training import course_emails


@task()
def send_seat_notice(seat_id: int, kind: str) -> bool:
    message = course_emails.seat_notice(seat_id, kind)
    if message is None:
        return False
    message.send()
    return True


def seat_notice_after_commit(seat_id: int, kind: str) -> None:
    transaction.on_commit(partial(send_seat_notice.enqueue, seat_id, kind))
