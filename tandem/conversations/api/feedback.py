"""The feedback part of /api/v1/conversations."""

from ninja import Router

router = Router(tags=["conversations"])
