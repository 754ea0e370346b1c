"""What the load test's simulated users work on, read from (and, for rater links,
written to) the demo organization: ids of plans, goals, one-on-ones, coaching
sessions, programs and closed 360 reviews, and fresh raw rater tokens.

Rater links keep only a hash of their token, so the demo's raw tokens are gone; the
fixture opens new 360 reviews through the services that issue invitations and mints
each invitation's token the way the invitation email does, keeping the raw token.
"""

from datetime import timedelta
from typing import Any

RATERS_PER_REVIEW = 25


def prepare(*, rater_tokens: int) -> dict[str, Any]:
    """Needs Django set up on the load database, after `tandem demo`."""
    from django.db import transaction
    from django.utils import timezone

    from tandem.accounts.models import User
    from tandem.assessments.models import Review, ReviewStatus
    from tandem.coaching.models import EngagementGoal, SessionStatus
    from tandem.coaching.models import Session as CoachingSession
    from tandem.conversations.models import OneOnOneSeries
    from tandem.people.demo import DEMO_PASSWORD
    from tandem.programs.models import DevelopmentPlan, Goal, Program

    users = {u.username: u for u in User.objects.filter(username__in=DEMO_LOGINS)}
    missing = sorted(set(DEMO_LOGINS) - set(users))
    if missing:
        raise SystemExit(f"the demo has no login for {', '.join(missing)}")

    def person_of(username: str) -> Any:
        return getattr(users[username], "person", None)

    participant = person_of("participant")
    manager = person_of("manager")
    today = timezone.localdate()

    def open_plans(**filters: Any) -> list[DevelopmentPlan]:
        return list(
            DevelopmentPlan.objects.filter(cycles__closed_on__isnull=True, **filters)
            .exclude(cycles__closed_on__isnull=True, cycles__stage="assess")
            .select_related("person")
            .distinct()
        )

    my_plans = open_plans(person=participant)
    team_plans = open_plans(person__manager=manager)
    goals = list(
        Goal.objects.filter(cycle__plan__in=my_plans, cycle__closed_on__isnull=True).values(
            "pk", "cycle__plan_id"
        )
    )
    coach_sessions = list(
        CoachingSession.objects.filter(
            engagement__coach__user=users["coach"], status=SessionStatus.HELD
        ).values_list("pk", flat=True)
    )
    coach_goals = list(
        EngagementGoal.objects.filter(engagement__coach__user=users["coach"]).values_list(
            "pk", flat=True
        )
    )
    series = list(
        OneOnOneSeries.objects.active().filter(manager=manager).values_list("pk", flat=True)
    )
    programs = list(Program.objects.values_list("pk", flat=True))
    reports = list(
        Review.objects.filter(status=ReviewStatus.CLOSED).values_list("pk", flat=True)[:12]
    )
    with transaction.atomic():
        tokens, instrument = _rater_links(users["admin"], rater_tokens, today + timedelta(30))
    return {
        "password": DEMO_PASSWORD,
        "participant": {
            "person": participant.pk,
            "manager": participant.manager_id,
            "plans": [p.pk for p in my_plans],
            "goals": [{"plan": g["cycle__plan_id"], "goal": g["pk"]} for g in goals],
        },
        "manager": {
            "person": manager.pk,
            "series": series,
            "team_plans": [{"plan": p.pk, "person": p.person_id} for p in team_plans],
        },
        "coach": {"sessions": coach_sessions, "goals": coach_goals},
        "admin": {"programs": programs, "reports": reports},
        "rater": {"tokens": tokens, "items": instrument["items"], "scale": instrument["scale"]},
    }


DEMO_LOGINS = ("admin", "participant", "manager", "coach", "mentor", "executive")


def _rater_links(admin: Any, wanted: int, closes_on: Any) -> tuple[list[str], dict[str, Any]]:
    from tandem.assessments import services, tokens
    from tandem.assessments.models import RaterInvitation, Review, ReviewStatus
    from tandem.people.models import Person

    busy = Review.objects.exclude(status=ReviewStatus.CLOSED).values("subject_id")
    subjects = (
        Person.objects.active()
        .exclude(pk__in=busy)
        .exclude(user__isnull=False)
        .order_by("pk")[: wanted // RATERS_PER_REVIEW + 1]
    )
    raw_tokens: list[str] = []
    review = None
    for subject in subjects:
        review = services.review_start(subject=subject, closes_on=closes_on, started_by=admin)
        for n in range(RATERS_PER_REVIEW):
            services.nominate(
                review=review,
                group="peers",
                by=admin,
                name=f"Load rater {n}",
                email=f"load-rater-{review.pk}-{n}@example.com",
            )
        services.approve(review=review, approved_by=admin)
        for invitation in RaterInvitation.objects.filter(nomination__review=review):
            raw = tokens.new_token()
            invitation.token_hash = tokens.hash_token(raw)
            invitation.sent_at = invitation.sent_at or review.approved_at
            invitation.save(update_fields=["token_hash", "sent_at"])
            raw_tokens.append(raw)
    if review is None:
        raise SystemExit("no active person is free for a 360 in the demo organization")
    doc = review.instrument.document
    return raw_tokens, {
        "items": sorted(review.instrument.item_keys()),
        "scale": [doc["scale"]["min"], doc["scale"]["max"]],
    }
