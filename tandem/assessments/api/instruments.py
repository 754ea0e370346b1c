"""Assessment instruments under /api/v1 (read-only here; admins edit them in the admin
or import them with `tandem import-instrument`). Instruments are not individual data:
any signed-in user may read them."""

from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from tandem.accounts import policy
from tandem.api.errors import errors
from tandem.api.pagination import Pages, RecordId
from tandem.assessments.models import Instrument

router = Router(tags=["instruments"])


class InstrumentOut(Schema):
    id: int
    key: str
    version: int
    name: str
    kind: str
    is_frozen: bool


class InstrumentDetailOut(InstrumentOut):
    document: dict[str, Any]


@router.get(
    "/instruments",
    response={200: list[InstrumentOut], **errors(401, 403, 422)},
    summary="List instruments (the newest version of each unless all_versions)",
    operation_id="list_instruments",
)
@paginate(Pages)
def list_instruments(
    request: HttpRequest,
    kind: Literal["360", "self", "style"] | None = None,
    all_versions: bool = False,
) -> Any:
    policy.require_organization_reader(request.user)
    instruments = Instrument.objects.all() if all_versions else Instrument.objects.latest_versions()
    return instruments.filter(kind=kind) if kind else instruments


@router.get(
    "/instruments/{instrument_id}",
    response={200: InstrumentDetailOut, **errors(401, 403, 404, 422)},
    summary="One instrument version with its whole document",
    operation_id="get_instrument",
)
def get_instrument(request: HttpRequest, instrument_id: RecordId) -> Any:
    policy.require_organization_reader(request.user)
    return get_object_or_404(Instrument, pk=instrument_id)
