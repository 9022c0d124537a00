"""Case API under /api/v1/cases (CASE-1…CASE-3, CASE-6, ROUTE-1, SLA-2): parse, call a query or an
action, serialise through the schemas of `schemas/intake.py`.

Intake answers the case with its due times; an `Idempotency-Key` header makes a repeated create
answer 200 with the first case instead of making a second (per caller). Out of scope answers 404.
Contact data is masked unless the reader holds customer.view_full in scope; a full read is audited.
"""

from django.db import transaction
from ninja import Query, Router, Status
from ninja.pagination import paginate
from pydantic import Field

from kefu.cases.actions import blocks, intake
from kefu.cases.actions import routing as actions_routing
from kefu.cases.http.schemas.intake import (
    ID_MAX,
    AvailabilityIn,
    AvailabilityOut,
    CaseAssignIn,
    CaseDetail,
    CaseIn,
    CaseOut,
    CommentIn,
    CommentOut,
    EscalateIn,
    EscalationOut,
    Id,
    KindOut,
    TransferIn,
    TransferOut,
    TransitionIn,
)
from kefu.cases.lifecycle import CASE
from kefu.cases.models import Case, CaseState, SkillGroup
from kefu.cases.queries import intake as queries
from kefu.cases.queries import routing as routing_queries
from kefu.core import audit
from kefu.core.decisions import for_object
from kefu.core.errors import Invalid, NotFound
from kefu.core.http_support import Pagination, actor
from kefu.customers.queries.archive import customer as scoped_customer
from kefu.engine.workflow import api as workflow
from kefu.engine.workflow.api import TimerState
from kefu.org import access
from kefu.org.models import Employee

router = Router(tags=["cases"])
OFFSET_MAX = 2**31 - 1  # the largest offset every database accepts
DUE_CLOCKS = ("first_response", "next_update", "resolution")
TRANSITIONS = {t.name for t in CASE.transitions}


class CasePagination(Pagination):
    class Input(Pagination.Input):
        offset: int = Field(0, ge=0, le=OFFSET_MAX)


# ── what the answer needs beyond the case's own columns (read by the schemas' resolvers) ─────────
def _dues(cases: list[Case]) -> dict[int, dict]:
    """Deadlines of the running clocks of `cases`, in one query (SLA-2)."""
    due = {c.pk: dict.fromkeys(DUE_CLOCKS) for c in cases}
    if not cases:
        return due
    running = workflow.clocks(cases, states=(TimerState.RUNNING,), names=DUE_CLOCKS).values_list(
        "object_id", "name", "due_at"
    )
    for object_id, name, due_at in running:
        due[int(object_id)][name] = due_at
    return due


def _listed(current, cases: list[Case]) -> list[Case]:
    """The cases of a list with their deadlines and the customer links the reader may see."""
    due = _dues(cases)
    shown_customers = queries.shown_customers(current, cases)
    for case in cases:
        case.api_due, case.api_shown_customers = due[case.pk], shown_customers
    return cases


def _allowed(current, move, case: Case) -> bool:
    if move.permission is None:
        return True
    return access.record_in_scope(current, move.permission, unit=case.unit, owner_id=case.owner_id)


def _transitions(current, case: Case) -> list[dict]:
    return [
        {
            "name": move.name,
            "to": move.target,
            "label_zh": move.label_zh,
            "label_en": move.label_en,
            "required": [f for f in move.required if f != "owner"],
            "fields": [f for f in move.fields if f != "owner"],
            "endpoint": f"/api/v1/cases/{case.pk}/{'assign' if move.name == 'route' else 'transitions'}",
        }
        for move in CASE.available(case.state)
        if _allowed(current, move, case)
    ]


def _contact(current, case: Case) -> dict:
    shown = queries.contact_shown(current, case)
    read = [f for f in ("phone", "email") if getattr(case, f"contact_{f}")]
    if not shown["masked"] and read:
        with transaction.atomic():
            audit.record_read(current, case, fields=read, purpose="接口：工单详情 / api case detail")
    return shown


