"""/api/v1/privacy: data-subject export, erasure and retention (program admins)."""

from ninja import Router

router = Router(tags=["privacy"])
