"""Workforce API under /api/v1/workforce, one router per concern."""

from ninja import Router

router = Router(tags=["workforce"])
