"""Training's part of /api/v1, under /training: the course half (courses, sessions,
seats, attendance, surveys, knowledge checks) and the reinforcement half (bursts,
practice logs), each in its own router."""

from ninja import Router

from tandem.training.api import courses
from tandem.training.api.reinforcement import router as reinforcement_router

router = Router()
router.add_router("", courses.router)
router.add_router("", reinforcement_router)