def _detail(current, case: Case, *, received: bool = False) -> Case:
    """`received`: `case` was just created by this request with its clocks in hand
    (`case.intake_clocks`): the answer is built from them — a new case has no comments, attachments
    or transfers, and escalations only when a trigger raised it on receipt (issue 11)."""
    case.api_shown_customers = queries.shown_customers(current, [case])
    if received:
        case.api_clocks = case.intake_clocks
        case.api_due = dict.fromkeys(DUE_CLOCKS)
        for timer in case.api_clocks:
            if timer.state == TimerState.RUNNING and timer.name in case.api_due:
                case.api_due[timer.name] = timer.due_at
    else:
        case.api_clocks, case.api_due = list(workflow.clocks(case)), _dues([case])[case.pk]
    case.api_contact = _contact(current, case)
    case.api_escalations = list(workflow.escalations(case)) if not received or case.major else []
    case.api_transitions = _transitions(current, case)
    case.api_comments = [] if received else list(case.comments.select_related("author__employee"))
    case.api_attachments = [] if received else list(case.attachments.select_related("uploaded_by__employee"))
    case.api_transfers = (
        []
        if received
        else list(case.transfers.select_related("from_owner", "to_owner", "from_unit", "to_unit"))
    )
    case.api_decisions = list(case.intake_decisions if received else for_object(case))
    return case


def _shown(current, case: Case) -> Case:
    """The case as it stands after the caller's action; when the action took it out of the caller's
    scope (routed to another group), the caller still gets the result of what they just did."""
    try:
        return _detail(current, queries.case(current, case.pk))
    except NotFound:
        return _detail(current, queries.case_after_action(case.pk))


COUNT_CAP = 10_000


class Listed:
    """A queryset wrapper that serialises each page's rows without extra queries per row."""

    def __init__(self, qs, rows):
        self.qs = qs
        self.rows = rows

    def count(self):
        # exact up to COUNT_CAP: counting every match of a broad filter over a million cases costs
        # more than the page itself; the list is newest first, and narrower filters count exactly
        return self.qs.order_by()[:COUNT_CAP].count()

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        return self.rows(list(self.qs[item]))


# ── lookups of the request's ids ─────────────────────────────────────────────────────────────────
def _employee(pk: int | None, field: str) -> Employee | None:
    return routing_queries.person(pk, field) if pk is not None else None


def _group(pk: int | None) -> SkillGroup | None:
    return routing_queries.active_group(pk) if pk is not None else None


def _state_filter(state: str) -> str:
    states = [s.strip() for s in state.split(",") if s.strip()]
    unknown = [s for s in states if s not in CaseState.values]
    if unknown:
        allowed = ", ".join(CaseState.values)
        raise Invalid(
            "case_state_invalid",
            f"状态无效：{', '.join(unknown)}；可选：{allowed}",
            f"Unknown state {', '.join(unknown)}; one of: {allowed}",
            {"state": "invalid"},
        )
    return ",".join(states)


def _owner_filter(current, owner: str) -> int | None:
    """`owner` is an employee id or "me"; None means no owner filter, 0 matches nothing."""
    if not owner:
        return None
    if owner == "me":
        me = access.employee_of(current.principal)
        return me.pk if me is not None else 0
    if not owner.isdigit() or not 0 < int(owner) <= ID_MAX:
        raise Invalid(
            "case_owner_invalid",
            "owner 须为人员编号或 me",
            "owner: an employee id or “me”",
            {"owner": "invalid"},
        )
    return int(owner)


