"""Work reports and the monthly service report under /api/v1/insights/reports (RPT-1)."""

from datetime import date, datetime
from typing import Literal

from django.http import HttpResponse
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from kefu.core import clock
from kefu.core.errors import Invalid, NotFound
from kefu.core.http_support import Pagination, PatchSchema, StrictSchema, actor
from kefu.insights.actions import reports as actions
from kefu.insights.exports import reports as exports
from kefu.insights.queries import reports as queries
from kefu.org import access
from kefu.org.models import Employee, Unit

router = Router(tags=["insights"])


class ReportLineOut(Schema):
    kind: str  # received, handled, closed, revisit, contact, carried or report
    object_id: int
    label: str
    at: datetime | None


class WorkReportOut(Schema):
    id: int
    employee_id: int
    employee_name: str = Field(validation_alias="employee.name")
    period: str  # day, week or month
    starts_on: date
    ends_on: date
    due_at: datetime
    state: str  # draft or submitted
    manager_id: int | None
    work: str
    problems: str
    plan: str
    figures: dict
    submitted_at: datetime | None
    late: bool
    flagged_at: datetime | None


class WorkReportDetailOut(WorkReportOut):
    lines: list[ReportLineOut] = Field(validation_alias="line_rows")


class ReportFilters(Schema):
    period: Literal["", "day", "week", "month"] = ""
    employee_id: int | None = None


class ReportOpenIn(StrictSchema):
    period: Literal["day", "week", "month"] = "day"
    day: date | None = Field(None, description="a day of the period; today when left out")


class ReportTextIn(PatchSchema):
    work: str = Field("", max_length=5000, description="今日工作 / 本周工作 / 本月工作")
    problems: str = Field("", max_length=5000, description="问题与建议")
    plan: str = Field("", max_length=5000, description="明日计划")


class TeamFilters(Schema):
    period: Literal["day", "week", "month"] = "day"
    day: date | None = None


class TeamRowOut(Schema):
    employee_id: int
    employee_name: str
    report_id: int | None
    status: str  # on_time, late, draft (not yet due), missing (due, not submitted) or none


class TimelinessFilters(Schema):
    since: datetime
    until: datetime
    employee_id: int | None = None
    unit_id: int | None = None
    period: Literal["", "day", "week", "month"] = ""


class TimelinessOut(Schema):
    on_time: int
    due: int


def _detail(report):
    report.line_rows = list(queries.lines(report))
    return report


@router.get("", response=list[WorkReportOut], summary="Work reports: mine and those I review (RPT-1)")
@paginate(Pagination)
def list_reports(request, filters: Query[ReportFilters]):
    return queries.reports(actor(request), period=filters.period, employee_id=filters.employee_id)


@router.post("", response=WorkReportDetailOut, summary="Open my report of a period, drafted from the records")
def open_report(request, payload: ReportOpenIn):
    return _detail(actions.open_mine(actor(request), payload.period, payload.day))


@router.get("/team", response=list[TeamRowOut], summary="Who reporting to me submitted, late or not (RPT-1)")
def team(request, filters: Query[TeamFilters]):
    me = actor(request)
    access.require(me, queries.REVIEW)
    rows = queries.team(me, filters.period, filters.day or clock.today())
    return [
        {
            "employee_id": r.employee.pk,
            "employee_name": r.employee.name,
            "report_id": r.report.pk if r.report else None,
            "status": r.status,
        }
        for r in rows
    ]


@router.get("/timeliness", response=TimelinessOut, summary="Reporting timeliness: on time / due (RPT-1)")
def timeliness(request, filters: Query[TimelinessFilters]):
    me = actor(request)
    if filters.employee_id:
        if not queries.reports(me).filter(employee_id=filters.employee_id).exists():
            raise NotFound("员工", "employee")
        who = Employee.objects.get(pk=filters.employee_id)
    elif filters.unit_id:
        unit = Unit.objects.filter(pk=filters.unit_id).first()
        if unit is None or not access.unit_in_scope(me, queries.REVIEW, unit):
            raise NotFound("单位", "unit")
        who = unit.path
    else:
        raise Invalid(
            "timeliness_who", "请指定员工或单位", "Name an employee or a unit", {"employee_id": "required"}
        )
    since, until = (t if t.tzinfo else t.replace(tzinfo=clock.zone()) for t in (filters.since, filters.until))
    on_time, due = queries.timeliness(who, since, until, period=filters.period)
    return {"on_time": on_time, "due": due}


# ── the monthly service report ───────────────────────────────────────────────────────────────────


class RectificationOut(Schema):
    id: int
    problem: str
    measure: str
    owner_id: int
    owner_name: str = Field(validation_alias="owner.name")
    due_on: date
    state: str  # open, done or verified
    done_at: datetime | None
    verified_at: datetime | None
    overdue: bool = Field(validation_alias="overdue_flag")


