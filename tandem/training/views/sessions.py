"""Sessions and seats: schedule and change a session (program admins), the session
page (enroll or give up a seat, the waitlist position, the .ics; the roster for the
facilitator and admins), attendance, and enrolling others (managers: their reports;
admins: a program or cohort)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts import policy
from tandem.accounts.forms import place_refusal
from tandem.lib.ical import build_calendar
from tandem.training import access, course_emails, forms, kirkpatrick, services
from tandem.training.models import CheckPhase, Course, CourseSession, SeatStatus


def _session_form_page(
    request: HttpRequest,
    *,
    course: Course,
    session: CourseSession | None,
    form: forms.SessionForm,
    refusals: list[str],
) -> HttpResponse:
    return render(
        request,
        "training/session_form.html",
        {"course": course, "session": session, "form": form, "refusals": refusals},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    course = access.access_course(request.user, pk, write=True)
    form = forms.SessionForm(
        request.POST or None,
        course=course,
        initial={"time_zone": getattr(request.user, "time_zone", "UTC")},
    )
    refusals: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_save(
                session=form.save(commit=False), changed=form.changed_data, by=request.user
            )
        except ValidationError as error:
            refusals = place_refusal(error, form)
        else:
            messages.success(request, _("Session scheduled."))
            return redirect("training:session-detail", pk=session.pk)
    return _session_form_page(request, course=course, session=None, form=form, refusals=refusals)


@login_required
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Moving a session re-sends the invitation (same UID, higher SEQUENCE)."""
    session = access.access_session(request.user, pk, write=True)
    form = forms.SessionForm(request.POST or None, instance=session, course=session.course)
    refusals: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.session_save(
                session=form.save(commit=False), changed=form.changed_data, by=request.user
            )
        except ValidationError as error:
            refusals = place_refusal(error, form)
        else:
            messages.success(request, _("Session saved; enrolled learners get the update."))
            return redirect("training:session-detail", pk=session.pk)
    return _session_form_page(
        request, course=session.course, session=session, form=form, refusals=refusals
    )


@login_required
@require_POST
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.access_session(request.user, pk, write=True)
    try:
        services.session_cancel(session=session, by=request.user)
    except services.Refused as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Session cancelled; enrolled learners were told."))
    return redirect("training:session-detail", pk=session.pk)


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.access_session(request.user, pk)
    seat = access.own_seat(request.user, session)
    if seat is not None:
        seat.session = session
    roster = None
    if access.can_see_roster(request.user, session):
        roster = list(session.seats.select_related("person").order_by("requested_at", "pk"))
    taken = session.seats.enrolled().count()
    summary = None
    if access.can_read_summaries(request.user) or access.is_facilitator(request.user, session):
        summary = kirkpatrick.of_session(session)
    open_for_seats = not services.session_problems(session)
    checks = {}
    if seat is not None:
        checks = {phase: services.check_open(seat, phase) is None for phase in CheckPhase.values}
    return render(
        request,
        "training/session_detail.html",
        {
            "session": session,
            "course": session.course,
            "seat": seat,
            "position": services.waitlist_position(seat) if seat else None,
            "checks": checks,
            "survey_open": seat is not None and services.reaction_open(seat) is None,
            "can_enroll": open_for_seats
            and (seat is None or seat.status == SeatStatus.CANCELLED)
            and policy.person_of(request.user) is not None,
            "can_enroll_others": open_for_seats and access.can_enroll_others(request.user),
            "roster": roster,
            "taken": taken,
            "seats_left": max(session.capacity - taken, 0),
            "waiting": session.seats.waitlisted().count(),
            "can_manage": access.can_manage(request.user),
            "started": session.starts_at <= timezone.now(),
            "summary": summary,
        },
    )


@login_required
def session_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Add to calendar": the session as a plain .ics, for anyone who may see it."""
    session = access.access_session(request.user, pk)
    body = build_calendar([course_emails.session_event(session).without_details()])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="training-session-{session.pk}.ics"'
    return response


