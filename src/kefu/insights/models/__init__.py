"""The insights app's tables, one module per concern."""

from kefu.insights.models.kpis import COUNTERS, CaseFact, DailyFact, FactCursor

__all__ = ["COUNTERS", "CaseFact", "DailyFact", "FactCursor"]
from kefu.insights.models.reports import (  # noqa: F401  RPT-1
    LineKind,
    Period,
    RectificationItem,
    RectificationState,
    ReportState,
    ServiceReport,
    ServiceReportState,
    WorkReport,
    WorkReportLine,
)
