"""Insights API under /api/v1/insights, one router per concern."""

from ninja import Router

from kefu.insights.http import kpis

router = Router(tags=["insights"])
router.add_router("/kpis", kpis.router)

from kefu.insights.http import reports  # noqa: E402  RPT-1

router.add_router("/reports", reports.router)
