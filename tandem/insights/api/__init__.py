"""Insights' part of /api/v1, under /impact: pulses, ROI inputs, and the impact
figures (metrics, criteria status, effects, retention, ROI), each in its own router."""

from ninja import Router

from tandem.insights.api import impact, pulses, roi

router = Router()
router.add_router("", pulses.router)
router.add_router("", roi.router)
router.add_router("", impact.router)
