"""Executive participation figures: who counts as a senior executive on a day, what
counts as taking part in each activity in a quarter, and the shares with their n and
Wilson interval (worked by hand), "not enough data" under 5 executives.

The world (`executives_world`), dated from the quarter under way (`cur`, its first
day; `prev`, the quarter before):
    E1  senior  mentor since prev (open); two completed one-on-ones on cur (2 series)
    E2  senior  mentor activated and closed on cur; one completed, one planned 1:1
    E3  senior  mentor from two quarters back, closed in prev; coachee awaiting agreement
    E4  senior  owns a running program from cur; rated a placement in a review on cur
    E5  senior  sponsors E6's active engagement from cur; rated in a review held in prev
    E6  senior  coachee of that engagement; owns a draft program
    X   senior  left on cur (counted up to prev); mentor in prev
    E7  mid now, senior before a demotion on cur (counted up to prev)
    M   mid     mentor now (never counted)
Now: n=6; sponsoring E4 E5, mentoring E1 E2, coached E6, one-on-ones E1, talent
reviews E4, any 5 of 6. Prev: n=8; mentoring E1 E3 X, talent reviews E5, any 4 of 8.
"""

import datetime
from types import SimpleNamespace

from django.test import SimpleTestCase, TestCase
from django.utils import timezone

from tandem.accounts.models import Role
from tandem.coaching.models import Engagement, EngagementStatus
from tandem.coaching.tests.factories import CoachFactory
from tandem.conversations.models import Meeting, MeetingStatus, OneOnOneSeries
from tandem.insights import executives
from tandem.mentoring.models import ProposedVia, Relationship, RelationshipStatus
from tandem.people.models import ChangeKind, JobChange, Level
from tandem.programs.models import ProgramStatus
from tandem.succession.tests.factories import PlacementFactory, ReviewFactory
from tandem.tests.factories import PersonFactory, ProgramFactory, UserFactory, make_user_for

DAY = datetime.timedelta(days=1)


def noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def executives_world() -> SimpleNamespace:
    today = timezone.localdate()
    cur = executives.quarter_start(today)
    prev = executives.quarter_start(cur - DAY)
    before = executives.quarter_start(prev - DAY)
    e1, e2, e3, e4, e5, e6 = (PersonFactory(level=Level.SENIOR) for _ in range(6))
    departed = PersonFactory(level=Level.SENIOR, exit_date=cur)
    demoted = PersonFactory(level=Level.MID)
    JobChange.objects.create(
        person=demoted,
        effective_date=cur,
        kind=ChangeKind.DEMOTION,
        level=Level.MID,
        previous_level=Level.SENIOR,
    )
    mid = PersonFactory(level=Level.MID)
    reports = [PersonFactory(manager=e1) for _ in range(2)]
    mentees = [PersonFactory() for _ in range(6)]
    program = ProgramFactory(
        kind="mentoring",
        status=ProgramStatus.RUNNING,
        start_date=before,
        end_date=cur + 300 * DAY,
        owner=UserFactory(),
    )

    def mentor(who, mentee, status, activated, closed=None):
        Relationship.objects.create(
            program=program,
            mentee=mentee,
            mentor=who,
            via=ProposedVia.ADMIN,
            status=status,
            activated_at=noon(activated) if activated else None,
            closed_at=noon(closed) if closed else None,
        )

    mentor(e1, mentees[0], RelationshipStatus.ACTIVE, prev)
    mentor(e2, mentees[1], RelationshipStatus.CLOSED, cur, cur)
    mentor(e3, mentees[2], RelationshipStatus.CLOSED, before, prev)
    mentor(e3, mentees[3], RelationshipStatus.DECLINED, None)
    mentor(departed, mentees[4], RelationshipStatus.CLOSED, prev, cur - DAY)
    mentor(mid, mentees[5], RelationshipStatus.ACTIVE, prev)
    # E4 owns a running program; E6 a draft one.
    ProgramFactory(
        owner=make_user_for(e4),
        status=ProgramStatus.RUNNING,
        start_date=cur,
        end_date=cur + 200 * DAY,
    )
    ProgramFactory(
        owner=make_user_for(e6), status=ProgramStatus.DRAFT, start_date=cur, end_date=cur
    )
    Engagement.objects.create(
        coach=CoachFactory(),
        coachee=e6,
        sponsor=e5,
        status=EngagementStatus.ACTIVE,
        starts_on=cur,
        ends_on=cur + 180 * DAY,
    )
    Engagement.objects.create(
        coach=CoachFactory(),
        coachee=e3,
        status=EngagementStatus.AGREEMENT,
        starts_on=cur,
        ends_on=cur + 180 * DAY,
    )
    for report in reports:
        series = OneOnOneSeries.objects.create(manager=e1, report=report, first_on=cur)
        Meeting.objects.create(series=series, on=cur, status=MeetingStatus.COMPLETED)
    series = OneOnOneSeries.objects.create(manager=e2, report=mentees[0], first_on=prev)
    Meeting.objects.create(series=series, on=cur, status=MeetingStatus.COMPLETED)
    Meeting.objects.create(series=series, on=cur + 14 * DAY, status=MeetingStatus.PLANNED)
    PlacementFactory(review=ReviewFactory(held_on=cur), person=reports[0], rated_by=e4)
    PlacementFactory(review=ReviewFactory(held_on=prev), person=reports[1], rated_by=e5)
    return SimpleNamespace(
        today=today,
        cur=cur,
        prev=prev,
        seniors=[e1, e2, e3, e4, e5, e6],
        departed=departed,
        demoted=demoted,
        manager=make_user_for(e1),
        participant=make_user_for(mentees[0]),
        admin=UserFactory(roles=[Role.PROGRAM_ADMIN]),
        executive=UserFactory(roles=[Role.EXECUTIVE_VIEWER]),
        names=[
            p.full_name
            for p in [e1, e2, e3, e4, e5, e6, departed, demoted, mid, *reports, *mentees]
        ],
    )


