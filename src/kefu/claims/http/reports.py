"""报备 API for customer-process reports (CLM-11) under /api/v1/claims/process-reports: parse, call a
query or an action, serialise. Refusals answer the error envelope: 403 for a step the caller may not
take on a report they can see, 404 for one they cannot, 409 for a step the report's state does not
allow."""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from kefu.claims import actions
from kefu.claims.http.register import Text
from kefu.claims.queries import people
from kefu.claims.queries import plans as plan_queries
from kefu.claims.queries import reports as queries
from kefu.core.http_support import Pagination, StrictSchema, actor
from kefu.org.queries import employee_named

router = Router(tags=["claims"])


class ReportIn(StrictSchema):
    customer_name: Annotated[str, Field(max_length=200)]
    contact: Annotated[str, Field(max_length=200)]
    needs: Text


class ReportRowOut(Schema):
    id: int
    unit: str
    owner_id: int
    owner: str
    customer_name: str
    state: str
    assignee_id: int | None
    assignee: str | None
    created_at: datetime

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.name

    @staticmethod
    def resolve_owner(obj):
        return obj.owner.name

    @staticmethod
    def resolve_assignee(obj):
        return obj.assignee.name if obj.assignee_id else None


class ProcessReportStepOut(Schema):
    label: str
    at: datetime
    who: str
    note: str


class SalesPlanOut(Schema):
    """CLM-11: one version of the report's sales plan and where its approval stands."""

    id: int
    version: int
    text: str
    author: str
    state: str
    submitted_at: datetime
    told_at: datetime | None

    @staticmethod
    def resolve_author(obj):
        return obj.author.name


class ReportOut(ReportRowOut):
    contact: str
    needs: str
    review_note: str
    feedback: str
    history: list[ProcessReportStepOut] = Field(
        description="submission and every state change: what, who, when"
    )
    plans: list[SalesPlanOut] = Field(description="CLM-11 sales plan versions, newest first")

    @staticmethod
    def resolve_history(obj):
        return queries.report_story(obj)

    @staticmethod
    def resolve_plans(obj):
        return plan_queries.plans_of(obj)


class ReviewIn(StrictSchema):
    genuine: bool
    note: Text = Field("", description="required when not genuine")


class ProcessReportAssignIn(StrictSchema):
    employee_id: int


class FeedbackIn(StrictSchema):
    text: Annotated[str, Field(min_length=1, max_length=2000)]
    plan_result: bool = Field(
        False,
        description="CLM-11: this is the sales plan's result told to the customer (needs an approved plan)",
    )


class SalesPlanIn(StrictSchema):
    text: Annotated[str, Field(min_length=1, max_length=4000)]


@router.get(
    "",
    response=list[ReportRowOut],
    summary="CLM-11 reports I may see (pending = 待审核)",
    operation_id="kefu_claims_http_reports_list_reports",
)
@paginate(Pagination)
def list_reports(request, view: Literal["", "pending", "mine", "assigned"] = "", state: str = ""):
    current = actor(request)
    if view == "pending":
        return queries.pending_review(current)
    return queries.reports(current, state=state, mine=view == "mine", assigned=view == "assigned")


@router.post(
    "",
    response={201: ReportOut},
    summary="CLM-11 submit a customer-process report",
    operation_id="kefu_claims_http_reports_submit",
)
def submit(request, payload: ReportIn):
    current = actor(request)
    report = actions.submit_report(current, **payload.model_dump())
    return Status(201, queries.report(current, report.pk))


@router.get(
    "/{int:report_id}",
    response=ReportOut,
    summary="CLM-11 one report with its history",
    operation_id="kefu_claims_http_reports_get_report",
)
def get_report(request, report_id: int):
    return queries.report(actor(request), report_id)


@router.post(
    "/{int:report_id}/review",
    response=ReportOut,
    summary="CLM-11 supervisor: genuine, or not (note required)",
    operation_id="kefu_claims_http_reports_review",
)
def review(request, report_id: int, payload: ReviewIn):
    current = actor(request)
    found = queries.report(current, report_id)
    actions.review_report(current, found, genuine=payload.genuine, note=payload.note)
    return queries.report(current, report_id)


@router.post(
    "/{int:report_id}/assign",
    response=ReportOut,
    summary="CLM-11 supervisor assigns a follow-up",
    operation_id="kefu_claims_http_reports_assign",
)
def assign(request, report_id: int, payload: ProcessReportAssignIn):
    current = actor(request)
    found = queries.report(current, report_id)
    actions.assign_report(current, found, employee_named(payload.employee_id, "employee_id", **people.NAMED))
    return queries.report(current, report_id)


@router.post(
    "/{int:report_id}/feedback",
    response=ReportOut,
    summary="CLM-11 the assignee records contact and feedback",
    operation_id="kefu_claims_http_reports_feedback",
)
def feedback(request, report_id: int, payload: FeedbackIn):
    current = actor(request)
    found = queries.report(current, report_id)
    actions.report_feedback(current, found, payload.text, plan_result=payload.plan_result)
    return queries.report(current, report_id)


@router.post(
    "/{int:report_id}/plans",
    response={201: ReportOut},
    summary="CLM-11 the follow-up employee submits the sales plan (or a revision) for approval",
    operation_id="kefu_claims_http_reports_submit_plan",
)
def submit_plan(request, report_id: int, payload: SalesPlanIn):
    current = actor(request)
    actions.submit_plan(current, queries.report(current, report_id), payload.text)
    return Status(201, queries.report(current, report_id))


@router.post(
    "/{int:report_id}/archive",
    response=ReportOut,
    summary="CLM-11 supervisor archives",
    operation_id="kefu_claims_http_reports_archive",
)
def archive(request, report_id: int):
    current = actor(request)
    actions.archive_report(current, queries.report(current, report_id))
    return queries.report(current, report_id)
