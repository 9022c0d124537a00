"""Insights API under /api/v1/insights, one router per concern."""

from ninja import Router

from kefu.insights.http import dashboards, kpis, month, reports

router = Router(tags=["insights"])
router.add_router("", dashboards.router)  # 今日
router.add_router("/kpis", kpis.router)  # KPI-1
router.add_router("/reports", reports.router)  # RPT-1
router.add_router("", month.router)  # 本月
