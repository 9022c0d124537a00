"""Insights API under /api/v1/insights, one router per concern."""

from ninja import Router

from kefu.insights.http import dashboards

router = Router(tags=["insights"])
router.add_router("", dashboards.router)
