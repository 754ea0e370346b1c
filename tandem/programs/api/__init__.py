"""The programs app's part of /api/v1, one router per area."""

from ninja import Router

from tandem.programs.api import advisor, checkins, plans, programs

router = Router()
router.add_router("/", programs.router)
router.add_router("/", plans.router)
router.add_router("/", checkins.router)
router.add_router("/", advisor.router)
