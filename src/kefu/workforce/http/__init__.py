"""Workforce API under /api/v1/workforce, one router per concern."""

from ninja import Router

from kefu.workforce.http import attendance, handovers

router = Router(tags=["workforce"])
router.add_router("/handovers", handovers.router)
router.add_router("/attendance", attendance.router)
