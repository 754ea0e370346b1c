"""Demo data for assessments, registered with the demo organization in
AssessmentsConfig.ready() (after the programs' loader, whose cohort it reviews).

- Six participants of the "Emerging Leaders Accelerator" (the demo "participant"
  first, when enrolled there) each have two closed 360 reviews: one about eight months
  before the as-of date and one a month before, the second linked to the first.
- Raters are real colleagues: the manager, four peers, up to four direct reports (and
  colleagues of the same unit as "others" when there are too few). Every rater has
  submitted; ratings are mostly 3-4, lower on the person's weaker competencies, and the
  second review shows gains on two or three of them, "Coaching others" above all as
  seen by the direct reports.
- The self column is a submitted self-assessment, a little generous on the weaker
  competencies, so the Johari view shows blind spots.
- One participant's second review has only two direct-report answers, so the report
  shows "not enough responses" for that group.
- The demo users "participant" and "manager" have a submitted style profile.
- Every plan the programs' demo moves past "assess" first gets a submitted
  self-assessment on its enrollment (`take_self_assessment`, registered as the assess
  step's work), as the cycle requires; a plan in its second cycle has two, so its
  page shows the before and after.

Rows are written with the ORM (the services would send emails and mint tokens).
"""

import hashlib
from datetime import UTC, date, datetime, time, timedelta
from random import Random
from statistics import NormalDist
from typing import Any

from tandem.accounts.models import User
from tandem.assessments import self_service
from tandem.assessments.models import (
    Instrument,
    InstrumentKind,
    Nomination,
    NominationStatus,
    RaterGroup,
    RaterInvitation,
    Rating,
    Response,
    Review,
    ReviewStatus,
    SelfAssessment,
    StyleProfile,
)
from tandem.lib.anonymity import Thresholds
from tandem.lib.instruments import score_style
from tandem.people.demo import DemoContext
from tandem.people.models import Person
from tandem.programs.models import DevelopmentPlan, Enrollment

PROGRAM = "Emerging Leaders Accelerator"
COHORT_SIZE = 6
FIRST_DAYS_AGO = 240
SECOND_DAYS_AGO = 30
COACHING = "coaching-others"
NOT_OBSERVED = "n/o"

COMMENTS = (
    "Always makes time when someone is stuck.",
    "Could share the reasons behind decisions more often.",
    "Runs focused meetings and follows up on what was agreed.",
    "Tends to jump in and solve problems instead of letting the team try.",
    "Gives clear, specific feedback; I would like more of it.",
    "Handles disagreement calmly and keeps the discussion on the facts.",
    "Sometimes overloaded, which makes one-on-ones slip.",
    "Has become much better at asking questions before giving answers.",
)


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _token(*parts: object) -> str:
    return hashlib.sha256(":".join(str(p) for p in parts).encode()).hexdigest()