class ServiceReportOut(Schema):
    id: int
    unit_id: int
    unit_name: str = Field(validation_alias="unit.name")
    month: date
    state: str  # draft or signed
    author_id: int
    figures: dict
    summary: str
    problems: str
    signed_at: datetime | None
    signed_by_id: int | None


class ServiceReportDetailOut(ServiceReportOut):
    items: list[RectificationOut] = Field(validation_alias="item_rows")


class ServiceReportIn(StrictSchema):
    unit_id: int
    month: date = Field(description="any day of the month")


class ServiceReportTextIn(PatchSchema):
    summary: str = Field("", max_length=5000)
    problems: str = Field("", max_length=5000)


class RectificationIn(StrictSchema):
    problem: str = Field(max_length=300)
    measure: str = Field("", max_length=5000)
    owner_id: int
    due_on: date


class RectificationStepIn(StrictSchema):
    to: Literal["open", "done", "verified"]


def _service(report):
    report.item_rows = list(queries.items(report))
    for item in report.item_rows:
        item.overdue_flag = bool(item.overdue_flagged_at) and item.state == "open"
    return report


@router.get("/service", response=list[ServiceReportOut], summary="Monthly service reports (RPT-1)")
@paginate(Pagination)
def list_service_reports(request):
    return queries.service_reports(actor(request))


@router.post("/service", response={201: ServiceReportDetailOut}, summary="Start a month's service report")
def create_service_report(request, payload: ServiceReportIn):
    me = actor(request)
    unit = queries.managed_units(me).filter(pk=payload.unit_id).first()
    if unit is None:
        raise NotFound("单位", "unit")
    return Status(201, _service(actions.create_service_report(me, unit, payload.month)))


@router.get("/service/{report_id}", response=ServiceReportDetailOut, summary="One service report")
def get_service_report(request, report_id: int):
    return _service(queries.service_report(actor(request), report_id))


@router.patch("/service/{report_id}", response=ServiceReportDetailOut, summary="Edit summary and problems")
def edit_service_report(request, report_id: int, payload: ServiceReportTextIn):
    me = actor(request)
    report = queries.service_report(me, report_id)
    return _service(actions.update_service_report(me, report, **payload.changes()))


@router.post("/service/{report_id}/sign", response=ServiceReportDetailOut, summary="Sign the report off")
def sign_service_report(request, report_id: int):
    me = actor(request)
    return _service(actions.sign_service_report(me, queries.service_report(me, report_id)))


@router.post(
    "/service/{report_id}/items", response={201: RectificationOut}, summary="Add a rectification item"
)
def add_item(request, report_id: int, payload: RectificationIn):
    me = actor(request)
    report = queries.service_report(me, report_id)
    owner = Employee.objects.select_related("unit").filter(pk=payload.owner_id).first()
    item = actions.add_item(
        me, report, problem=payload.problem, measure=payload.measure, owner=owner, due_on=payload.due_on
    )
    item.overdue_flag = False
    return Status(201, item)


@router.post(
    "/service/items/{item_id}/advance", response=RectificationOut, summary="Done, verified or reopened"
)
def advance_item(request, item_id: int, payload: RectificationStepIn):
    me = actor(request)
    item = actions.advance_item(me, queries.item(me, item_id), payload.to)
    item.overdue_flag = bool(item.overdue_flagged_at) and item.state == "open"
    return item


@router.get("/service/{report_id}/pdf", summary="The service report as a printable PDF")
def service_pdf(request, report_id: int):
    report = queries.service_report(actor(request), report_id)
    response = HttpResponse(exports.pdf(report), content_type=exports.PDF)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(report, "pdf")}"'
    return response


@router.get("/service/{report_id}/xlsx", summary="The service report as an Excel workbook")
def service_xlsx(request, report_id: int):
    report = queries.service_report(actor(request), report_id)
    response = HttpResponse(exports.workbook(report), content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(report, "xlsx")}"'
    return response


# the work report by id last: "/service…" above must not be read as an id
@router.get("/{report_id}", response=WorkReportDetailOut, summary="One work report with its lines")
def get_report(request, report_id: int):
    return _detail(queries.report(actor(request), report_id))


@router.patch("/{report_id}", response=WorkReportDetailOut, summary="Edit my draft's text (RPT-1)")
def edit_report(request, report_id: int, payload: ReportTextIn):
    me = actor(request)
    return _detail(actions.save(me, queries.report(me, report_id), **payload.changes()))


@router.post("/{report_id}/submit", response=WorkReportDetailOut, summary="Submit to my supervisor (RPT-1)")
def submit_report(request, report_id: int, payload: ReportTextIn):
    me = actor(request)
    return _detail(actions.submit(me, queries.report(me, report_id), **payload.changes()))
