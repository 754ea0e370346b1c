"""The world the access matrix runs in: one small organization with a record of every
kind a route can name, each belonging to somebody definite, so that every cell of the
matrix asks a real question ("may the manager read the report's coaching notes?").

The nine roles of the matrix (ROLES) and who plays them:

    anonymous    nobody signed in
    participant  Rita Zandvoort (emerging leader under Max Manager): owns the plan, the
                 360 review, the coaching engagement, the mentoring relationship, ...
    peer         Otto Outsider, in another team (reports to the CEO); has a plan of
                 his own and a coaching engagement with the other coach
    manager      Max Manager, Rita's manager
    coach        Gil Other-Coach: coaches Otto only, never Rita
    mentor       Mona Mentor, Rita's mentor in the mentoring program
    rater        no account: holds a 360 rater link and a pulse link (pages and the
                 API see an anonymous visitor, the API with the link as bearer token)
    executive    Eve Exec, executive viewer (aggregates only)
    admin        a program admin (a role grant, not a Django superuser)

Rita's own coach (Carla) and the CEO exist but play no role of the matrix.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core import mail
from django.test import TestCase
from django.utils import timezone

from tandem.accounts.models import ApiToken, CalendarFeed, Role, User
from tandem.tests.factories import (
    ObjectiveFactory,
    PersonFactory,
    UserFactory,
    enroll,
    make_user_for,
    running_program,
    self_assessed,
)

# Distinctive, so a response that names her is found by a substring search.
PARTICIPANT_SURNAME = "Zandvoort"

ROLES = (
    "anonymous",
    "participant",
    "peer",
    "manager",
    "coach",
    "mentor",
    "rater",
    "executive",
    "admin",
)


@dataclass
class World:
    users: dict[str, User | None] = field(default_factory=dict)
    api_tokens: dict[str, str] = field(default_factory=dict)
    # Record ids by the names the matrix uses ("plan", "coaching_session", ...).
    ids: dict[str, Any] = field(default_factory=dict)
    # Raw link tokens: the 360 rater link, the pulse link, the calendar feed.
    tokens: dict[str, str] = field(default_factory=dict)


def _tokens_in_outbox(marker: str) -> list[str]:
    import re

    pattern = re.compile(marker + r"([A-Za-z0-9_-]{20,})/")
    return [m.group(1) for message in mail.outbox for m in pattern.finditer(message.body)]


def build_world() -> World:
    """Every record the matrix names, built through the apps' workflows where one
    exists (so the records are in the states real use leaves them in)."""
    w = World()
    ids = w.ids

    # --- people ---------------------------------------------------------------------
    ceo = PersonFactory(first_name="Cora", last_name="Chief", level="senior", manager=None)
    manager = PersonFactory(first_name="Max", last_name="Manager", level="mid", manager=ceo)
    report = PersonFactory(
        first_name="Rita", last_name=PARTICIPANT_SURNAME, level="emerging", manager=manager
    )
    outsider = PersonFactory(first_name="Otto", last_name="Outsider", level="emerging", manager=ceo)
    executive = PersonFactory(first_name="Eve", last_name="Exec", level="senior", manager=None)
    mentor_person = PersonFactory(
        first_name="Mona", last_name="Mentor", level="senior", title="VP Sales", manager=None
    )
    for person in (ceo, manager, report, outsider, mentor_person):
        make_user_for(person)
    make_user_for(executive, roles=[Role.EXECUTIVE_VIEWER])
    mentor_person.user.role_grants.create(role=Role.MENTOR)
    report.user.role_grants.create(role=Role.PARTICIPANT)
    outsider.user.role_grants.create(role=Role.PARTICIPANT)
    admin = UserFactory(username="admin", roles=[Role.PROGRAM_ADMIN])
    ids.update(
        participant=report.pk,
        org_unit=report.org_unit_id,
        peer=outsider.pk,
        manager=manager.pk,
        ceo=ceo.pk,
        executive=executive.pk,
        mentor_person=mentor_person.pk,
    )

    # --- programs, plans, goals, check-ins ---------------------------------------------
    from tandem.programs import services as programs
    from tandem.programs.models import ActionItem, Cohort, PlanTemplate, SuccessCriterion

    objective = ObjectiveFactory(title="Grow the next generation of leaders")
    program = running_program(name="Emerging Leaders", owner=admin)
    plan = enroll(program, report, by=admin)
    other_plan = enroll(program, outsider, by=admin)
    self_assessed(report, enrollment=plan.enrollment)
    cycle = plan.current_cycle()
    from tandem.programs.models import Goal, Milestone, PlanComment

    goal = Goal.objects.create(
        cycle=cycle,
        title="Delegate the weekly report",
        measure="Team runs it alone",
        objective=objective,
        due_date=datetime.date(2026, 12, 1),
    )
    milestone = Milestone.objects.create(
        goal=goal, title="Hand over the template", due_date=datetime.date(2026, 12, 1)
    )
    PlanComment.objects.create(plan=plan, author=manager.user, body="Good start.")
    checkin = programs.checkin_record(
        plan=plan,
        held_on=timezone.localdate(),
        attendees=[report, manager],
        progress="Handed over the template.",
        blockers="",
        next_steps=[
            programs.NextStep(
                title="Review the first report",
                owner=report,
                due_date=timezone.localdate() + datetime.timedelta(days=7),
            )
        ],
        recorded_by=manager.user,
    )
    ids.update(
        objective=objective.pk,
        program=program.pk,
        plan=plan.pk,
        other_plan=other_plan.pk,
        enrollment=plan.enrollment.pk,
        criterion=SuccessCriterion.objects.filter(program=program).first().pk,
        cohort=Cohort.objects.create(program=program, name="Spring").pk,
        goal=goal.pk,
        milestone=milestone.pk,
        checkin=checkin.pk,
        action_item=ActionItem.objects.filter(checkin=checkin).first().pk,
        template=PlanTemplate.objects.get_or_create(
            level="emerging", defaults={"title": "Emerging leader"}
        )[0].pk,
    )

    # --- assessments: the participant's 360, a self-assessment, a style profile -------
    from tandem.assessments import self_service
    from tandem.assessments import services as assessments
    from tandem.assessments.models import Nomination, SelfAssessment

    review = assessments.review_start(
        subject=report,
        closes_on=timezone.localdate() + datetime.timedelta(days=14),
        started_by=manager.user,
    )
    for n in range(3):
        assessments.nominate(
            review=review, group="peers", by=report.user, name=f"Peer {n}", email=f"p{n}@ex.org"
        )
    assessments.submit_for_approval(review=review, by=report.user)
    mail.outbox.clear()
    assessments.approve(review=review, approved_by=manager.user)
    rater_tokens = _tokens_in_outbox("/assessments/rate/")
    w.tokens["rater"] = rater_tokens[0]
    ids.update(
        review=review.pk,
        nomination=Nomination.objects.filter(review=review).first().pk,
        self_assessment=SelfAssessment.objects.filter(person=report).first().pk,
    )
    style = self_service.style_instrument()
    ids["style_profile"] = self_service.style_profile_submit(
        person=report, answers=dict.fromkeys(style.item_keys(), 3)
    ).pk
    ids["instrument"] = style.pk

    # --- coaching: Carla coaches Rita; Gil (the matrix's coach) coaches Otto ---------
    from tandem.coaching import services as coaching
    from tandem.coaching.models import ActionItem as CoachingActionItem
    from tandem.coaching.models import JournalEntry
    from tandem.coaching.tests.factories import CoachFactory, active, booked

    rita_coach = CoachFactory(user__username="carla")
    other_coach = CoachFactory(user__username="gil", user__first_name="Gil", capacity=5)
    coaching_program = running_program(name="Leading with Coaching", kind="coaching")
    enroll(coaching_program, report, by=admin)
    enroll(coaching_program, outsider, by=admin)
    engagement = active(rita_coach, report)
    active(other_coach, outsider)
    session = booked(engagement)
    coaching.session_hold(
        session=session,
        grow=coaching.Grow(goal="COACHING-SECRET", reality="r", options="o", will="w"),
        next_steps=[
            coaching.NextStep(title="Ask the team", owner="coachee", due_date=timezone.localdate())
        ],
        held_by=rita_coach.user,
    )
    upcoming = booked(engagement, starts_at=timezone.now() + datetime.timedelta(days=3))
    coaching_goal = coaching.goal_add(
        engagement=engagement, title="Listen first", plan_goal=None, added_by=rita_coach.user
    )
    entry = JournalEntry.objects.create(
        author=report, trigger="criticism", situation="JOURNAL-SECRET"
    )
    ids.update(
        coach_of_participant=rita_coach.pk,
        coach=other_coach.pk,
        engagement=engagement.pk,
        coaching_session=session.pk,
        coaching_upcoming=upcoming.pk,
        coaching_goal=coaching_goal.pk,
        coaching_action_item=CoachingActionItem.objects.filter(session=session).first().pk,
        journal_entry=entry.pk,
    )

    # --- mentoring: Mona mentors Rita ----------------------------------------------------
    from tandem.mentoring import relationships as mentoring
    from tandem.mentoring.models import CheckIn as MentoringCheckIn
    from tandem.mentoring.models import Question as MentoringQuestion
    from tandem.mentoring.tests.factories import make_mentee, make_mentor, mentoring_program

    m_program = mentoring_program(name="Mentoring Circle")
    mentor = make_mentor(m_program, mentor_person, capacity=2)
    mentee = make_mentee(m_program, report)
    relationship = mentoring.relationship_propose(
        program=m_program,
        mentee=report,
        mentor=mentor_person,
        goals=["Find my path"],
        score=80.0,
        explanation=[],
        via="match",
    )
    question = mentoring.question_ask(
        relationship=relationship, user=mentor_person.user, text="What would you like to learn?"
    )
    mentoring.relationship_accept(relationship=relationship, user=report.user)
    mentoring.relationship_accept(relationship=relationship, user=mentor_person.user)
    relationship.refresh_from_db()
    relationship = mentoring.relationship_agree(
        relationship=relationship,
        user=report.user,
        goals=relationship.goals,
        cadence="fortnightly",
        confidentiality=relationship.confidentiality,
    )
    m_meeting = mentoring.meeting_log(
        relationship=relationship,
        user=report.user,
        record=mentoring.MeetingRecord(
            held_on=timezone.localdate(), duration_minutes=45, mode="video", notes="MENTEE-SECRET"
        ),
    )
    introduction = mentoring.introduction_log(
        relationship=relationship,
        user=mentor_person.user,
        kind="introduction",
        whom="The CFO",
        happened_on=timezone.localdate(),
        note="",
    )
    check_in = MentoringCheckIn.objects.create(
        relationship=relationship, side="mentee", due_on=timezone.localdate()
    )
    ids.update(
        mentoring_program=m_program.pk,
        mentor=mentor.pk,
        mentee=mentee.pk,
        relationship=relationship.pk,
        mentoring_meeting=m_meeting.pk,
        mentor_question=question.pk,
        introduction=introduction.pk,
        mentoring_question=MentoringQuestion.objects.filter(program=m_program).first().pk,
    )
    ids["mentoring_check_in"] = check_in.pk
    # A match run (its job runs at once under the tests' immediate task backend) and
    # the self-service suggestions; both may come up empty, which the matrix tolerates.
    from tandem.mentoring import matching
    from tandem.mentoring.models import MatchProposal, MatchRun, Suggestion

    make_mentee(m_program, outsider)
    with TestCase.captureOnCommitCallbacks(execute=True):
        matching.run_start(program=m_program, started_by=admin)
    matching.suggestions_refresh(program=m_program)
    run = MatchRun.objects.filter(program=m_program).first()
    ids["match_run"] = run.pk if run else 0
    proposal = MatchProposal.objects.filter(run=run).first()
    ids["match_proposal"] = proposal.pk if proposal else 0
    suggestion = Suggestion.objects.first()
    ids["suggestion"] = suggestion.pk if suggestion else 0

    # --- training ------------------------------------------------------------------------
    from tandem.training import reinforcement
    from tandem.training.models import (
        Card,
        FlagReason,
        LearnerFlag,
        PracticeChallenge,
        Seat,
        SeatStatus,
        SessionStatus,
    )
    from tandem.training.tests.factories import (
        CourseFactory,
        QuestionFactory,
        SessionFactory,
    )
    from tandem.training.tests.factories import ObjectiveFactory as LearningObjectiveFactory

    course = CourseFactory(title="Giving feedback that lands")
    learning_objective = LearningObjectiveFactory(course=course, title="Name the behaviour")
    QuestionFactory(objective=learning_objective)
    held = SessionFactory(
        course=course,
        capacity=20,
        starts_at=timezone.now() - datetime.timedelta(days=10, hours=2),
        status=SessionStatus.HELD,
    )
    seat = Seat.objects.create(
        session=held, person=report, status=SeatStatus.ENROLLED, attended=True
    )
    reinforcement.cards_for_attendance(seat)
    challenge = PracticeChallenge.objects.create(
        objective=learning_objective, prompt="Name one behaviour in your next 1:1."
    )
    log = reinforcement.practice_log(
        person=report,
        objective=learning_objective,
        what_i_did="Named the behaviour in my 1:1",
        challenge=challenge,
    )
    flag = LearnerFlag.objects.create(
        seat=seat, reason=FlagReason.LOW_RETENTION, detail="Low recall"
    )
    ids.update(
        practice_log=log.pk,
        flag=flag.pk,
        learning_objective=learning_objective.pk,
        course=course.pk,
        training_session=held.pk,
        seat=seat.pk,
        card=Card.objects.filter(seat=seat).first().pk,
        challenge=challenge.pk,
    )

    # --- conversations: Max's one-on-ones with Rita, feedback ------------------------------
    from tandem.conversations import feedback, oneonones
    from tandem.conversations.models import NextStep as OneOnOneNextStep

    series = oneonones.series_start(
        manager=manager,
        report=report,
        cadence="weekly",
        first_on=timezone.localdate(),
        starts_at=datetime.time(10, 0),
        duration_minutes=30,
        time_zone="UTC",
    )
    held = oneonones.meeting_next(series)
    oneonones.meeting_complete(
        meeting=held,
        next_steps=[
            oneonones.NextStepInput(
                title="Draft the hand-over",
                owner="report",
                due_date=timezone.localdate() + datetime.timedelta(days=7),
            )
        ],
        by=manager,
    )
    meeting = oneonones.meeting_next(series)
    agenda = oneonones.agenda_add(meeting=meeting, author=report, text="Career growth talk")
    oneonones.private_note_save(meeting=meeting, author=manager, body="MANAGER-SECRET")
    oneonones.private_note_save(meeting=meeting, author=report, body="REPORT-SECRET")
    given = feedback.feedback_give(
        giver=manager, recipient=report, kind="positive", text="Great facilitation."
    )
    asked = feedback.feedback_request_create(
        requester=manager, asked=report, message="How was my last all-hands?"
    )
    ids.update(
        series=series.pk,
        oneonone_meeting=meeting.pk,
        agenda_item=agenda.pk,
        feedback=given.pk,
        feedback_request=asked.pk,
    )
    ids["oneonone_next_step"] = OneOnOneNextStep.objects.filter(meeting=held).first().pk

    # --- succession -----------------------------------------------------------------------
    from tandem.succession.models import (
        CriticalRole,
        Degree,
        DevelopmentAction,
        Opening,
        Readiness,
        Successor,
    )
    from tandem.succession.tests.factories import ReviewFactory, place

    talent_review = ReviewFactory(name="Spring review")
    placement = place(talent_review, report, 8, rated_by=manager, note="Ready to stretch")
    role = CriticalRole.objects.create(
        title="Head of Operations",
        level="mid",
        incumbent=manager,
        impact_of_loss=Degree.HIGH,
        risk_of_loss=Degree.HIGH,
    )
    successor = Successor.objects.create(
        role=role, person=report, readiness=Readiness.READY_NOW, rank=1
    )
    action = DevelopmentAction.objects.create(
        successor=successor, kind="stretch", description="Shadow the head"
    )
    opening = Opening.objects.create(
        title="Team lead", level="emerging", opened_on=timezone.localdate()
    )
    ids.update(
        talent_review=talent_review.pk,
        placement=placement.pk,
        critical_role=role.pk,
        successor=successor.pk,
        development_action=action.pk,
        opening=opening.pk,
        box=8,
    )

    # --- insights: a pulse, ROI inputs ------------------------------------------------------
    from tandem.insights import pulses
    from tandem.insights.models import BenefitLine, Intangible

    mail.outbox.clear()
    pulse = pulses.pulse_create(
        name="Pulse Q1",
        org_unit=None,
        closes_on=timezone.localdate() + datetime.timedelta(days=14),
        created_by=admin,
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        pulse = pulses.pulse_open(pulse=pulse, opened_by=admin)
    w.tokens["pulse"] = _tokens_in_outbox("/impact/pulses/answer/")[0]
    benefit = BenefitLine.objects.create(
        program=program,
        description="Fewer escalations",
        value=20000,
        attribution_percent=80,
        confidence_percent=50,
    )
    intangible = Intangible.objects.create(program=program, description="Collaboration")
    ids.update(pulse=pulse.pk, benefit=benefit.pk, intangible=intangible.pk)

    # --- logins, API tokens, the calendar feed ---------------------------------------------
    w.users = {
        "anonymous": None,
        "participant": report.user,
        "peer": outsider.user,
        "manager": manager.user,
        "coach": other_coach.user,
        "mentor": mentor_person.user,
        "rater": None,
        "executive": executive.user,
        "admin": admin,
    }
    for role_name, user in w.users.items():
        if user is not None:
            w.api_tokens[role_name] = ApiToken.issue(user=user, name="access matrix")[1]
    _, w.tokens["calendar"] = CalendarFeed.reset_for(report.user)
    ids["api_token"] = ApiToken.objects.filter(user=report.user).first().pk
    return w