# ── endpoints ────────────────────────────────────────────────────────────────────────────────────
@router.post(
    "",
    response={200: CaseDetail, 201: CaseDetail},
    summary="Receive a case (CASE-1, CASE-2): numbered, routed, its clocks started",
    description="Body: `kind` (glossary code: consultation, complaint, suggestion, feedback, help_request, "
    "repair, service_request, rescue, internal_report, important_event — or your subsidiary's own kind, "
    "see GET /cases/kinds), `channel`, `title`, `description`, and `customer` {name, phone, email} "
    "and/or `customer_id`. The answer is the case with `due` (deadlines of the running clocks) and "
    "`next_due_at`. With an `Idempotency-Key` header the same key from the same caller never makes two "
    "cases: the first request answers 201, a repeat 200 with the same case.",
    openapi_extra={
        "parameters": [
            {
                "in": "header",
                "name": "Idempotency-Key",
                "required": False,
                "schema": {"type": "string", "maxLength": 200},
                "description": "the same key from the same caller never creates two cases",
            }
        ]
    },
)
def create_case(request, payload: CaseIn):
    current = actor(request)
    data = payload.model_dump()
    customer = scoped_customer(current, data["customer_id"]) if data["customer_id"] else None
    if customer is None and not any((data["customer"] or {}).values()):
        raise Invalid(
            "case_customer_required",
            "请填写客户联系方式（customer）或选择客户（customer_id）",
            "Give the customer (name, phone) or a customer_id",
            {"customer": "required"},
        )
    case, created = intake.create_case(
        current,
        unit=queries.receiving_unit(current, data["unit_id"]),
        kind=data["kind"],
        channel=data["channel"],
        title=data["title"],
        description=data["description"],
        priority=data["priority"],
        customer=customer,
        contact=data["customer"],
        extra=data["extra"],
        major=data["major"],
        identity_verified=data["identity_verified"],
        idempotency_key=request.headers.get("Idempotency-Key", ""),
        idempotency_scope=f"user:{request.user.pk}",
    )
    if created:  # answered from the objects the action holds, not read back (issue 11)
        return Status(201, _detail(current, case, received=True))
    return Status(200, _shown(current, case))


@router.get(
    "",
    response=list[CaseOut],
    summary="Cases in my scope, filtered (newest first)",
    description="Filters: `kind` (code), `state` (comma list), `owner` (employee id or `me`), `overdue`, "
    "`customer` (id), `received_from` / `received_to` (YYYY-MM-DD, Asia/Shanghai days), `q` (number, "
    "title or phone), `group` (skill group id), `open` (open states only). `count` is exact up to 10,000 "
    "and stops there.",
)
@paginate(CasePagination)
def list_cases(
    request,
    kind: str = Query("", max_length=50),
    state: str = Query("", max_length=300),
    owner: str = Query("", max_length=30),
    overdue: bool | None = None,
    customer: Id | None = None,
    received_from: str = Query("", max_length=10),
    received_to: str = Query("", max_length=10),
    q: str = Query("", max_length=100),
    group: Id | None = None,
    open_only: bool = Query(False, alias="open"),
):
    current = actor(request)
    start = queries.parse_day(received_from, "received_from")
    end = queries.parse_day(received_to, "received_to")
    if start and end and start > end:
        raise Invalid(
            "case_date_range",
            "开始日期不能晚于结束日期",
            "received_from is after received_to",
            {"received_from": "after received_to"},
        )
    owner_id = _owner_filter(current, owner)
    found = queries.cases(
        current,
        kind=kind,
        state=_state_filter(state),
        owner_id=owner_id,
        customer_id=customer,
        group_id=group,
        overdue=overdue,
        open_only=open_only,
        received_from=start,
        received_to=end,
        q=q.strip(),
    )
    if owner_id == 0 or (customer and not queries.shown_customers(current, customer_ids=[customer])):
        found = found.none()  # issue 10: a customer the reader may not see links to nothing
    return Listed(found, lambda rows: _listed(current, rows))


# declared before /{case_id}: fixed paths first
@router.get(
    "/kinds",
    response=list[KindOut],
    summary="Case kinds offered to my unit, with their own fields (CASE-1)",
    description="A subsidiary's own kind replaces the shipped kind of the same code. `fields`: "
    '[{"name", "label", "type": text|number|date|choice, "required", "choices"}] — send their values in '
    "`extra` when creating.",
)
def list_kinds(request):
    current = actor(request)
    employee = access.employee_of(current.principal)
    return queries.kinds_for(employee.unit if employee else None)


@router.put(
    "/availability/{int:employee_id}",
    response=AvailabilityOut,
    summary="ROUTE-1 mark whether an agent takes new cases (self, or a supervisor in scope)",
)
def put_availability(request, employee_id: int, payload: AvailabilityIn):
    current = actor(request)
    employee = routing_queries.colleague(current, employee_id)
    return actions_routing.set_availability(current, employee, available=payload.available, note=payload.note)


