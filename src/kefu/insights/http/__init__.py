"""Insights API under /api/v1/insights, one router per concern."""

from ninja import Router

router = Router(tags=["insights"])