class _Builder:
    def __init__(self, context: DemoContext, instrument: Instrument) -> None:
        self.context = context
        self.rng: Random = context.rng
        self.instrument = instrument
        self.self_instrument = self_service.self_instrument()
        self.competencies = instrument.document["competencies"]
        low, high = instrument.document["scale"]["min"], instrument.document["scale"]["max"]
        self.low, self.high = int(low), int(high)
        self.admin = User.objects.get(username="admin")
        self.thresholds = Thresholds().validated()
        self.reviews = 0

    def _ratings(self, level: float, count: int, reverse: bool) -> list[int]:
        """`count` ratings around `level`: spread like a normal distribution, but drawn
        from its quantiles so a group's mean stays close to `level` (the shifts show)."""
        spread = NormalDist(0, 0.6)
        if count == 1:
            noise = [self.rng.gauss(0, 0.4)]
        else:
            noise = [spread.inv_cdf((i + 0.5) / count) for i in range(count)]
        self.rng.shuffle(noise)
        ratings = [max(self.low, min(self.high, round(level + z))) for z in noise]
        return [self.low + self.high - r if reverse else r for r in ratings]

    def answers(
        self, levels: list[dict[str, float]], *, not_observed: float = 0.05
    ) -> list[dict[str, Any]]:
        """One set of answers per entry of `levels` (a rater's expected level per
        competency); raters given the same levels are one group around them."""
        answers: list[dict[str, Any]] = [{} for _ in levels]
        groups: dict[int, list[int]] = {}
        for index, wanted in enumerate(levels):
            groups.setdefault(id(wanted), []).append(index)
        for competency in self.competencies:
            for item in competency["items"]:
                for indexes in groups.values():
                    level = levels[indexes[0]][competency["key"]]
                    ratings = self._ratings(level, len(indexes), bool(item.get("reverse")))
                    for index, rating in zip(indexes, ratings, strict=True):
                        observed = not not_observed or self.rng.random() >= not_observed
                        answers[index][item["key"]] = rating if observed else NOT_OBSERVED
        return answers

    def raters(self, person: Person) -> list[tuple[str, Person]]:
        as_of = self.context.as_of
        chosen: list[tuple[str, Person]] = []
        taken = {person.pk}
        if person.manager_id is not None and person.manager is not None:
            chosen.append((RaterGroup.MANAGER, person.manager))
            taken.add(person.manager.pk)
        reports = list(person.reports.active(as_of).order_by("employee_id")[:4])
        chosen += [(RaterGroup.DIRECT_REPORTS, p) for p in reports]
        taken |= {p.pk for p in reports}
        peers: list[Person] = []
        if person.manager_id is not None:
            peers = list(
                Person.objects.active(as_of)
                .filter(manager_id=person.manager_id)
                .exclude(pk__in=taken)
                .order_by("employee_id")[:4]
            )
        if len(peers) < 4 and person.org_unit_id is not None:
            peers += list(
                Person.objects.active(as_of)
                .filter(org_unit_id=person.org_unit_id)
                .exclude(pk__in=taken | {p.pk for p in peers})
                .order_by("employee_id")[: 4 - len(peers)]
            )
        chosen += [(RaterGroup.PEERS, p) for p in peers]
        taken |= {p.pk for p in peers}
        if len(reports) < 3 and person.org_unit_id is not None:
            others = list(
                Person.objects.active(as_of)
                .filter(org_unit_id=person.org_unit_id)
                .exclude(pk__in=taken)
                .order_by("employee_id")[:3]
            )
            chosen += [(RaterGroup.OTHERS, p) for p in others]
        return chosen

    def review(
        self,
        person: Person,
        enrollment: Enrollment | None,
        raters: list[tuple[str, Person]],
        levels: dict[str, float],
        report_levels: dict[str, float],
        self_levels: dict[str, float],
        *,
        days_ago: int,
        previous: Review | None,
    ) -> Review:
        as_of = self.context.as_of
        started = as_of - timedelta(days=days_ago)
        approved_at = _at(started + timedelta(days=5))
        closes_on = started + timedelta(days=21)
        created_by = person.user or self.admin
        review = Review.objects.create(
            subject=person,
            instrument=self.instrument,
            enrollment=enrollment,
            previous=previous,
            status=ReviewStatus.CLOSED,
            closes_on=closes_on,
            min_peers=self.thresholds.peers,
            min_direct_reports=self.thresholds.direct_reports,
            min_others=self.thresholds.others,
            min_all_others=self.thresholds.all_others,
            show_manager=self.thresholds.show_manager,
            created_by=created_by,
            created_at=_at(started),
            approved_by=self.admin,
            approved_at=approved_at,
            closed_at=_at(closes_on + timedelta(days=1), 1),
        )
        Review.objects.filter(pk=review.pk).update(created_at=_at(started))
        nominations = Nomination.objects.bulk_create(
            Nomination(
                review=review,
                group=group,
                person=rater,
                name=rater.full_name,
                email=rater.email,
                status=NominationStatus.APPROVED,
                created_at=_at(started + timedelta(days=1)),
            )
            for group, rater in raters
        )
        invitations = RaterInvitation.objects.bulk_create(
            RaterInvitation(
                nomination=nomination,
                token_hash=_token(self.context.seed, review.pk, nomination.pk),
                expires_at=_at(closes_on + timedelta(days=1)),
                sent_at=approved_at,
                submitted_at=_at(started + timedelta(days=6 + index % 12), 9 + index % 8),
            )
            for index, nomination in enumerate(nominations)
        )
        commenters = set(self.rng.sample(range(len(invitations)), min(2, len(invitations))))
        answers = self.answers(
            [
                report_levels if group == RaterGroup.DIRECT_REPORTS else levels
                for group, _rater in raters
            ]
        )
        responses = []
        for index, invitation in enumerate(invitations):
            group = invitation.nomination.group
            comments = {}
            if index in commenters:
                competency = self.rng.choice(self.competencies)["key"]
                comments[competency] = self.rng.choice(COMMENTS)
            responses.append(
                Response(
                    review=review,
                    group=group,
                    invitation=invitation,
                    answers=answers[index],
                    comments=comments,
                    submitted_at=invitation.submitted_at,
                )
            )
        Rating.objects.record(Response.objects.bulk_create(responses))
        SelfAssessment.objects.create(
            person=person,
            instrument=self.self_instrument,
            enrollment=enrollment,
            review=review,
            answers=self.answers([self_levels], not_observed=0)[0],
            submitted_at=_at(started + timedelta(days=3)),
            created_at=_at(started),
        )
        self.reviews += 1
        return review

    def cohort(self, person: Person, enrollment: Enrollment | None, *, few_reports: bool) -> None:
        keys = [c["key"] for c in self.competencies]
        levels = {key: self.rng.uniform(3.3, 3.9) for key in keys}
        weaker = [COACHING, *self.rng.sample([k for k in keys if k != COACHING], 2)]
        for key in weaker:
            levels[key] = self.rng.uniform(2.5, 2.9)
        report_levels = dict(levels)
        report_levels[COACHING] -= 0.2
        # The self view: close to the others', generous on one or two weak spots.
        self_levels = {
            key: min(4.6, level + self.rng.uniform(-0.3, 0.3)) for key, level in levels.items()
        }
        for key in weaker[:2]:
            self_levels[key] = 4.9
        raters = self.raters(person)
        first = self.review(
            person,
            enrollment,
            raters,
            levels,
            report_levels,
            self_levels,
            days_ago=FIRST_DAYS_AGO,
            previous=None,
        )
        improved = [COACHING, *self.rng.sample(weaker[1:], 1)]
        later = dict(levels)
        later_reports = dict(report_levels)
        for key in improved:
            gain = self.rng.uniform(0.3, 0.6)
            later[key] += gain
            later_reports[key] += gain + (0.15 if key == COACHING else 0)
        later_self = dict(self_levels)
        later_self[weaker[0]] = 4.0  # more realistic after the first report
        if few_reports:
            reports = [r for r in raters if r[0] == RaterGroup.DIRECT_REPORTS]
            raters = [r for r in raters if r[0] != RaterGroup.DIRECT_REPORTS] + reports[:2]
        self.review(
            person,
            enrollment,
            raters,
            later,
            later_reports,
            later_self,
            days_ago=SECOND_DAYS_AGO,
            previous=first,
        )

    def style_profile(self, person: Person) -> None:
        instrument = self_service.style_instrument()
        doc = instrument.document
        low, high = int(doc["scale"]["min"]), int(doc["scale"]["max"])
        answers = {item["key"]: self.rng.randint(low, high) for item in doc["items"]}
        style_key, axis_scores = score_style(doc, answers)
        submitted = _at(self.context.as_of - timedelta(days=self.rng.randint(20, 90)))
        StyleProfile.objects.create(
            person=person,
            instrument=instrument,
            answers=answers,
            style_key=style_key,
            axis_scores=axis_scores,
            submitted_at=submitted,
            created_at=submitted,
        )


