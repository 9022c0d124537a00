"""Complaint handling (CASE-4, CASE-5, CASE-7): the closure report, compensation with approval
(WF-4), staff-caused complaints verified by a supervisor, root cause and recurrence detection.

- CASE-4 结案报告 "包括问题的解决方案、所花费的时间和资源、对类似问题的预防措施以及客户对解决方案的满意度"
  [000 · 客服报备方案 (2) §3.4]; a 赔偿 solution needs an approved compensation.
- CASE-5 "若因服务态度或服务技能等自身原因造成客户投诉者,一经查实,严肃处理" [004 · 篇一]: the handler marks
  the responsible employee and the cause; a supervisor or QA (case.manage) — never the accused —
  verifies it; verified complaints feed appraisal (`queries.complaints.verified_staff_complaints`).
- CASE-7 root cause and corrective action; a case repeating an earlier one (same category and
  product, or same customer and family, within `cases.recurrence_window`) is linked to it, with a
  decision record, and the supervisors are told.
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q

from kefu.cases.actions import blocks
from kefu.cases.lifecycle import supervisors
from kefu.cases.lifecycle_compensation import CHAIN
from kefu.cases.models import (
    Case,
    CaseState,
    ClosureReport,
    Compensation,
    CompensationState,
    Family,
    Satisfaction,
    SatisfactionSource,
    SolutionType,
)
from kefu.cases.queries import routing
from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid, PermissionDenied
from kefu.engine.notifications.api import notify
from kefu.engine.policy.api import lookup
from kefu.engine.workflow import api as workflow
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Unit

REPORT_STATES = (CaseState.SOLUTION, CaseState.INFORMED, CaseState.REVISIT)
MINUTES_MAX = 1_000_000
AMOUNT_MAX = Decimal("9999999999.99")
STAFF_CAUSES = {"attitude": ("服务态度", "attitude"), "skill": ("服务技能", "skill")}
# the complaint's coded answers in words, where a page shows them (为什么, the audit log; issue 13)
decisions.describe(
    values={
        "staff_cause": STAFF_CAUSES,
        "satisfaction": Satisfaction.choices,
        "solution_type": SolutionType.choices,
        "satisfaction_source": SatisfactionSource.choices,
    }
)


def _not_finished(case: Case) -> None:
    if case.state in blocks.FINISHED:
        raise Conflict(
            "case_finished",
            "工单已结案或归档，不能再修改",
            "The case is closed or archived",
            state=case.state,
        )


# ---------------------------------------------------------------- CASE-4 closure report


def _minutes(value) -> int:
    try:
        minutes = int(value)
    except (TypeError, ValueError):
        minutes = -1
    if isinstance(value, bool) or not 0 < minutes <= MINUTES_MAX:
        raise Invalid(
            "case_time_spent_invalid",
            f"所花费的时间须为 1 到 {MINUTES_MAX} 之间的分钟数",
            f"Time spent must be whole minutes between 1 and {MINUTES_MAX}",
            {"time_spent_minutes": "invalid"},
        )
    return minutes


def write_closure_report(
    actor: Actor,
    case: Case,
    *,
    solution_type: str,
    solution: str,
    time_spent_minutes,
    preventive_measures: str,
    satisfaction: str = "",
    resources: str = "",
) -> ClosureReport:
    """Write or edit the complaint's 结案报告 (CASE-4) while the case is between solution and close.
    `satisfaction` is what the customer said of the solution, "" until they were asked (issue 13)."""
    blocks.require_handler(actor, case, "填写结案报告", "write the closure report")
    values = {
        "solution_type": blocks.choice(solution_type, SolutionType, "solution_type"),
        "solution": blocks.text(solution, "solution", required=True),
        "time_spent_minutes": _minutes(time_spent_minutes),
        "resources": blocks.text(resources, "resources"),
        "preventive_measures": blocks.text(preventive_measures, "preventive_measures", required=True),
        "satisfaction": blocks.choice(satisfaction, Satisfaction, "satisfaction") if satisfaction else "",
    }
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        if case.state not in REPORT_STATES:
            raise Conflict(
                "case_report_state",
                "结案报告须在出具方案后、结案前填写（已出方案 / 已答复客户 / 回访中）",
                "The closure report is written after a solution and before closing",
                state=case.state,
            )
        if (
            values["solution_type"] == SolutionType.COMPENSATE
            and not case.compensations.filter(state=CompensationState.APPROVED).exists()
        ):
            raise Invalid(
                "case_compensation_not_approved",
                "解决方式为赔偿时，须先有已批准的赔偿申请（CASE-4）",
                "A compensation solution needs an approved compensation first (CASE-4)",
                {"solution_type": "compensation_not_approved"},
            )
        report = ClosureReport.objects.filter(case=case).first()
        before = {k: getattr(report, k) for k in values} if report else None
        if report is None:
            report = ClosureReport(case=case)
        for key, value in values.items():
            setattr(report, key, value)
        report.written_by, report.written_at = actor.user, clock.now()
        report.save()
        audit.record(actor, "cases.closure_report", case, before=before, after=values)
        Case.objects.filter(pk=case.pk).update(updated_at=clock.now())
    return report


# ---------------------------------------------------------------- CASE-4 compensation (WF-4)


def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite() or not Decimal("0") < amount <= AMOUNT_MAX:
        raise Invalid(
            "case_amount_invalid",
            "赔偿金额须为大于 0 的金额",
            "The amount must be a positive sum of money",
            {"amount": "invalid"},
        )
    if amount != amount.quantize(Decimal("0.01")):
        raise Invalid(
            "case_amount_invalid", "赔偿金额最多两位小数", "At most two decimals", {"amount": "invalid"}
        )
    return amount


def request_compensation(actor: Actor, case: Case, amount, description: str) -> Compensation:
    """Ask for compensation to the customer; the approval steps are chosen by amount (WF-4)."""
    blocks.require_handler(actor, case, "申请赔偿", "request compensation")
    amount = _amount(amount)
    description = blocks.text(description, "description", required=True, limit=500)
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        _not_finished(case)
        if case.compensations.filter(state=CompensationState.PENDING).exists():
            raise Conflict(
                "case_compensation_pending",
                "该工单已有待审批的赔偿申请",
                "This case already has a compensation awaiting approval",
            )
        now = clock.now()
        entry = lookup("cases.compensation_manager_up_to", at=now, unit=case.unit)
        compensation = Compensation.objects.create(
            case=case,
            unit=case.unit,
            owner=case.owner,
            amount=amount,
            description=description,
            requested_at=now,
            requested_by=actor.user,
        )
        inputs = {"amount": str(amount), "threshold": str(entry.value)}
        request = workflow.start_approval(actor, compensation, CHAIN.name, inputs=inputs)
        steps = list(request.steps.order_by("index").values_list("name", flat=True))
        above = "leadership" in steps
        decisions.record_from_entry(
            compensation,
            entry,
            outcome=(
                f"赔偿 {amount} 元超过 {entry.value} 元：须客服经理和公司领导审批"
                if above
                else f"赔偿 {amount} 元不超过 {entry.value} 元：客服经理审批"
            ),
            inputs={"amount": str(amount), "steps": steps},
        )
        audit.record(
            actor,
            "cases.compensation_request",
            case,
            after={"compensation": compensation.pk, "amount": str(amount), "steps": steps},
        )
    return compensation


# ---------------------------------------------------------------- CASE-5 staff-caused complaints


def _cause(cause: str) -> str:
    if cause not in STAFF_CAUSES:
        raise Invalid(
            "case_staff_cause_invalid",
            "原因须为 attitude（服务态度）或 skill（服务技能）",
            "The cause is attitude or skill",
            {"cause": "invalid"},
        )
    return cause


def mark_staff_caused(actor: Actor, case: Case, responsible: Employee, cause: str) -> Case:
    """Say the complaint was caused by an employee's attitude or skill (CASE-5); awaits 查实."""
    blocks.require_handler(actor, case, "认定员工责任投诉", "mark a staff-caused complaint")
    cause = _cause(cause)
    if case.family != Family.COMPLAINT:
        raise Invalid(
            "case_not_complaint",
            "只有投诉才能认定为员工责任投诉（CASE-5）",
            "Only a complaint can be staff-caused (CASE-5)",
            {"family": "complaint"},
        )
    if (
        not isinstance(responsible, Employee)
        or responsible.status != EmploymentStatus.ACTIVE
        or not routing.within_reach(actor, case.unit, responsible.unit)  # issue 10
    ):
        raise Invalid(
            "case_responsible_invalid",
            "责任人无效",
            "Unknown responsible employee",
            {"responsible": "invalid"},
        )
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        if case.state == CaseState.ARCHIVED:
            _not_finished(case)
        before = {
            "staff_caused": case.staff_caused,
            "responsible": case.responsible_id,
            "staff_cause": case.staff_cause,
            "staff_verified": case.staff_verified,
        }
        case.staff_caused, case.responsible, case.staff_cause, case.staff_verified = (
            True,
            responsible,
            cause,
            None,
        )
        case.updated_at = clock.now()
        case.save(
            update_fields=["staff_caused", "responsible", "staff_cause", "staff_verified", "updated_at"]
        )
        audit.record(
            actor,
            "cases.staff_caused",
            case,
            before=before,
            after={
                "staff_caused": True,
                "responsible": responsible.pk,
                "staff_cause": cause,
                "staff_verified": None,
            },
        )
    return case


