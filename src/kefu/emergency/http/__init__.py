"""Emergency API under /api/v1/emergency, one router per concern."""

from ninja import Router

router = Router(tags=["emergency"])

from kefu.emergency.http import surges  # noqa: E402  EMG-5

router.add_router("/surges", surges.router)
