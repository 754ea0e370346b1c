"""Registrations of the course half (navigation, calendar feed, plan panel, demo)."""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.programs.models import DevelopmentPlan, PlanCycle, Stage
from tandem.programs.panels import Panel

# The plan's "learn" step shows course sessions; later steps keep them visible.
PANEL_STAGES = (Stage.LEARN, Stage.APPLY, Stage.MEASURE)


def learn_panel(request: HttpRequest, plan: DevelopmentPlan, cycle: PlanCycle) -> Panel | None:
    """The plan owner's seats, and for the "learn" step the upcoming sessions of the
    program's courses with an enroll link. Seats are an individual record: shown only
    to whoever may see them (training.access); the offer only to the owner."""
    from tandem.accounts import policy
    from tandem.training import access
    from tandem.training.models import CourseSession, SeatStatus

    if cycle.stage not in PANEL_STAGES:
        return None
    user = request.user
    seats = list(
        access.seats_visible_to(user)
        .filter(person_id=plan.person_id)
        .exclude(status=SeatStatus.CANCELLED)
        .order_by("-session__starts_at")[:10]
    )
    me = policy.person_of(user)
    offers: list[CourseSession] = []
    if cycle.stage == Stage.LEARN and me is not None and me.pk == plan.person_id:
        taken = [seat.session_id for seat in seats]
        offers = list(
            access.sessions_visible_to(user)
            .upcoming()
            .filter(course__active=True, course__program_id=plan.enrollment.program_id)
            .exclude(pk__in=taken)
            .with_counts()
            .order_by("starts_at")[:5]
        )
    if not seats and not offers:
        return None
    return Panel(
        "training/snippets/plan_panel.html",
        {"training_seats": seats, "training_offers": offers, "now": timezone.now()},
    )


def register() -> None:
    from tandem.accounts import navigation
    from tandem.accounts.calendar import register_event_source
    from tandem.people.demo import register_demo_loader
    from tandem.programs import panels
    from tandem.training import access, course_emails, demo

    navigation.register(
        navigation.NavItem(
            _("Training"),
            "training:course-list",
            access.sees_training,
            order=74,
            description=_(
                "Courses and sessions: enroll, take the knowledge checks, give feedback."
            ),
        )
    )
    register_event_source(course_emails.training_events)
    panels.register(learn_panel, column=panels.MAIN)
    register_demo_loader(demo.load_training, cleanup=demo.delete_training)
