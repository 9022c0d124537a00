"""Workforce API under /api/v1/workforce, one router per concern."""

from ninja import Router

from kefu.workforce.http import changes, rotas, shifts

router = Router(tags=["workforce"])
router.add_router("", shifts.router)
router.add_router("", rotas.router)
router.add_router("", changes.router)
