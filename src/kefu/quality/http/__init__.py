"""Quality API under /api/v1/quality, one router per concern."""

from ninja import Router

router = Router(tags=["quality"])
