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
