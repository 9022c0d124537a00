"""Emergency API under /api/v1/emergency, one router per concern."""

from ninja import Router

router = Router(tags=["emergency"])

from kefu.emergency.http import fees, resources, weather  # noqa: E402  RES-1, WX-1, FEE-1

router.add_router("/resources", resources.router)
router.add_router("/weather", weather.router)
router.add_router("/fees", fees.router)
