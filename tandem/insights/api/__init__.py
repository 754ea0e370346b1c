"""Insights' part of /api/v1, under /impact: pulses, ROI inputs, and the impact
figures (metrics, criteria status, effects, retention, ROI), each in its own router."""

from ninja import Router

from tandem.insights.api import executives, habits, impact, pulses, roi

router = Router()
router.add_router("", pulses.router)
router.add_router("", roi.router)
router.add_router("", impact.router)
router.add_router("", habits.router)
router.add_router("", executives.router)