def take_self_assessment(plan: DevelopmentPlan, day: date) -> None:
    """The assess step's self-assessment of the plan's person, submitted on `day`: mostly
    3s and 4s, and a little higher in a later cycle. Drawn from the person and the day,
    so the programs' demo draws the same numbers whatever runs around it."""
    instrument = self_service.self_instrument()
    rng = Random(f"self-assessment:{plan.person.employee_id}:{day.isoformat()}")
    later = SelfAssessment.objects.filter(person_id=plan.person_id).exists()
    low, high = self_service.scale_of(instrument)
    answers = {}
    for competency in instrument.document["competencies"]:
        level = rng.uniform(2.8, 3.9) + (0.3 if later else 0)
        for item in competency["items"]:
            rating = max(low, min(high, round(level + rng.gauss(0, 0.5))))
            answers[item["key"]] = low + high - rating if item.get("reverse") else rating
    instrument.freeze()
    SelfAssessment.objects.create(
        person_id=plan.person_id,
        instrument=instrument,
        enrollment_id=plan.enrollment_id,
        answers=answers,
        submitted_at=_at(day, 17),
        created_at=_at(day, 16),
    )


def load_assessments(context: DemoContext) -> str:
    """Write the demo 360 reviews and style profiles; returns a line for the report."""
    instrument = (
        Instrument.objects.filter(key="leadership-360", kind=InstrumentKind.FEEDBACK_360)
        .order_by("-version")
        .first()
    )
    if instrument is None:
        return ""
    builder = _Builder(context, instrument)
    demo_people = {
        person.user.username: person
        for person in Person.objects.filter(
            user__username__in=[login.username for login in context.logins]
        ).select_related("user")
        if person.user is not None
    }
    enrollments = list(
        Enrollment.objects.filter(program__name=PROGRAM)
        .select_related("person", "person__manager", "person__user")
        .order_by("pk")
    )
    participant = demo_people.get("participant")
    enrollments.sort(key=lambda e: e.person != participant)
    chosen = enrollments[:COHORT_SIZE]
    # The one with only two direct-report answers the second time: someone with three or more.
    report_counts = {e.pk: e.person.reports.active(context.as_of).count() for e in chosen}
    few = next((e.pk for e in reversed(chosen) if report_counts[e.pk] >= 3), None)
    for enrollment in chosen:
        builder.cohort(enrollment.person, enrollment, few_reports=enrollment.pk == few)
    instrument.freeze()
    profiles = 0
    for username in ("participant", "manager"):
        person = demo_people.get(username)
        if person is not None:
            builder.style_profile(person)
            profiles += 1
    return (
        f"Assessments: {builder.reviews} closed 360 reviews for {len(chosen)} participants "
        f"of {PROGRAM}, {profiles} style profiles."
    )


def delete_assessments() -> None:
    """Before the organization is reset: reviews (with their nominations, invitations
    and responses), self-assessments and style profiles. Instruments stay."""
    Review.objects.update(previous=None)
    Review.objects.all().delete()
    SelfAssessment.objects.all().delete()
    StyleProfile.objects.all().delete()
