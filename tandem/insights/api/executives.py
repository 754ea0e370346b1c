"""The executives part of /api/v1/impact."""

from ninja import Router

router = Router(tags=["impact"])
