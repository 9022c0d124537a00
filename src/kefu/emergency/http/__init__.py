"""Emergency API under /api/v1/emergency, one router per concern."""

from ninja import Router

router = Router(tags=["emergency"])
