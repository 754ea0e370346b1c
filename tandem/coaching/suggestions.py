"""Three coaches suggested for a coachee, ranked by fit (lib.coach_fit), each saying why.

What the ranking knows of the coachee: their leader level, language and time zone, the
competencies their development plan's goals name, and — only when the viewer may read
that 360's report (the coachee, their managers, program admins) — the blind spots and
agreed development areas of their latest closed 360. Reading it is audited like every
report read. Coaches who manage the coachee, or whose engagement with them ended
early, are not suggested again.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tandem.assessments.models import Review, ReviewStatus
from tandem.assessments.plan_summary import SUGGESTED
from tandem.assessments.report import ReportNotReady, build_report, can_read_report, record_read
from tandem.coaching.models import Certification, Coach, Engagement, EngagementStatus, language_name
from tandem.lib import coach_fit
from tandem.people.models import Level, Person, ReportingLine
from tandem.programs.models import Competency, Goal, GoalStatus

CERTIFICATION_RANK = {
    Certification.ICF_ACC: 1,
    Certification.ICF_PCC: 2,
    Certification.ICF_MCC: 3,
}
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Suggestion:
    coach: Coach
    score: float
    reasons: list[str]


def utc_offset_hours(time_zone: str, at: datetime | None = None) -> float:
    try:
        zone = zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    offset = (at or timezone.now()).astimezone(zone).utcoffset()
    return offset.total_seconds() / 3600 if offset is not None else 0.0


def _blind_spots(coachee: Person, viewer: Any, competencies: dict[str, int]) -> frozenset[int]:
    review = (
        Review.objects.filter(subject=coachee, status=ReviewStatus.CLOSED)
        .select_related("subject", "instrument", "previous__instrument")
        .order_by("-closed_at", "-pk")
        .first()
    )
    if review is None or not can_read_report(viewer, review):
        return frozenset()
    try:
        report = build_report(review)
    except ReportNotReady:
        return frozenset()
    record_read(viewer, review, via="coach suggestions")
    return frozenset(
        competencies[result.name.casefold()]
        for result in report.competencies
        if result.quadrant in SUGGESTED and result.name.casefold() in competencies
    )


def _goal_competencies(coachee: Person) -> frozenset[int]:
    goals = Goal.objects.filter(
        cycle__plan__person=coachee,
        cycle__closed_on__isnull=True,
        status__in=[GoalStatus.NOT_STARTED, GoalStatus.IN_PROGRESS],
        competency__isnull=False,
    )
    return frozenset(goals.values_list("competency_id", flat=True))


def needs_of(coachee: Person, *, viewer: Any, language: str) -> coach_fit.Needs:
    competencies = {
        name.casefold(): pk for pk, name in Competency.objects.values_list("pk", "name")
    }
    user = coachee.user
    return coach_fit.Needs(
        level=coachee.level,
        language=language,
        utc_offset_hours=utc_offset_hours(user.time_zone if user else "UTC"),
        blind_spots=_blind_spots(coachee, viewer, competencies),
        goal_competencies=_goal_competencies(coachee),
    )


def candidates(coachee: Person) -> list[Coach]:
    """Active coaches with a free place who may coach this person."""
    managers = ReportingLine.objects.filter(person_id=coachee.pk, depth__gt=0).values("manager_id")
    ended_early = Engagement.objects.filter(coachee=coachee, status=EngagementStatus.ENDED).values(
        "coach_id"
    )
    coaches = (
        Coach.objects.active()
        .with_free_places()
        .exclude(pk__in=ended_early)
        .exclude(user__person__in=managers)
        .select_related("user")
        .prefetch_related("specialties")
    )
    if coachee.user_id is not None:
        coaches = coaches.exclude(user_id=coachee.user_id)
    return list(coaches)


def _profile(coach: Coach) -> coach_fit.CoachProfile:
    return coach_fit.CoachProfile(
        id=coach.pk,
        specialties=frozenset(s.pk for s in coach.specialties.all()),
        levels=frozenset(coach.levels),
        languages=frozenset(coach.languages),
        utc_offset_hours=utc_offset_hours(coach.time_zone),
        capacity=coach.capacity,
        # `load` is annotated by CoachQuerySet.with_load.
        coachees=coach.load,  # type: ignore[attr-defined]
        certification_rank=CERTIFICATION_RANK.get(coach.certification, 0),  # type: ignore[call-overload]
    )


def _names(ids: tuple[int, ...], names: dict[int, str]) -> str:
    return ", ".join(names[pk] for pk in ids if pk in names)


def describe(
    reason: coach_fit.Reason, *, coach: Coach, needs: coach_fit.Needs, names: dict[int, str]
) -> str:
    """One reason as a sentence for the suggestion card."""
    code = reason.code
    if code == coach_fit.BLIND_SPOT:
        return _("Works on %(areas)s: where the latest 360 suggests growing") % {
            "areas": _names(reason.competencies, names)
        }
    if code == coach_fit.GOAL:
        return _("Works on %(areas)s, which a goal of the development plan names") % {
            "areas": _names(reason.competencies, names)
        }
    if code == coach_fit.LEVEL:
        return _("Coaches at the %(level)s level") % {"level": Level(needs.level).label}
    if code == coach_fit.LANGUAGE:
        return _("Coaches in %(language)s") % {"language": language_name(needs.language)}
    if code == coach_fit.NO_LANGUAGE:
        return _("Does not coach in %(language)s") % {"language": language_name(needs.language)}
    if code in (coach_fit.TIME_ZONE, coach_fit.FAR_TIME_ZONE):
        hours = round(reason.hours)
        if hours == 0:
            return _("Same working hours (%(zone)s)") % {"zone": coach.time_zone}
        return ngettext(
            "%(hours)s hour apart (%(zone)s)", "%(hours)s hours apart (%(zone)s)", hours
        ) % {"hours": hours, "zone": coach.time_zone}
    if code == coach_fit.PLACES:
        return _("%(free)s of %(capacity)s places free") % {
            "free": reason.free,
            "capacity": reason.capacity,
        }
    if code == coach_fit.CERTIFICATION:
        return _("Certified: %(certification)s") % {
            "certification": coach.get_certification_display()
        }
    return code


def suggest(
    coachee: Person, *, viewer: Any, language: str = DEFAULT_LANGUAGE, limit: int = 3
) -> list[Suggestion]:
    """The best-fitting coaches with a free place, best first, each with its reasons."""
    needs = needs_of(coachee, viewer=viewer, language=language)
    coaches = {coach.pk: coach for coach in candidates(coachee)}
    names = dict(Competency.objects.values_list("pk", "name"))
    ranked = coach_fit.rank([_profile(c) for c in coaches.values()], needs, limit=limit)
    return [
        Suggestion(
            coach=coaches[fit.coach_id],
            score=fit.score,
            reasons=[
                describe(reason, coach=coaches[fit.coach_id], needs=needs, names=names)
                for reason in fit.reasons
            ],
        )
        for fit in ranked
    ]
