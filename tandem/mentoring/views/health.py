"""A mentoring program's health, for program admins: the figures, the relationships at
risk and the mentors' load, with charts and a CSV export. Metadata only."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from tandem.accounts.models import AuditAction, AuditLog
from tandem.lib import csvsafe
from tandem.mentoring import health as program_health
from tandem.mentoring import relationship_access as access


@login_required
def health(request: HttpRequest, program_pk: int) -> HttpResponse:
    program = access.access_program_health(request.user, program_pk)
    figures = program_health.program_health(program)
    context = {
        "program": program,
        "health": figures,
        "satisfaction_chart": figures.satisfaction_chart(),
        "load_chart": figures.load_chart(),
        "min_answers": program_health.MIN_ANSWERS,
    }
    return render(request, "mentoring/health.html", context)


@login_required
def health_export(request: HttpRequest, program_pk: int) -> HttpResponse:
    program = access.access_program_health(request.user, program_pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="mentoring-relationships-{program.pk}.csv"'
    )
    writer = csvsafe.writer(response)
    writer.writerow(program_health.EXPORT_COLUMNS)
    writer.writerows(program_health.export_rows(program))
    AuditLog.objects.record(
        actor=request.user,
        action=AuditAction.EXPORT,
        target=program,
        summary="Mentoring relationships (metadata) exported as CSV",
        ip=request.META.get("REMOTE_ADDR"),
    )
    return response


urlpatterns = [
    path("health/<int:program_pk>/", health, name="health"),
    path("health/<int:program_pk>/export.csv", health_export, name="health-export"),
]
