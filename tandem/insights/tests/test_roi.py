"""The ROI computation, by hand-worked cases: costs from cost lines, coaching sessions,
training seats and mentoring meetings; the replacement cost from salary bands; the
Phillips figures through `program_roi`.

The worked program (`worked`), in EUR, with a loaded hourly cost of 80, replacement
at 50 % of the band and 12 months of benefits:
    cost lines           facilitation 10,000 + platform 2,000          = 12,000
    coach fees           3 held sessions x 60 min at 200/h             =    600
    participant time     coaching 3 h + training 2 x 3 h + mentoring
                         2 x 45 min = 10.5 h x 80                      =    840
    costs                                                               = 13,440
    replacement cost     mean band of 2 emerging (60,000) and 1 mid
                         (90,000) = 70,000 x 50 %                       = 35,000
    exits avoided        0.5 x 35,000                                   = 17,500
    benefit line         20,000 x 80 % x 50 %                           =  8,000
    benefits                                                            = 25,500
    BCR 25,500 / 13,440 = 1.897; ROI 89.7 %; payback 13,440 x 12 / 25,500 = 6.32 months
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from tandem.coaching.models import Engagement
from tandem.coaching.models import Session as CoachingSession
from tandem.coaching.tests.factories import CoachFactory
from tandem.insights import roi
from tandem.insights.models import BenefitLine, ImpactSettings, Intangible, SalaryBand
from tandem.mentoring.models import Meeting, MeetingAttendance, Relationship
from tandem.programs.models import CostLine, Enrollment, EnrollmentStatus
from tandem.tests.factories import PersonFactory, ProgramFactory, enroll
from tandem.training.models import Course, CourseSession, Seat

pytestmark = pytest.mark.django_db

EUR = Decimal


def participant(program, level="emerging", status=EnrollmentStatus.ACTIVE):
    person = PersonFactory(level=level)
    plan = enroll(program, person)
    Enrollment.objects.filter(pk=plan.enrollment_id).update(status=status)
    return person, plan


def coaching(plan, coach, *, held=1, minutes=60, other=0):
    """An engagement on `plan` with `held` held sessions and `other` that were not."""
    engagement = Engagement.objects.create(
        coach=coach, coachee=plan.person, plan=plan, status="active", paired_via="admin"
    )
    when = timezone.now() - datetime.timedelta(days=30)
    for status in ["held"] * held + ["cancelled", "scheduled", "no_show"][:other]:
        CoachingSession.objects.create(
            engagement=engagement, starts_at=when, duration_minutes=minutes, status=status
        )
    return engagement


def training(program, people, *, minutes=180, attended=True):
    course = Course.objects.create(title="Feedback that lands", program=program)
    session = CourseSession.objects.create(
        course=course,
        starts_at=timezone.now() - datetime.timedelta(days=20),
        duration_minutes=minutes,
        status="held",
    )
    for person in people:
        Seat.objects.create(session=session, person=person, status="enrolled", attended=attended)
    return session


def mentoring(program, mentees, *, minutes=45):
    mentor = PersonFactory(level="senior")
    meeting = Meeting.objects.create(
        program=program,
        mentor=mentor,
        held_on=datetime.date(2026, 3, 2),
        duration_minutes=minutes,
    )
    for mentee in mentees:
        relationship = Relationship.objects.create(
            program=program, mentee=mentee, mentor=mentor, via="admin", status="active"
        )
        MeetingAttendance.objects.create(meeting=meeting, relationship=relationship)
    return meeting


@pytest.fixture
def worked(db):
    program = ProgramFactory(currency="EUR")
    ImpactSettings.objects.create(
        program=program,
        loaded_hourly_cost=EUR("80"),
        replacement_cost_percent=EUR("50"),
        benefit_months=12,
    )
    anna, anna_plan = participant(program, "emerging")
    ben, ben_plan = participant(program, "emerging", EnrollmentStatus.COMPLETED)
    cleo, _cleo_plan = participant(program, "mid")
    # Invited only: not a participant yet (their level has no band either).
    participant(program, "senior", EnrollmentStatus.INVITED)
    coach = CoachFactory(hourly_rate=200, currency="EUR")
    coaching(anna_plan, coach, held=2, other=3)
    coaching(ben_plan, CoachFactory(hourly_rate=200, currency="EUR"), held=1)
    training(program, [anna, ben])
    training(program, [cleo], attended=False)  # absent: no time spent
    training(program, [PersonFactory()])  # a learner outside the program
    mentoring(program, [anna, cleo])
    CostLine.objects.create(
        program=program, category="facilitation", description="Design", amount=EUR("10000")
    )
    CostLine.objects.create(
        program=program, category="platform_admin", description="Licences", amount=EUR("2000")
    )
    SalaryBand.objects.create(level="emerging", annual_midpoint=EUR("60000"))
    SalaryBand.objects.create(level="mid", annual_midpoint=EUR("90000"))
    BenefitLine.objects.create(
        program=program,
        description="Fewer escalations",
        value=EUR("20000"),
        attribution_percent=EUR("80"),
        confidence_percent=EUR("50"),
        estimator="Head of operations",
    )
    Intangible.objects.create(program=program, description="Better collaboration")
    # Another program's activity never counts here.
    other = ProgramFactory()
    _, other_plan = participant(other)
    coaching(other_plan, coach, held=4)
    training(other, [anna])
    return SimpleNamespace(program=program, anna=anna, coach=coach)


def by_label(items):
    return {item.label: item for item in items}


class TestCosts:
    def test_it_adds_cost_lines_coach_fees_and_participant_time(self, worked):
        items = by_label(roi.program_costs(worked.program))
        assert {label: item.amount for label, item in items.items()} == {
            "Facilitation and design": EUR("10000.00"),
            "Coach fees": EUR("600.00"),
            "Participant time: coaching": EUR("240.00"),
            "Participant time: training": EUR("480.00"),
            "Participant time: mentoring": EUR("120.00"),
            "Platform and administration": EUR("2000.00"),
        }
        assert items["Coach fees"].computed and not items["Facilitation and design"].computed
        assert items["Coach fees"].source.startswith("3 held coaching sessions with 2 coaches")
        assert "6.0 h in 2 attended training sessions" in items["Participant time: training"].source
        assert "1.5 h in 2 mentoring meetings" in items["Participant time: mentoring"].source

    def test_it_lists_costs_in_the_order_of_the_categories(self, worked):
        categories = [item.category for item in roi.program_costs(worked.program)]
        assert categories == [
            "facilitation",
            "coaching",
            "participant_time",
            "participant_time",
            "participant_time",
            "platform_admin",
        ]

    def test_a_manual_coaching_line_replaces_the_computed_fees(self, worked):
        CostLine.objects.create(
            program=worked.program, category="coaching", description="Invoice", amount=EUR("1000")
        )
        items = by_label(roi.program_costs(worked.program))
        assert "Coach fees" not in items
        coaching_fees = items["Coaching fees"]
        assert coaching_fees.amount == EUR("1000") and not coaching_fees.computed
        assert "replace the computed figure (600.00 EUR" in coaching_fees.source
        # Participant time is still computed: only the category with lines is replaced.
        assert items["Participant time: coaching"].amount == EUR("240.00")

    def test_a_manual_participant_time_line_replaces_every_computed_kind(self, worked):
        CostLine.objects.create(
            program=worked.program,
            category="participant_time",
            description="Timesheets",
            amount=EUR("5000"),
        )
        items = roi.program_costs(worked.program)
        time = [item for item in items if item.category == "participant_time"]
        assert [(item.amount, item.computed) for item in time] == [(EUR("5000"), False)]
        assert "840.00 EUR" in time[0].source

    def test_it_sums_a_categorys_lines_into_one_item_naming_them(self, worked):
        for name in ["Venue", "Travel", "Hotel", "Taxis"]:
            CostLine.objects.create(
                program=worked.program, category="venue_travel", description=name, amount=10
            )
        item = by_label(roi.program_costs(worked.program))["Venue and travel"]
        assert item.amount == EUR("40")
        assert item.source == "The program's cost lines: Venue, Travel, Hotel and 1 more"

    def test_it_leaves_out_coaches_paid_in_another_currency_and_says_so(self, worked):
        _, plan = participant(worked.program)
        coaching(plan, CoachFactory(hourly_rate=300, currency="USD"), held=2)
        item = by_label(roi.program_costs(worked.program))["Coach fees"]
        assert item.amount == EUR("600.00")
        assert "; 2 sessions by coaches paid in USD are not counted" in item.source
        # The coachee's time still counts: 3 + 2 hours.
        time = by_label(roi.program_costs(worked.program))["Participant time: coaching"]
        assert time.amount == EUR("400.00")

    def test_without_a_loaded_hourly_cost_participant_time_shows_at_zero(self, worked):
        ImpactSettings.objects.filter(program=worked.program).update(loaded_hourly_cost=0)
        items = by_label(roi.program_costs(worked.program))
        assert items["Participant time: training"].amount == EUR("0.00")

    def test_a_program_with_nothing_recorded_has_no_costs(self, db):
        assert roi.program_costs(ProgramFactory()) == []

    def test_it_answers_in_a_fixed_number_of_queries(self, worked, django_assert_num_queries):
        with django_assert_num_queries(5):  # settings, lines, sessions, seats, meetings
            roi.program_costs(worked.program)
        _, plan = participant(worked.program)
        coaching(plan, CoachFactory(), held=3)
        training(worked.program, [plan.person])
        with django_assert_num_queries(5):
            roi.program_costs(worked.program)


class TestReplacementCost:
    def test_it_is_the_mean_band_of_the_participants_times_the_share(self, worked):
        assert roi.replacement_cost(worked.program) == EUR("35000.00")
        basis = roi.replacement_cost_basis(worked.program)
        assert (basis.counted, basis.participants, basis.missing_levels) == (3, 3, [])

    def test_participants_at_a_level_without_a_band_are_left_out_and_named(self, worked):
        participant(worked.program, "senior")
        basis = roi.replacement_cost_basis(worked.program)
        assert basis.per_exit == EUR("35000.00")
        assert (basis.counted, basis.participants) == (3, 4)
        assert basis.missing_levels == ["Senior executive"]

    def test_it_is_none_without_a_band_for_any_participants_level(self, worked):
        SalaryBand.objects.all().delete()
        assert roi.replacement_cost(worked.program) is None

    def test_it_is_none_without_participants(self, db):
        SalaryBand.objects.create(level="mid", annual_midpoint=90000)
        assert roi.replacement_cost(ProgramFactory()) is None


class TestProgramRoi:
    def test_it_reproduces_the_hand_worked_program(self, worked):
        result = roi.program_roi(worked.program, exits_avoided=0.5)
        assert result.total_costs == EUR("13440.00")
        assert result.total_benefits == EUR("25500.00")
        assert result.result.total_costs == pytest.approx(13440)
        assert result.result.total_benefits == pytest.approx(25500)
        assert round(result.result.bcr, 3) == 1.897
        assert round(result.result.roi_percent, 1) == 89.7
        assert round(result.result.payback_months, 2) == 6.32
        assert result.result.months == 12
        assert [item.description for item in result.intangibles] == ["Better collaboration"]
        assert result.settings.loaded_hourly_cost == EUR("80")

    def test_exits_avoided_count_in_full_and_say_why(self, worked):
        exits, line = roi.program_roi(worked.program, exits_avoided=0.5).benefits
        assert (exits.value, exits.monetized) == (EUR("17500.00"), EUR("17500.00"))
        assert exits.attribution_percent == exits.confidence_percent == EUR("100")
        assert "comparison group already isolates" in exits.note
        assert (line.label, line.monetized) == ("Fewer escalations", EUR("8000.00"))

    def test_benefits_750000_against_costs_425000_give_bcr_1_76_and_roi_76(self, db):
        program = ProgramFactory()
        CostLine.objects.create(
            program=program, category="facilitation", description="Faculty", amount=300_000
        )
        CostLine.objects.create(
            program=program, category="platform_admin", description="Admin", amount=125_000
        )
        BenefitLine.objects.create(
            program=program,
            description="Sales won",
            value=1_000_000,
            attribution_percent=100,
            confidence_percent=75,
        )
        result = roi.program_roi(program, exits_avoided=0.0).result
        assert (result.total_costs, result.total_benefits) == (425_000, 750_000)
        assert round(result.bcr, 2) == 1.76
        assert round(result.roi_percent) == 76
        assert result.payback_months == pytest.approx(6.8)

    def test_without_salary_bands_exits_are_listed_but_not_monetized(self, worked):
        SalaryBand.objects.all().delete()
        result = roi.program_roi(worked.program, exits_avoided=2.0)
        exits = result.benefits[0]
        assert exits.monetized is None and "no salary bands" in exits.note
        assert result.total_benefits == EUR("8000.00")
        assert result.result.total_benefits == pytest.approx(8000)

    def test_the_benefit_period_sets_the_payback(self, worked):
        ImpactSettings.objects.filter(program=worked.program).update(benefit_months=24)
        result = roi.program_roi(worked.program, exits_avoided=0.5).result
        assert result.months == 24
        assert result.payback_months == pytest.approx(13440 * 24 / 25500)

    def test_without_benefits_there_is_no_payback(self, worked):
        BenefitLine.objects.all().delete()
        result = roi.program_roi(worked.program, exits_avoided=0.0).result
        assert result.payback_months is None and result.roi_percent == -100

    def test_a_program_without_costs_has_no_roi(self, db):
        program = ProgramFactory()
        BenefitLine.objects.create(
            program=program,
            description="Sales won",
            value=1000,
            attribution_percent=100,
            confidence_percent=100,
        )
        assert roi.program_roi(program, exits_avoided=1.0) is None

    def test_costs_at_zero_are_no_costs(self, db):
        program = ProgramFactory()
        CostLine.objects.create(program=program, category="other", description="Free", amount=0)
        assert roi.program_roi(program, exits_avoided=0.0) is None

    @pytest.mark.parametrize("exits", [-1.0, float("nan"), float("inf")])
    def test_it_refuses_exits_avoided_that_are_not_a_count(self, worked, exits):
        with pytest.raises(ValueError, match="exits avoided"):
            roi.program_roi(worked.program, exits_avoided=exits)


class TestWaterfall:
    def test_costs_step_down_and_benefits_step_up(self, worked):
        steps = roi.waterfall(roi.program_roi(worked.program, exits_avoided=0.5))
        assert steps == [
            ("Facilitation and design", -10000.0),
            ("Coach fees", -600.0),
            ("Participant time: coaching", -240.0),
            ("Participant time: training", -480.0),
            ("Participant time: mentoring", -120.0),
            ("Platform and administration", -2000.0),
            ("Voluntary exits avoided", 17500.0),
            ("Fewer escalations", 8000.0),
        ]
        assert sum(amount for _label, amount in steps) == pytest.approx(25500 - 13440)

    def test_it_leaves_out_zero_and_unmonetized_steps(self, worked):
        SalaryBand.objects.all().delete()
        ImpactSettings.objects.filter(program=worked.program).update(loaded_hourly_cost=0)
        labels = [
            label
            for label, _amount in roi.waterfall(roi.program_roi(worked.program, exits_avoided=1.0))
        ]
        assert "Voluntary exits avoided" not in labels
        assert not any(label.startswith("Participant time") for label in labels)
