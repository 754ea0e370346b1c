"""The reflection journal, shaped by STOP-LOOK-CHOOSE. Private to its author: only
they list, write, change and delete their entries and see their trends. An entry the
author shares is read (never changed) by the coach of their open engagement, on the
engagement page; each such read is audited."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts import policy
from tandem.coaching import access, confidential, journal
from tandem.coaching.forms import JournalEntryForm
from tandem.coaching.models import JournalEntry
from tandem.people.models import Person

ENTRIES_PAGE_SIZE = 20


def _author(request: HttpRequest) -> Person:
    me = policy.person_of(request.user)
    if me is None:
        raise PermissionDenied(_("The journal is for people in the organization."))
    return me


@login_required
def journal_list(request: HttpRequest) -> HttpResponse:
    me = _author(request)
    entries = JournalEntry.objects.filter(author=me).order_by("-occurred_on", "-pk")
    page = Paginator(entries, ENTRIES_PAGE_SIZE).get_page(request.GET.get("page"))
    trends = journal.trends_of(me, timezone.localdate())
    return render(
        request,
        "coaching/journal_list.html",
        {"page": page, "trends": trends, "has_coach": access.coach_of_person(me) is not None},
    )


@login_required
def journal_create(request: HttpRequest) -> HttpResponse:
    me = _author(request)
    form = JournalEntryForm(request.POST or None, initial={"occurred_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        entry = form.save(commit=False)
        entry.author = me
        entry.save()
        messages.success(request, _("Written down."))
        return redirect("coaching:journal")
    return render(
        request,
        "coaching/journal_form.html",
        {"form": form, "entry": None},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def journal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access.access_journal_entry(request.user, pk)
    confidential.record_journal_read(request.user, entry, via="page")
    me = policy.person_of(request.user)
    return render(
        request,
        "coaching/journal_detail.html",
        {"entry": entry, "is_author": me is not None and me.pk == entry.author_id},
    )


@login_required
def journal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access.access_journal_entry(request.user, pk, write=True)
    form = JournalEntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("coaching:journal-detail", pk=entry.pk)
    return render(
        request,
        "coaching/journal_form.html",
        {"form": form, "entry": entry},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def journal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access.access_journal_entry(request.user, pk, write=True)
    entry.delete()
    messages.success(request, _("Entry deleted."))
    return redirect("coaching:journal")


urlpatterns = [
    path("journal/", journal_list, name="journal"),
    path("journal/new/", journal_create, name="journal-create"),
    path("journal/<int:pk>/", journal_detail, name="journal-detail"),
    path("journal/<int:pk>/edit/", journal_edit, name="journal-edit"),
    path("journal/<int:pk>/delete/", journal_delete, name="journal-delete"),
]
