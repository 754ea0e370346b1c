"""Mentoring's part of /api/v1, under /mentoring: one router per area."""

from ninja import Router

from tandem.mentoring.api import matching, programs, relationships

router = Router()
router.add_router("/mentoring", programs.router)
router.add_router("/mentoring", matching.router)
router.add_router("/mentoring", relationships.router)
