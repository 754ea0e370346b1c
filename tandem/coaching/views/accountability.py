"""Accountability: the next steps agreed in sessions (open and overdue, for the coachee
and the coach), ticking them off, and the coach's workload page.

Next steps are part of what was said: only the coach and the coachee of their
engagement see them (`access.action_items_visible_to`), and each list read is audited."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.coaching import access, confidential, services, workload


@login_required
def action_items(request: HttpRequest) -> HttpResponse:
    """Open next steps: those the viewer owns first, then those of the people they coach
    or are coached by; overdue ones marked."""
    today = timezone.localdate()
    visible = access.action_items_visible_to(request.user).open().order_by("due_date", "pk")
    mine = list(visible.owned_by(request.user))
    others = list(visible.exclude(pk__in=[item.pk for item in mine]))
    confidential.record_steps_read(
        request.user, via="next steps page", ip=request.META.get("REMOTE_ADDR")
    )
    return render(
        request,
        "coaching/action_items.html",
        {
            "mine": mine,
            "others": others,
            "today": today,
            "overdue": sum(1 for item in mine if item.is_overdue(today)),
        },
    )


def _set_done(request: HttpRequest, pk: int, *, done: bool) -> HttpResponse:
    item = access.access_action_item(request.user, pk)
    services.action_item_set_done(item=item, done=done, on=timezone.localdate())
    messages.success(request, _("Marked as done.") if done else _("Reopened."))
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("coaching:action-items")


@login_required
@require_POST
def action_item_done(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_done(request, pk, done=True)


@login_required
@require_POST
def action_item_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_done(request, pk, done=False)


@login_required
def workload_page(request: HttpRequest) -> HttpResponse:
    coach = access.coach_of(request.user)
    if coach is None:
        raise PermissionDenied(_("The workload page is for coaches on the roster."))
    return render(
        request,
        "coaching/workload.html",
        {"coach": coach, "load": workload.of_coach(coach, timezone.now())},
    )


urlpatterns = [
    path("next-steps/", action_items, name="action-items"),
    path("next-steps/<int:pk>/done/", action_item_done, name="action-item-done"),
    path("next-steps/<int:pk>/reopen/", action_item_reopen, name="action-item-reopen"),
    path("workload/", workload_page, name="workload"),
]
