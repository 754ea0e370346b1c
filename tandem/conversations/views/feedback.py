"""Feedback pages: what I received (filter by kind), what I gave, requests asked of me
and mine, giving and asking, and for a manager what givers shared with them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.conversations import feedback, feedback_access
from tandem.conversations.feedback_forms import (
    FeedbackFilterForm,
    FeedbackForm,
    FeedbackRequestForm,
)

PAGE_SIZE = 25


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    me = feedback_access.feedback_person(request.user)
    filters = FeedbackFilterForm(request.GET or None)
    received = feedback_access.received_by(me)
    kind = filters.cleaned_data.get("kind") if filters.is_valid() else ""
    if kind:
        received = received.filter(kind=kind)
    page = Paginator(received, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "conversations/feedback_inbox.html",
        {
            "page": page,
            "filters": filters,
            "kind": kind,
            "open_requests": feedback_access.open_requests_for(me).count(),
        },
    )


@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    me = feedback_access.feedback_person(request.user)
    page = Paginator(feedback_access.given_by(me), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "conversations/feedback_outbox.html", {"page": page})


@login_required
def shared(request: HttpRequest) -> HttpResponse:
    page = Paginator(feedback_access.shared_with(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    if page.object_list:
        feedback_access.record_shared_list_read(request.user, via="page")
    return render(request, "conversations/feedback_shared.html", {"page": page})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = feedback_access.access_feedback(request.user, pk, via="page")
    return render(request, "conversations/feedback_detail.html", {"feedback": item})


@login_required
def give(request: HttpRequest) -> HttpResponse:
    me = feedback_access.feedback_person(request.user)
    initial = {}
    answering = None
    asked = request.GET.get("request", "")
    if request.method == "GET" and asked.isdigit() and len(asked) <= 18:
        answering = feedback_access.open_requests_for(me).filter(pk=int(asked)).first()
        if answering is not None:
            initial = {"request": answering.pk, "recipient": answering.requester_id}
    form = FeedbackForm(request.POST or None, giver=me, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            feedback.feedback_give(giver=me, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Feedback sent."))
            return redirect("conversations:feedback-given")
    return render(
        request,
        "conversations/feedback_form.html",
        {"form": form, "answering": answering},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def requests(request: HttpRequest) -> HttpResponse:
    me = feedback_access.feedback_person(request.user)
    return render(
        request,
        "conversations/feedback_requests.html",
        {
            "asked_of_me": feedback_access.open_requests_for(me),
            "mine": feedback_access.requests_by(me).prefetch_related("answers")[:100],
        },
    )


@login_required
def request_create(request: HttpRequest) -> HttpResponse:
    me = feedback_access.feedback_person(request.user)
    form = FeedbackRequestForm(request.POST or None, requester=me)
    if request.method == "POST" and form.is_valid():
        try:
            feedback.feedback_request_create(requester=me, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Request sent."))
            return redirect("conversations:feedback-requests")
    return render(
        request,
        "conversations/feedback_request_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def request_decline(request: HttpRequest, pk: int) -> HttpResponse:
    asked = feedback_access.access_request(request.user, pk, answer=True)
    try:
        feedback.feedback_request_decline(
            request=asked, by=feedback_access.feedback_person(request.user)
        )
    except ValidationError as error:
        raise PermissionDenied(" ".join(error.messages)) from error
    messages.success(request, _("Request declined."))
    return redirect("conversations:feedback-requests")
