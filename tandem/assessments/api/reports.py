"""The 360 report under /api/v1: the same figures as the report page, as JSON.

Readable by the subject, their management chain and program admins only (anyone else:
404, so ids cannot be probed); 409 while the review is not closed. Every read is
written to the audit log."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from tandem.api.errors import ErrorOut, errors
from tandem.api.pagination import RecordId
from tandem.assessments.report import (
    ReportNotReady,
    access_report,
    build_report,
    record_read,
    report_as_dict,
)

router = Router(tags=["reports"])


class ReportOut(Schema):
    """See tandem/assessments/report.py for how every figure is built. A figure that is
    not shown has `shown: false` and a `reason`, never a number."""

    review_id: int
    subject: dict[str, Any]
    instrument: str
    closed_at: str | None
    scale: dict[str, Any]
    much: float
    columns: list[str]
    previous_review_id: int | None
    competencies: list[dict[str, Any]]
    johari: dict[str, list[str]]
    top_behaviours: list[str]
    bottom_behaviours: list[str]


@router.get(
    "/reviews/{review_id}/report",
    response={200: ReportOut, 409: ErrorOut, **errors(401, 403, 404, 422)},
    summary="The 360 report of a closed review (subject, their managers, program admins)",
    operation_id="get_review_report",
)
def get_review_report(request: HttpRequest, review_id: RecordId) -> Any:
    review = access_report(request.user, review_id)
    try:
        report = build_report(review)
    except ReportNotReady as error:
        return Status(409, {"detail": str(error)})
    record_read(request.user, review, via="api", ip=request.META.get("REMOTE_ADDR"))
    return report_as_dict(report)
