"""One-on-one pages: My 1:1s, a series, a meeting (agenda, notes, my private note,
next steps, complete), the coaching guide and a series' .ics. Manager and report only;
anyone else gets 404. A private note is shown to its author alone."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts.forms import place_refusal
from tandem.conversations import calendar, guide, oneonones
from tandem.conversations import oneonone_access as access
from tandem.conversations.models import Meeting, MeetingStatus
from tandem.conversations.oneonone_forms import (
    AgendaItemForm,
    BaseOneOnOneNextStepFormSet,
    CadenceForm,
    PrivateNoteForm,
    SeriesForm,
    SharedNotesForm,
    next_step_formset,
)
from tandem.people.models import Person


def _me(request: HttpRequest) -> Person:
    person = access.me(request.user)
    if person is None:
        raise Http404("No one-on-ones.")
    return person


@login_required
def oneonone_list(request: HttpRequest) -> HttpResponse:
    """My 1:1s: each series with its next date, and the meetings held."""
    series = list(access.series_visible_to(request.user).order_by("-active", "created_at"))
    rows = [
        {
            "series": s,
            "role": access.role_in(request.user, s),
            "next_on": oneonones.next_planned_date(s),
            "history": oneonones.history(s)[:5],
        }
        for s in series
    ]
    return render(
        request,
        "conversations/oneonone_list.html",
        {"rows": rows, "can_start": access.can_start_series(request.user)},
    )


@login_required
def series_create(request: HttpRequest) -> HttpResponse:
    manager = _me(request)
    if not access.can_start_series(request.user):
        raise PermissionDenied(_("Managers start one-on-ones with their direct reports."))
    # ?report=<id> pre-selects the report (the team page links here); the form's
    # queryset still limits it to the manager's own reports.
    form = SeriesForm(
        request.POST or None,
        reports=access.reports_of(manager),
        initial={"report": request.GET.get("report")},
    )
    refusals: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            series = oneonones.series_start(manager=manager, **form.cleaned_data)
        except ValidationError as error:
            refusals = place_refusal(error, form)
        else:
            messages.success(request, _("1:1 started."))
            return redirect("conversations:oneonone-series", pk=series.pk)
    return render(
        request,
        "conversations/oneonone_form.html",
        {"form": form, "refusals": refusals},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def series_detail(request: HttpRequest, pk: int) -> HttpResponse:
    series = access.access_series(request.user, pk)
    return render(
        request,
        "conversations/oneonone_series.html",
        {
            "series": series,
            "role": access.role_in(request.user, series),
            "next_on": oneonones.next_planned_date(series),
            "meetings": oneonones.history(series),
            "open_steps": oneonones.open_next_steps(series),
            "today": timezone.localdate(),
            "cadence_form": CadenceForm(initial={"cadence": series.cadence}),
        },
    )


@login_required
@require_POST
def series_cadence(request: HttpRequest, pk: int) -> HttpResponse:
    series = access.access_series(request.user, pk)
    form = CadenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a cadence."))
        return redirect("conversations:oneonone-series", pk=series.pk)
    try:
        oneonones.series_change_cadence(
            series=series, cadence=form.cleaned_data["cadence"], by=_me(request)
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Cadence changed."))
    return redirect("conversations:oneonone-series", pk=series.pk)


@login_required
@require_POST
def series_end(request: HttpRequest, pk: int) -> HttpResponse:
    series = access.access_series(request.user, pk, manage=True)
    try:
        oneonones.series_end(series=series, by=_me(request))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("1:1 ended."))
    return redirect("conversations:oneonone-series", pk=series.pk)


@login_required
def series_ics(request: HttpRequest, pk: int) -> HttpResponse:
    series = access.access_series(request.user, pk)
    response = HttpResponse(calendar.series_ics(series), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="one-on-one-{series.pk}.ics"'
    return response


@login_required
@require_POST
def series_next_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    series = access.access_series(request.user, pk)
    try:
        meeting = oneonones.meeting_next(series)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("conversations:oneonone-series", pk=series.pk)
    return redirect("conversations:oneonone-meeting", pk=meeting.pk)


def _meeting_page(
    request: HttpRequest,
    meeting: Meeting,
    *,
    steps: BaseOneOnOneNextStepFormSet | None = None,
    agenda_form: AgendaItemForm | None = None,
    refusals: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    me = _me(request)
    context: dict[str, Any] = {
        "meeting": meeting,
        "series": meeting.series,
        "role": access.role_in(request.user, meeting.series),
        "is_open": meeting.status == MeetingStatus.PLANNED,
        "agenda": list(meeting.agenda.select_related("author", "carried_from__meeting")),
        "next_steps": list(meeting.next_steps.select_related("owner")),
        "today": timezone.localdate(),
        "agenda_form": agenda_form or AgendaItemForm(),
        "notes_form": SharedNotesForm(initial={"shared_notes": meeting.shared_notes}),
        "private_form": PrivateNoteForm(
            initial={"body": oneonones.private_note_read(meeting=meeting, author=me)}
        ),
        "steps": steps if steps is not None else next_step_formset(),
        "refusals": refusals or [],
        "guide": guide.GUIDE,
        "listen_first": guide.LISTEN_FIRST,
    }
    return render(request, "conversations/oneonone_meeting.html", context, status=status)


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, access.access_meeting(request.user, pk))


@login_required
@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.access_meeting(request.user, pk)
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        try:
            oneonones.agenda_add(
                meeting=meeting, author=_me(request), text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            refusals = place_refusal(error, form)
            return _meeting_page(request, meeting, agenda_form=form, refusals=refusals, status=400)
        return redirect("conversations:oneonone-meeting", pk=meeting.pk)
    return _meeting_page(request, meeting, agenda_form=form, status=400)


@login_required
@require_POST
def agenda_done(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.access_agenda_item(request.user, pk)
    try:
        oneonones.agenda_mark(item=item, done=request.POST.get("done") == "1", by=_me(request))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("conversations:oneonone-meeting", pk=item.meeting_id)


@login_required
@require_POST
def shared_notes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.access_meeting(request.user, pk)
    form = SharedNotesForm(request.POST)
    if not form.is_valid():
        return _meeting_page(request, meeting, status=400)
    try:
        oneonones.shared_notes_save(
            meeting=meeting, text=form.cleaned_data["shared_notes"], by=_me(request)
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Shared notes saved."))
    return redirect("conversations:oneonone-meeting", pk=meeting.pk)


@login_required
@require_POST
def private_note(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.access_meeting(request.user, pk)
    form = PrivateNoteForm(request.POST)
    if not form.is_valid():
        return _meeting_page(request, meeting, status=400)
    oneonones.private_note_save(
        meeting=meeting, author=_me(request), body=form.cleaned_data["body"]
    )
    messages.success(request, _("Your private note is saved."))
    return redirect("conversations:oneonone-meeting", pk=meeting.pk)


@login_required
@require_POST
def meeting_complete(request: HttpRequest, pk: int) -> HttpResponse:
    """Refused (400, nothing written) without at least one next step."""
    meeting = access.access_meeting(request.user, pk)
    steps = next_step_formset(request.POST)
    refusals: list[str] = []
    if steps.is_valid():
        try:
            oneonones.meeting_complete(
                meeting=meeting,
                next_steps=[
                    oneonones.NextStepInput(
                        f.cleaned_data["title"], f.cleaned_data["owner"], f.cleaned_data["due_date"]
                    )
                    for f in steps.filled()
                ],
                by=_me(request),
            )
        except ValidationError as error:
            refusals = list(error.messages)
        else:
            messages.success(request, _("Meeting completed, with its next steps."))
            return redirect("conversations:oneonone-meeting", pk=meeting.pk)
    return _meeting_page(request, meeting, steps=steps, refusals=refusals, status=400)


@login_required
@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.access_meeting(request.user, pk)
    try:
        oneonones.meeting_cancel(meeting=meeting, by=_me(request))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Meeting cancelled. Its open topics move to the next one."))
    return redirect("conversations:oneonone-meeting", pk=meeting.pk)


@login_required
@require_POST
def next_step_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a next step done (done=1) or open again; back to where the form was."""
    step = access.access_next_step(request.user, pk)
    oneonones.next_step_mark(step=step, done=request.POST.get("done") == "1", by=_me(request))
    if request.POST.get("back") == "series":
        return redirect("conversations:oneonone-series", pk=step.meeting.series_id)
    return redirect("conversations:oneonone-meeting", pk=step.meeting_id)


@login_required
def guide_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "conversations/guide.html",
        {"guide": guide.GUIDE, "listen_first": guide.LISTEN_FIRST},
    )
