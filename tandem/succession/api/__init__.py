"""Succession's part of /api/v1, under /succession: the talent-review half (reviews,
ratings, calibration, the 9-box, placement history, box labels) and the pipeline half
(critical roles, slates, openings, the pipeline figures), each in its own router."""

from ninja import Router

from tandem.succession.api import reviews
from tandem.succession.api.pipeline import router as pipeline_router

router = Router()
router.add_router("", reviews.router)
router.add_router("", pipeline_router)