def values(quarter: executives.PeriodShares) -> dict[str, float | None]:
    return {
        share.key: None if share.estimate.value is None else round(share.estimate.value, 2)
        for share in quarter.shares
    }


class Shares(SimpleTestCase):
    def test_it_gives_three_of_six_as_fifty_percent_with_the_wilson_interval(self):
        # p = 0.5, z = 1.95996, z²/n = 0.64025: centre 0.5, half width
        # 1.95996 / 1.64025 x sqrt(0.25 / 6 + 0.64025 / 24) = 0.31238.
        estimate = executives.share_estimate(3, 6)
        assert estimate.enough and estimate.n == 6
        assert estimate.value == 50.0
        assert round(estimate.low or 0, 2) == 18.76 and round(estimate.high or 0, 2) == 81.24

    def test_it_ends_the_interval_at_zero_and_at_one_hundred(self):
        none, everyone = executives.share_estimate(0, 5), executives.share_estimate(5, 5)
        assert (none.value, none.low) == (0.0, 0.0)
        assert (everyone.value, everyone.high) == (100.0, 100.0)

    def test_it_has_not_enough_data_under_five_executives(self):
        estimate = executives.share_estimate(3, 4)
        assert not estimate.enough and estimate.n == 4 and estimate.value is None
        assert executives.share_estimate(0, 0).format() == "not enough data (n=0)"

    def test_it_counts_eight_quarters_back_and_the_one_under_way(self):
        found = executives.periods(datetime.date(2026, 11, 21))
        assert [p.label for p in found] == [
            "2024 Q4",
            "2025 Q1",
            "2025 Q2",
            "2025 Q3",
            "2025 Q4",
            "2026 Q1",
            "2026 Q2",
            "2026 Q3",
            "2026 Q4",
        ]
        assert (found[0].start, found[0].end) == (
            datetime.date(2024, 10, 1),
            datetime.date(2024, 12, 31),
        )
        assert found[-1].current and found[-1].end == datetime.date(2026, 11, 21)
        assert not any(p.current for p in found[:-1])


class Participation(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.data = executives_world()

    def test_it_counts_active_seniors_on_the_day_by_their_level_then(self):
        data = self.data
        found = executives.senior_executives([data.today, data.cur - DAY])
        seniors = {p.pk for p in data.seniors}
        assert found[data.today] == seniors
        assert found[data.cur - DAY] == seniors | {data.departed.pk, data.demoted.pk}

    def test_it_gives_the_shares_of_the_quarter_under_way(self):
        current = executives.participation().current
        assert current.period.current and current.executives == 6
        assert all(share.estimate.n == 6 for share in current.shares)
        assert values(current) == {
            "sponsoring": 33.33,
            "mentoring": 33.33,
            "coached": 16.67,
            "one_on_ones": 16.67,
            "talent_reviews": 16.67,
            "any": 83.33,
        }

    def test_it_gives_the_shares_of_each_past_quarter(self):
        quarters = executives.participation().quarters
        assert len(quarters) == 9
        prev = quarters[-2]
        assert prev.period.start == self.data.prev and prev.executives == 8
        assert values(prev) == {
            "sponsoring": 0.0,
            "mentoring": 37.5,
            "coached": 0.0,
            "one_on_ones": 0.0,
            "talent_reviews": 12.5,
            "any": 50.0,
        }
        # Two quarters back only E3 mentored.
        assert values(quarters[-3])["mentoring"] == 12.5

    def test_it_has_not_enough_data_when_there_are_too_few_executives(self):
        for person in self.data.seniors[:2]:
            person.exit_date = self.data.cur
            person.save(update_fields=["exit_date"])
        current = executives.participation().current
        assert current.executives == 4
        assert all(not share.estimate.enough for share in current.shares)
