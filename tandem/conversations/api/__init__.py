"""Conversations' part of /api/v1, under /conversations: one-on-ones and feedback."""

from ninja import Router

from tandem.conversations.api import feedback, oneonones

router = Router()
router.add_router("", oneonones.router)
router.add_router("", feedback.router)
