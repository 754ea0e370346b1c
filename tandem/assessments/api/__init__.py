"""The assessments app's part of /api/v1, one router per area."""

from ninja import Router

from tandem.assessments.api import instruments, plans, reports, reviews, self_service

router = Router()
router.add_router("/", instruments.router)
router.add_router("/", reviews.router)
router.add_router("/", reports.router)
router.add_router("/", self_service.router)
router.add_router("/", plans.router)