def verify_staff_caused(actor: Actor, case: Case, verified: bool, note: str) -> Case:
    """查实 (CASE-5): a supervisor or QA with `case.manage` confirms or clears it — never the accused."""
    if not isinstance(verified, bool):
        raise Invalid(
            "case_verified_invalid", "请选择是否查实", "Say whether it is verified", {"verified": "invalid"}
        )
    note = blocks.text(note, "note", required=True, limit=2000)
    employee = access.employee_of(actor.principal) if actor.principal is not None else None
    if employee is not None and employee.pk == case.responsible_id:
        raise PermissionDenied(
            "被投诉的员工不能查实针对自己的投诉（CASE-5）",
            "The accused employee cannot verify a complaint against themselves (CASE-5)",
            code="case_staff_verify_accused",
        )
    if not blocks.manages(actor, case):
        raise PermissionDenied(
            "只有主管或质检（工单管理权限）可以查实",
            "Only a supervisor or QA may verify (case.manage)",
            code="case_staff_verify_forbidden",
        )
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        if not case.staff_caused:
            raise Conflict(
                "case_not_staff_caused", "该工单未认定为员工责任投诉", "The case is not marked staff-caused"
            )
        before = {"staff_verified": case.staff_verified}
        case.staff_verified, case.updated_at = verified, clock.now()
        case.save(update_fields=["staff_verified", "updated_at"])
        audit.record(
            actor,
            "cases.staff_verified",
            case,
            before=before,
            after={"staff_verified": verified},
            reason=note,
        )
        word = "查实 / verified" if verified else "未查实 / not verified"
        blocks.comment(actor, case, f"员工责任投诉{word}：{note}")
    return case


