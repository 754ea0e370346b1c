"""Privacy operations for program admins: find a person, download their data-subject
export, erase them (after typing their name), and edit the retention settings."""

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.accounts.policy import is_program_admin
from tandem.people.models import Person
from tandem.privacy import services
from tandem.privacy.forms import ErasureForm, RetentionForm
from tandem.privacy.models import RetentionSettings

SEARCH_LIMIT = 20


def require_privacy_admin(user: Any) -> None:
    """Privacy operations are for program admins only (DESIGN.md)."""
    if not is_program_admin(user):
        raise PermissionDenied(_("Only program admins can do this."))


def access_subject(user: Any, pk: int) -> Person:
    require_privacy_admin(user)
    person = Person.objects.select_related("user").filter(pk=pk).first()
    if person is None:
        raise Http404("No such person.")
    return person


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@login_required
def index(request: HttpRequest) -> HttpResponse:
    require_privacy_admin(request.user)
    query = request.GET.get("q", "").strip()[:200]
    people = list(Person.objects.search(query)[:SEARCH_LIMIT]) if query else []
    return render(
        request,
        "privacy/index.html",
        {"query": query, "people": people, "retention": RetentionSettings.current()},
    )


@login_required
def export(request: HttpRequest, pk: int) -> HttpResponse:
    person = access_subject(request.user, pk)
    document = services.person_export(person=person, actor=request.user, ip=client_ip(request))
    response = HttpResponse(
        json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="person-{person.pk}-export.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest, pk: int) -> HttpResponse:
    person = access_subject(request.user, pk)
    if services.is_erased(person):
        messages.info(request, _("This person has already been erased."))
        return redirect("privacy:index")
    form = ErasureForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            erasure = services.person_erase(
                person=person, actor=request.user, ip=client_ip(request)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The person was erased; they now show as “%(name)s”.")
                % {"name": erasure.pseudonym},
            )
            return redirect("privacy:index")
    return render(request, "privacy/erase.html", {"person": person, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def retention(request: HttpRequest) -> HttpResponse:
    require_privacy_admin(request.user)
    form = RetentionForm(request.POST or None, instance=RetentionSettings.current())
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Retention settings saved."))
        return redirect("privacy:index")
    return render(request, "privacy/retention.html", {"form": form})
