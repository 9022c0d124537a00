"""Workforce API under /api/v1/workforce, one router per concern."""

from ninja import Router

from kefu.workforce.http import attendance, availability, changes, handovers, leave, rotas, shifts

router = Router(tags=["workforce"])
router.add_router("", shifts.router)
router.add_router("", rotas.router)
router.add_router("", changes.router)
router.add_router("/leave", leave.router)
router.add_router("/availability", availability.router)
router.add_router("/handovers", handovers.router)
router.add_router("/attendance", attendance.router)