# ---------------------------------------------------------------- CASE-7 root cause and recurrence


def record_root_cause(
    actor: Actor,
    case: Case,
    *,
    root_cause: str,
    corrective_action: str,
    category: str = "",
    product: str = "",
) -> Case:
    """Root cause and corrective action (CASE-7); category and product feed recurrence detection."""
    blocks.require_handler(actor, case, "填写根本原因", "record the root cause")
    values = {
        "root_cause": blocks.text(root_cause, "root_cause", required=True),
        "corrective_action": blocks.text(corrective_action, "corrective_action", required=True),
        "category": blocks.text(category, "category", limit=100) or case.category,
        "product": blocks.text(product, "product", limit=100) or case.product,
    }
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        if case.state == CaseState.ARCHIVED:
            _not_finished(case)
        before = {k: getattr(case, k) for k in values}
        for key, value in values.items():
            setattr(case, key, value)
        case.updated_at = clock.now()
        case.save(update_fields=[*values, "updated_at"])
        audit.record(actor, "cases.root_cause", case, before=before, after=values)
        detect_recurrence(case)
    return case


def _subsidiary(unit: Unit) -> Unit:
    return Unit.objects.filter(pk__in=unit.ancestor_ids(), kind="subsidiary").first() or unit


def earlier_case(case: Case, entry) -> Case | None:
    """The latest earlier case this one repeats, within the window, in the same subsidiary."""
    same = Q()
    if case.category and case.product:
        same |= Q(category=case.category, product=case.product)
    if case.customer_id:
        same |= Q(customer_id=case.customer_id, family=case.family)
    if not same:
        return None
    return (
        Case.objects.filter(
            same,
            received_at__gte=case.received_at - entry.duration(),
            received_at__lte=case.received_at,
            unit__path__startswith=_subsidiary(case.unit).path,
        )
        .exclude(pk=case.pk)
        .order_by("-received_at", "-pk")
        .first()
    )


def detect_recurrence(case: Case) -> Case | None:
    """CASE-7: link `case` to the earlier case it repeats, record why and tell the supervisors."""
    entry = lookup("cases.recurrence_window", at=case.received_at, unit=case.unit)
    earlier = earlier_case(case, entry)
    if earlier is None or earlier.pk == case.recurrence_of_id:
        return None
    same_product = bool(case.category and case.product) and (earlier.category, earlier.product) == (
        case.category,
        case.product,
    )
    basis = (
        "同类别同产品 / same category and product"
        if same_product
        else "同一客户同类工单 / same customer and kind"
    )
    Case.objects.filter(pk=case.pk).update(recurrence_of=earlier)
    case.recurrence_of = earlier
    decisions.record_from_entry(
        case,
        entry,
        outcome=f"重复发生：与 {earlier.number} 相同（{basis}）",
        inputs={
            "earlier": earlier.number,
            "category": case.category,
            "product": case.product,
            "customer": case.customer_id,
            "family": case.family,
            "basis": basis,
        },
    )
    audit.record(Actor.system("recurrence"), "cases.recurrence", case, after={"recurrence_of": earlier.pk})
    notify(
        supervisors(case),
        "cases.recurrence",
        {"case": case, "earlier": earlier, "basis": basis},
        obj=case,
    )
    return earlier