@login_required
@require_POST
def seat_take(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.access_session(request.user, pk)
    me = policy.person_of(request.user)
    if me is None:
        raise PermissionDenied(_("Only people in the organization take seats."))
    try:
        seat = services.seat_take(session=session, person=me, by=request.user)
    except services.Refused as error:
        messages.error(request, " ".join(error.messages))
    else:
        if seat.status == SeatStatus.ENROLLED:
            messages.success(request, _("You have a seat; the invitation is on its way."))
        else:
            messages.info(request, _("The session is full: you are on the waitlist."))
    return redirect("training:session-detail", pk=session.pk)


@login_required
@require_POST
def seat_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    seat = access.access_seat(request.user, pk, write=True)
    try:
        services.seat_cancel(seat=seat, by=request.user)
    except services.Refused as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Seat given up."))
    if access.sessions_visible_to(request.user).filter(pk=seat.session_id).exists():
        return redirect("training:session-detail", pk=seat.session_id)
    return redirect("training:course-list")


@login_required
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The facilitator or an admin ticks who came; saving marks the session held."""
    session = access.access_session(request.user, pk, roster=True)
    seats = list(session.seats.enrolled().select_related("person"))
    form = forms.AttendanceForm(request.POST or None, seats=seats)
    refusals: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_mark(session=session, attended=form.attendance(), by=request.user)
        except ValidationError as error:
            refusals = place_refusal(error, form)
        else:
            messages.success(request, _("Attendance saved."))
            return redirect("training:session-detail", pk=session.pk)
    return render(
        request,
        "training/session_attendance.html",
        {"session": session, "form": form, "refusals": refusals, "seats": seats},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def session_enroll(request: HttpRequest, pk: int) -> HttpResponse:
    """Managers enroll people in their line; program admins also a whole program."""
    session = access.access_session(request.user, pk)
    if not access.can_enroll_others(request.user):
        raise PermissionDenied(_("Only managers and program admins enroll others."))
    taken = set(
        session.seats.exclude(status=SeatStatus.CANCELLED).values_list("person_id", flat=True)
    )
    people = (
        access.reports_of(request.user).exclude(pk__in=taken).order_by("last_name", "first_name")
    )
    is_admin = access.can_manage(request.user)
    reports_form = forms.EnrollReportsForm(
        request.POST if "people" in request.POST or "reports" in request.POST else None,
        people=people,
    )
    program_form = forms.EnrollProgramForm(request.POST if "program" in request.POST else None)
    refusals: list[str] = []
    outcome = None
    if request.method == "POST":
        if "program" in request.POST:
            if not is_admin:
                raise PermissionDenied(_("Only program admins enroll a whole program."))
            if program_form.is_valid():
                try:
                    outcome = services.seats_for_program(
                        session=session,
                        program=program_form.cleaned_data["program"],
                        cohort=program_form.cleaned_data["cohort"],
                        by=request.user,
                    )
                except ValidationError as error:
                    refusals = place_refusal(error, program_form)
        elif reports_form.is_valid():
            try:
                outcome = services.seats_for_reports(
                    session=session, people=reports_form.cleaned_data["people"], by=request.user
                )
            except ValidationError as error:
                refusals = place_refusal(error, reports_form)
        if outcome is not None:
            messages.success(
                request,
                _("%(enrolled)s enrolled, %(waiting)s on the waitlist, %(skipped)s skipped.")
                % {
                    "enrolled": len(outcome.enrolled),
                    "waiting": len(outcome.waitlisted),
                    "skipped": len(outcome.skipped),
                },
            )
            for person, reason in outcome.skipped:
                messages.warning(request, f"{person.full_name}: {reason}")
            return redirect("training:session-detail", pk=session.pk)
    return render(
        request,
        "training/session_enroll.html",
        {
            "session": session,
            "reports_form": reports_form,
            "program_form": program_form if is_admin else None,
            "refusals": refusals,
        },
        status=400 if request.method == "POST" else 200,
    )


urlpatterns = [
    path("courses/<int:pk>/sessions/new/", session_create, name="session-create"),
    path("sessions/<int:pk>/", session_detail, name="session-detail"),
    path("sessions/<int:pk>/edit/", session_edit, name="session-edit"),
    path("sessions/<int:pk>/cancel/", session_cancel, name="session-cancel"),
    path("sessions/<int:pk>/session.ics", session_ics, name="session-ics"),
    path("sessions/<int:pk>/enroll/", seat_take, name="seat-take"),
    path("sessions/<int:pk>/enroll-others/", session_enroll, name="session-enroll"),
    path("sessions/<int:pk>/attendance/", session_attendance, name="session-attendance"),
    path("seats/<int:pk>/cancel/", seat_cancel, name="seat-cancel"),
]
