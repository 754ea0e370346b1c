from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from tandem.accounts import audit, calendar, throttle
from tandem.accounts.audit import AuditLogFilterForm
from tandem.accounts.forms import ApiTokenForm, ThrottledAuthenticationForm
from tandem.accounts.models import (
    ApiToken,
    AuditAction,
    AuditLog,
    AuditLogQuerySet,
    CalendarFeed,
)
from tandem.lib.ical import build_calendar
from tandem.people.models import Person

AUDIT_PAGE_SIZE = 50


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def form_invalid(self, form: ThrottledAuthenticationForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_invalid(form)
        # A paused login says so in the status too, so scripts and proxies see it.
        if form.has_error(NON_FIELD_ERRORS, "locked_out"):
            response.status_code = 429
            response["Retry-After"] = str(settings.TANDEM_LOGIN_LOCKOUT_SECONDS)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")


@never_cache  # the new key is in this response: never store it in a cache
@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """Personal API tokens: create one (its key is shown once) or revoke one."""
    form = ApiTokenForm(request.POST if request.method == "POST" else None)
    new_key = None
    if form.is_valid():
        _token, new_key = ApiToken.issue(
            user=request.user,  # type: ignore[arg-type]
            name=form.cleaned_data["name"],
            expires_at=form.cleaned_data["expires_at"],
        )
        form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=request.user)  # type: ignore[misc]
    return render(
        request,
        "accounts/token_list.html",
        {"form": form, "tokens": tokens, "new_key": new_key, "now": timezone.now()},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    # Only one's own tokens: someone else's is "not found".
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)  # type: ignore[misc]
    if token.revoked_at is None:  # revoking twice keeps the first date
        token.revoke()
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:token-list")


@never_cache  # the new feed URL is in this response
@login_required
def calendar_feed_settings(request: HttpRequest) -> HttpResponse:
    """The user's calendar subscription URL: make or reset it (shown once), or revoke it."""
    new_url = None
    if request.method == "POST":
        _feed, raw = CalendarFeed.reset_for(request.user)  # type: ignore[arg-type]
        new_url = calendar.feed_url(raw)
    feed = CalendarFeed.objects.filter(user=request.user).first()  # type: ignore[misc]
    return render(request, "accounts/calendar_feed.html", {"feed": feed, "new_url": new_url})


@login_required
@require_POST
def calendar_feed_revoke(request: HttpRequest) -> HttpResponse:
    deleted, _counts = CalendarFeed.objects.filter(user=request.user).delete()  # type: ignore[misc]
    if deleted:
        messages.success(request, _("Your calendar feed is switched off; its URL no longer works."))
    return redirect("accounts:calendar-feed")


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The .ics a calendar app subscribes to. The token in the URL is the credential
    (calendar apps cannot sign in): unknown or revoked is a 404, like any wrong URL."""
    feed = CalendarFeed.objects.for_token(token)
    if feed is None:
        raise Http404("No such calendar.")
    feed.mark_used()
    user = feed.user
    body = build_calendar(calendar.events_for(user), name=_("Tandem — %(name)s") % {"name": user})
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="tandem.ics"'
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response


def _audit_filters(request: HttpRequest) -> tuple[AuditLogFilterForm, AuditLogQuerySet]:
    """The filter form bound to the query string, and the entries it selects (none
    while a filter is invalid, so a typo never shows the whole log as a match)."""
    form = AuditLogFilterForm(request.GET)
    if not form.is_valid():
        return form, AuditLog.objects.none()
    return form, audit.filtered(AuditLog.objects.all(), **form.cleaned_data)


@login_required
@require_safe
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit log for program admins: who read or changed which confidential record,
    filtered by who, action, record type, person and dates; newest first."""
    audit.require_audit_reader(request.user)
    form, entries = _audit_filters(request)
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    subject_ids = {entry.subject_person_id for entry in page if entry.subject_person_id}
    subjects = {person.pk: person.full_name for person in Person.objects.filter(pk__in=subject_ids)}
    return render(
        request,
        "accounts/audit_log.html",
        {
            "form": form,
            "page": page,
            "entries": [(entry, subjects.get(entry.subject_person_id or 0)) for entry in page],
            "target_types": audit.target_types(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_safe
def audit_log_export(request: HttpRequest) -> HttpResponseBase:
    """The filtered log as CSV. The export itself is recorded in the log."""
    audit.require_audit_reader(request.user)
    form, entries = _audit_filters(request)
    if form.errors:
        return render(
            request,
            "accounts/audit_log.html",
            {"form": form, "page": None, "entries": [], "target_types": audit.target_types()},
            status=400,
        )
    exported = AuditLog.objects.record(
        actor=request.user,
        action=AuditAction.EXPORT,
        target_type="accounts.auditlog",
        summary=f"Audit log CSV export: {request.GET.urlencode()}",
        ip=throttle.client_ip(request),
    )
    response = StreamingHttpResponse(
        # The rows are read while streaming, after this export's own entry is written.
        audit.csv_lines(entries.exclude(pk=exported.pk)),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="tandem-audit-log-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
