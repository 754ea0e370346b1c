"""Coaching's part of /api/v1, under /coaching: one router per area. Each endpoint
fetches through the same access helpers as the pages (`coaching.access`), and what is
said in coaching is served only by the notes, next-step and journal endpoints, to the
two parties (the journal: to its author), with each read audited."""

from ninja import Router

from tandem.coaching.api import coaches, engagements, journal, sessions

router = Router()
router.add_router("/coaching", coaches.router)
router.add_router("/coaching", engagements.router)
router.add_router("/coaching", sessions.router)
router.add_router("/coaching", journal.router)