@router.get(
    "/{int:case_id}",
    response=CaseDetail,
    summary="One case: contact (masked unless full view; audited), clocks, escalations, transitions, why",
)
def get_case(request, case_id: int):
    current = actor(request)
    return _detail(current, queries.case(current, case_id))


@router.post(
    "/{int:case_id}/transitions",
    response=CaseDetail,
    summary="Make a lifecycle transition (CASE-3): accept, wait, resume, propose, inform, answer, revisit, …",
    description='`{"to": <transition name>, "reason"?, and the transition\'s fields}`; the detail\'s '
    "`transitions` lists the moves you may make now with their required fields. `route` is made with "
    "POST /cases/{id}/assign; `reopen` needs a reason (the customer is not satisfied).",
)
def transition(request, case_id: int, payload: TransitionIn):
    current = actor(request)
    case = queries.case(current, case_id)
    name = payload.to
    if name not in TRANSITIONS:
        raise Invalid(
            "case_transition_unknown",
            f"没有名为「{name}」的流转",
            f"No transition named “{name}”",
            {"to": "unknown"},
        )
    if name == "route":
        raise Invalid(
            "case_transition_use_assign",
            "分派请使用 POST /cases/{id}/assign",
            "Route a case with POST /cases/{id}/assign",
            {"to": "use assign"},
        )
    data = {k: v for k, v in payload.model_dump(exclude={"to", "reason"}).items() if v is not None}
    case = intake.act(current, case, name, data=data, reason=payload.reason)
    return _shown(current, case)


@router.post(
    "/{int:case_id}/assign",
    response=CaseDetail,
    summary="ROUTE-1 assign a queued case (supervisor); without owner_id to the least-loaded available member",
)
def assign(request, case_id: int, payload: CaseAssignIn):
    current = actor(request)
    case = queries.case(current, case_id)
    case = actions_routing.assign(current, case, _employee(payload.owner_id, "owner_id"))
    return _shown(current, case)


@router.post(
    "/{int:case_id}/transfer",
    response={201: TransferOut},
    summary="CASE-6 transfer to another owner or skill group — a reason is required; bounces are counted",
)
def transfer(request, case_id: int, payload: TransferIn):
    current = actor(request)
    case = queries.case(current, case_id)
    record = actions_routing.transfer(
        current,
        case,
        reason=payload.reason,
        to_owner=_employee(payload.to_owner_id, "to_owner_id"),
        to_group=_group(payload.to_group_id),
    )
    return Status(201, record)


@router.post(
    "/{int:case_id}/escalate",
    response={201: EscalationOut},
    summary="ESC-1 / WF-6 escalate one level up; skip levels only in an emergency (skipped levels told)",
)
def escalate(request, case_id: int, payload: EscalateIn):
    current = actor(request)
    case = queries.case(current, case_id)
    row = actions_routing.escalate(
        current,
        case,
        reason=payload.reason,
        emergency=payload.emergency,
        to_level=payload.to_level,
        trigger=payload.trigger,
    )
    return Status(201, row)


@router.post(
    "/{int:case_id}/verify-identity",
    response=CaseDetail,
    summary="CASE-2 先核实客户身份: record that the customer's identity was verified",
)
def verify_identity(request, case_id: int):
    current = actor(request)
    case = intake.verify_identity(current, queries.case(current, case_id))
    return _shown(current, case)


@router.get(
    "/{int:case_id}/comments", response=list[CommentOut], summary="Comments and replies, oldest first"
)
@paginate(CasePagination)
def list_comments(request, case_id: int):
    case = queries.case(actor(request), case_id)
    return Listed(case.comments.select_related("author__employee"), list)


@router.post(
    "/{int:case_id}/comments",
    response={201: CommentOut},
    summary="Add an internal note, or (public) a reply to the customer (SLA-2: a response)",
)
def add_comment(request, case_id: int, payload: CommentIn):
    current = actor(request)
    note = blocks.comment(current, queries.case(current, case_id), payload.body, public=payload.public)
    return Status(201, note)
