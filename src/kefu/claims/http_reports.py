"""报备 API for customer-process reports (CLM-11) under /api/v1/claims/process-reports and the daily
registration submissions (CLM-12) under /api/v1/claims/daily: parse, call a query or an action,
serialise. Refusals answer the error envelope: 403 for a step the caller may not take on a report
they can see, 404 for one they cannot, 409 for a step the report's state does not allow."""

from typing import Literal

from ninja import Query, Router, Status
from ninja.pagination import paginate

from kefu.claims import actions_more, queries, queries_more
from kefu.claims.queries_more import OVERVIEW_DAYS, OVERVIEW_DAYS_MAX
from kefu.claims.schemas import (
    DailyIn,
    DailyOut,
    DailyOverviewOut,
    FeedbackIn,
    ProcessReportAssignIn,
    ReportIn,
    ReportOut,
    ReportRowOut,
    ReviewIn,
)
from kefu.core import clock
from kefu.core.http_support import Pagination, actor

reports_router = Router(tags=["claims"])
daily_router = Router(tags=["claims"])


@reports_router.get("", response=list[ReportRowOut], summary="CLM-11 reports I may see (pending = 待审核)")
@paginate(Pagination)
def list_reports(request, view: Literal["", "pending", "mine", "assigned"] = "", state: str = ""):
    current = actor(request)
    if view == "pending":
        return queries_more.pending_review(current)
    return queries_more.reports(current, state=state, mine=view == "mine", assigned=view == "assigned")


@reports_router.post("", response={201: ReportOut}, summary="CLM-11 submit a customer-process report")
def submit(request, payload: ReportIn):
    current = actor(request)
    report = actions_more.submit_report(current, **payload.model_dump())
    return Status(201, queries.report(current, report.pk))


@reports_router.get("/{int:report_id}", response=ReportOut, summary="CLM-11 one report with its history")
def get_report(request, report_id: int):
    return queries.report(actor(request), report_id)


@reports_router.post(
    "/{int:report_id}/review",
    response=ReportOut,
    summary="CLM-11 supervisor: genuine, or not (note required)",
)
def review(request, report_id: int, payload: ReviewIn):
    current = actor(request)
    found = queries.report(current, report_id)
    actions_more.review_report(current, found, genuine=payload.genuine, note=payload.note)
    return queries.report(current, report_id)


@reports_router.post(
    "/{int:report_id}/assign", response=ReportOut, summary="CLM-11 supervisor assigns a follow-up"
)
def assign(request, report_id: int, payload: ProcessReportAssignIn):
    current = actor(request)
    found = queries.report(current, report_id)
    actions_more.assign_report(current, found, queries_more.employee(payload.employee_id, "employee_id"))
    return queries.report(current, report_id)


@reports_router.post(
    "/{int:report_id}/feedback",
    response=ReportOut,
    summary="CLM-11 the assignee records contact and feedback",
)
def feedback(request, report_id: int, payload: FeedbackIn):
    current = actor(request)
    actions_more.report_feedback(current, queries.report(current, report_id), payload.text)
    return queries.report(current, report_id)


@reports_router.post("/{int:report_id}/archive", response=ReportOut, summary="CLM-11 supervisor archives")
def archive(request, report_id: int):
    current = actor(request)
    actions_more.archive_report(current, queries.report(current, report_id))
    return queries.report(current, report_id)


@daily_router.get(
    "",
    response=DailyOverviewOut,
    summary="CLM-12 the last working days per reporting unit, missing days flagged",
)
def daily_overview(request, days: int = Query(OVERVIEW_DAYS, ge=1, le=OVERVIEW_DAYS_MAX)):
    dates, rows = queries_more.daily_overview(actor(request), days)
    return {"days": dates, "units": rows}


@daily_router.post(
    "",
    response={201: DailyOut},
    summary="CLM-12 submit a unit's day: its new customers, or explicitly none (once per day; 409 after)",
)
def daily_submit(request, payload: DailyIn):
    current = actor(request)
    submission = actions_more.submit_daily(
        current,
        unit=queries_more.reporting_unit(payload.unit_id),
        day=payload.day or clock.today(),
        customers=[c.model_dump() for c in payload.customers],
        none_today=payload.none_today,
    )
    return Status(201, submission)
