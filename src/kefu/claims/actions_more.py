"""State changes of 报备 beyond registration: 撞单 disputes (CLM-6, CLM-7), deals and commission
splits (CLM-9), customer-process reports (CLM-11) and the group's daily submissions (CLM-12).
Split from `actions.py` by concept; the same rules apply (permission, write, audit, one transaction).
"""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace

from django.db import IntegrityError, transaction

from kefu.claims.models import (
    Claim,
    ClaimState,
    DailySubmission,
    Deal,
    DealShare,
    Dispute,
    DisputeOutcome,
    Evidence,
    MissingSubmission,
    ProcessReport,
)
from kefu.claims.queries_more import require_colleague
from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.crypto import mask_phone
from kefu.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from kefu.engine.calendars import api as calendars
from kefu.engine.workflow.actions import transition
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Unit, UnitKind

CLASH_CLAUSE = "自认为不需要报备的客户,却与同事撞单发生争议,视为无效客户"
SPLIT_CLAUSE = "成交后由主管领导、当事员工三方协商分配"
REPORTING_CLAUSE = "各单位不得出现瞒报、漏报、谎报现象,如有违反规定的,一律从重从严处理"
SEED_000 = "000 · (完整版)客户报备制度"


def _me(actor: Actor) -> Employee | None:
    return access.employee_of(actor.principal)


def _required(value: str, field: str) -> str:
    if not (value or "").strip():
        raise Invalid(
            f"claim_{field}_required", f"请填写{field}", f"{field} is required", {field: "required"}
        )
    return value.strip()


# ---------------------------------------------------------------- CLM-6 撞单 disputes


def default_outcome(dispute: Dispute) -> str:
    """CLM-6: an employee who never registered the customer loses a clash with the registered owner."""
    return "" if dispute.claimant_registered else DisputeOutcome.OWNER_UPHELD


def raise_dispute(
    actor: Actor, claim: Claim, *, claimant: Employee | None, reason: str, evidence: str
) -> Dispute:
    """Open a 撞单 case on a live claim. The claimant raises it themself (claimant=None); the owner or
    行政部 may open it naming the colleague. The claimant learns nothing about the owner (CLM-1)."""
    me = _me(actor)
    reason = _required(reason, "reason")
    manager = access.record_in_scope(actor, "claim.manage", unit=claim.unit, owner_id=None)
    if claimant is None:
        access.require(actor, "claim.register")
        claimant = me
    elif not (manager or (me is not None and me.pk == claim.owner_id)):
        raise NotFound("报备", "claim")
    if claimant is None or claimant.pk == claim.owner_id:
        raise Invalid("claim_dispute_self", "不能与自己撞单", "An employee cannot clash with themself", {})
    with transaction.atomic():
        claim = Claim.objects.select_for_update(of=("self",)).get(pk=claim.pk)
        if claim.state != ClaimState.LIVE:
            raise Conflict(
                "claim_not_live",
                "只有保护中的报备可以发起撞单争议",
                "Only a protected claim can be disputed",
                state=claim.state,
            )
        dispute = Dispute.objects.create(
            claim=claim,
            unit=claim.unit,
            claimant=claimant,
            claimant_registered=Claim.objects.filter(customer=claim.customer_id, owner=claimant).exists(),
            reason=reason,
            raised_at=clock.now(),
        )
        if (evidence or "").strip():
            party = "owner" if me is not None and me.pk == claim.owner_id else "claimant"
            Evidence.objects.create(
                dispute=dispute, party=party, author=actor.user, text=evidence.strip(), at=clock.now()
            )
        transition(actor, claim, "dispute", reason=reason)
        audit.record(actor, "claims.dispute", dispute, after={"claim": claim.pk, "claimant": claimant.pk})
    return dispute


def add_evidence(actor: Actor, dispute: Dispute, text: str) -> Evidence:
    me = _me(actor)
    text = _required(text, "text")
    if me is not None and me.pk == dispute.claim.owner_id:
        party = "owner"
    elif me is not None and me.pk == dispute.claimant_id:
        party = "claimant"
    else:
        raise NotFound("撞单争议", "dispute")
    if not dispute.open:
        raise Conflict("claim_dispute_closed", "争议已裁定", "The dispute has been ruled")
    with transaction.atomic():
        item = Evidence.objects.create(
            dispute=dispute, party=party, author=actor.user, text=text, at=clock.now()
        )
        audit.record(actor, "claims.evidence", dispute, after={"party": party, "evidence": item.pk})
    return item


def rule_dispute(actor: Actor, dispute: Dispute, *, outcome: str, ruling: str) -> Dispute:
    """行政部 (`claim.rule`) rules; a decision record names the rule and the facts (CLM-6). A false
    registration also proposes the next penalty on the owner's ladder (CLM-7 → DIS-1)."""
    if not access.record_in_scope(actor, "claim.rule", unit=dispute.unit, owner_id=None):
        raise NotFound("撞单争议", "dispute")
    if outcome not in DisputeOutcome.values:
        raise Invalid(
            "claim_outcome", "裁定结果无效", "Unknown outcome", {"outcome": "|".join(DisputeOutcome.values)}
        )
    ruling = _required(ruling, "ruling")
    from kefu.discipline import actions as discipline

    with transaction.atomic():
        dispute = (
            Dispute.objects.select_for_update(of=("self",)).select_related("claim__owner").get(pk=dispute.pk)
        )
        if not dispute.open:
            raise Conflict("claim_dispute_closed", "争议已裁定", "The dispute has been ruled")
        claim = dispute.claim
        dispute.open, dispute.outcome, dispute.ruling = False, outcome, ruling
        dispute.ruled_by, dispute.ruled_at = actor.user, clock.now()
        dispute.save()
        if claim.state == ClaimState.DISPUTED:
            move = "uphold" if outcome == DisputeOutcome.OWNER_UPHELD else "invalidate"
            transition(actor, claim, move, reason=ruling)
        decisions.record(
            dispute,
            rule="CLM-6",
            outcome=f"ruled {outcome}",
            inputs={
                "claimant_registered": dispute.claimant_registered,
                "default_outcome": default_outcome(dispute),
                "claim_state_before": claim.state,
            },
            policy_version=claim.policy_version,
            clause=CLASH_CLAUSE,
            actor=actor,
            source=SEED_000,
        )
        if outcome == DisputeOutcome.FALSE_REGISTRATION:
            discipline.propose(
                actor, claim.owner, "false_registration", evidence=ruling, rule="CLM-7", source_obj=dispute
            )
        audit.record(actor, "claims.rule", dispute, after={"outcome": outcome}, reason=ruling)
    return dispute


# ---------------------------------------------------------------- CLM-9 deals


# storage bounds of the columns (14 and 5 digits, 2 decimals), not policy numbers
AMOUNT_LIMIT = Decimal("999999999999.99")
PERCENT_LIMIT = Decimal("999.99")


def _decimal(value, code: str, zh: str, en: str, field: str, *, upper: Decimal) -> Decimal:
    """A positive number with at most two decimals, below `upper` (inclusive); else `Invalid`."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        number = None
    if (
        number is None
        or not number.is_finite()
        or number <= 0
        or number > upper
        or number != round(number, 2)
    ):
        raise Invalid(code, zh, en, {field: "number"})
    return number


def _percent(value) -> Decimal:
    return _decimal(
        value,
        "claim_split_percent",
        "提成比例须为大于 0 的百分数，最多两位小数（CLM-9）",
        "Each share must be a percentage above 0 with at most two decimals (CLM-9)",
        "shares",
        upper=PERCENT_LIMIT,
    )


def record_deal(
    actor: Actor,
    claim: Claim,
    *,
    amount,
    agreed_by: Employee,
    shares: list[tuple[Employee, object]],
    note: str = "",
) -> Deal:
    """CLM-9: the deal links to its claim (→ signed); the split, agreed by 主管领导, totals 100%."""
    me = _me(actor)
    if not (
        (me is not None and me.pk == claim.owner_id)
        or access.record_in_scope(actor, "claim.manage", unit=claim.unit, owner_id=None)
    ):
        raise PermissionDenied(
            "只有报备人或行政部可以登记签单（CLM-9）",
            "Only the claim's owner or the admin office records its deal (CLM-9)",
        )
    rows = [(require_colleague(claim.unit, employee, "shares"), _percent(p)) for employee, p in shares]
    total = sum((p for _, p in rows), Decimal(0))
    if not rows or total != Decimal(100):
        raise Invalid(
            "claim_split_total",
            f"提成分配合计须为 100%，当前为 {total}%（CLM-9）",
            f"The commission split must total exactly 100%; it totals {total}% (CLM-9)",
            {"shares": str(total)},
        )
    if len({e.pk for e, _ in rows}) != len(rows):
        raise Invalid(
            "claim_split_duplicate",
            "同一员工只能出现一次",
            "Each employee may appear once",
            {"shares": "dup"},
        )
    if not claim.owner.supervisors.filter(pk=agreed_by.pk).exists():
        raise Invalid(
            "claim_split_agreed_by",
            "分配须由报备人的主管领导确认（CLM-9）",
            "The split must be agreed by the owner's supervisor (CLM-9)",
            {"agreed_by": "supervisor"},
        )
    amount = _decimal(
        amount,
        "claim_deal_amount",
        "签单金额须为大于 0 的金额，最多两位小数",
        "The deal amount must be a positive sum with at most two decimals",
        "amount",
        upper=AMOUNT_LIMIT,
    )
    with transaction.atomic():
        claim = transition(actor, claim, "sign", reason=note or "签单")
        deal = Deal.objects.create(
            claim=claim,
            signed_at=clock.now(),
            amount=amount,
            agreed_by=agreed_by,
            recorded_by=actor.user,
            note=(note or "")[:500],
        )
        DealShare.objects.bulk_create([DealShare(deal=deal, employee=e, percent=p) for e, p in rows])
        audit.record(
            actor,
            "claims.deal",
            deal,
            after={
                "claim": claim.pk,
                "amount": amount,
                "agreed_by": agreed_by.pk,
                "shares": {str(e.pk): str(p) for e, p in rows},
            },
            reason=SPLIT_CLAUSE,
        )
    return deal


# ---------------------------------------------------------------- CLM-11 customer-process reports


def submit_report(actor: Actor, *, customer_name: str, contact: str, needs: str) -> ProcessReport:
    access.require(actor, "claim.register")
    me = _me(actor)
    if me is None:
        raise PermissionDenied("只有员工可以填写报备表", "Only employees can submit reports")
    fields = {
        k: "required"
        for k, v in (("customer_name", customer_name), ("contact", contact), ("needs", needs))
        if not (v or "").strip()
    }
    if fields:
        raise Invalid(
            "claim_report_incomplete",
            "请填写客户姓名、联系方式和需求（CLM-11）",
            "Customer name, contact and needs are required (CLM-11)",
            fields,
        )
    with transaction.atomic():
        report = ProcessReport.objects.create(
            unit=me.unit,
            owner=me,
            customer_name=customer_name.strip(),
            contact=contact.strip(),
            needs=needs.strip(),
            created_at=clock.now(),
        )
        audit.record(actor, "claims.report_submit", report, after={"owner": me.pk})
    return report


def supervises(actor: Actor, report: ProcessReport) -> bool:
    """The report owner's supervisor, or 行政部 in scope: who reviews, assigns and archives (CLM-11)."""
    me = _me(actor)
    if me is not None and report.owner.supervisors.filter(pk=me.pk).exists():
        return True
    return access.record_in_scope(actor, "claim.manage", unit=report.unit, owner_id=None)


def review_report(actor: Actor, report: ProcessReport, *, genuine: bool, note: str = "") -> ProcessReport:
    """CLM-11: the department supervisor checks that the report is genuine; "not genuine" says why."""
    if not supervises(actor, report):
        raise PermissionDenied("只有部门主管可以审核", "Only the department supervisor reviews reports")
    note = (note or "").strip()
    if genuine:
        return transition(actor, report, "verify", data={"review_note": note})
    if not note:
        raise Invalid(
            "claim_report_note_required",
            "审核不属实时须填写说明（CLM-11）",
            "Say why the report is not genuine (CLM-11)",
            {"note": "required"},
        )
    return transition(actor, report, "reject", data={"review_note": note}, reason=note)


def assign_report(actor: Actor, report: ProcessReport, employee: Employee) -> ProcessReport:
    """CLM-11: the supervisor assigns a follow-up employee of the report's company, who is told."""
    from kefu.claims.queries_more import company_of
    from kefu.engine.notifications.api import notify

    if not supervises(actor, report):
        raise PermissionDenied("只有部门主管可以分派", "Only the department supervisor assigns reports")
    if employee.status != EmploymentStatus.ACTIVE:
        raise Invalid(
            "claim_report_assignee",
            "跟进人须为在职员工",
            "The assignee must be active",
            {"assignee": "inactive"},
        )
    if not employee.unit.path.startswith(company_of(report.unit).path):
        raise Invalid(
            "claim_report_assignee_company",
            "跟进人须为本公司员工（客户信息不得外泄）",
            "The assignee must work for the report's company (customer details stay inside)",
            {"assignee": "other company"},
        )
    with transaction.atomic():
        report = transition(actor, report, "assign", data={"assignee": employee})
        notify(
            [employee.user],
            "claims.report_assigned",
            {"report": report, "customer": report.customer_name, "by": _me(actor) or actor.user},
            obj=report,
        )
    return report


def report_feedback(actor: Actor, report: ProcessReport, text: str) -> ProcessReport:
    me = _me(actor)
    if not ((me is not None and me.pk == report.assignee_id) or supervises(actor, report)):
        raise PermissionDenied("只有跟进人可以记录反馈", "Only the assigned employee records feedback")
    text = _required(text, "feedback")
    stamp = clock.local().strftime("%Y-%m-%d %H:%M")
    combined = f"{report.feedback}\n[{stamp}] {text}".strip()
    return transition(actor, report, "feedback", data={"feedback": combined})


def archive_report(actor: Actor, report: ProcessReport) -> ProcessReport:
    if not supervises(actor, report):
        raise PermissionDenied("只有部门主管可以归档", "Only the department supervisor archives reports")
    return transition(actor, report, "archive")


# ---------------------------------------------------------------- CLM-12 daily submissions


def may_submit_daily(actor: Actor, unit: Unit) -> bool:
    """Who submits a unit's daily form: its registering people and 行政部 in scope (CLM-12)."""
    return (
        access.unit_in_scope(actor, "claim.register", unit)
        or access.unit_in_scope(actor, "claim.manage", unit)
        or _unit_of_me(actor, unit)
    )


def submit_daily(
    actor: Actor, *, unit: Unit, day: date, customers: list[dict], none_today: bool
) -> DailySubmission:
    """One 《客户信息登录申请审批表》 per unit and day: the day's new customers, or explicitly none.
    Someone who submits for some unit gets 404 for a unit they cannot see (org.view), as for a missing
    one; 403 for a unit they see but do not submit for, or when they submit for none (issue 10)."""
    if not may_submit_daily(actor, unit):
        duty = access.can(actor, "claim.register") or access.can(actor, "claim.manage")
        if duty and not access.unit_in_scope(actor, "org.view", unit):
            raise NotFound("单位", "unit")
        raise PermissionDenied("您不能为该单位填报", "You cannot submit for that unit")
    if day > clock.today():
        raise Invalid(
            "claim_daily_future",
            "不能为未来的日期填报（CLM-12）",
            "A day that has not come yet cannot be submitted (CLM-12)",
            {"day": "future"},
        )
    if none_today == bool(customers):
        raise Invalid(
            "claim_daily_choice",
            "请填写当日新增客户，或明确选择“今日无新增客户”（CLM-12）",
            "List the day's new customers, or state explicitly that there were none (CLM-12)",
            {"customers": "required"},
        )
    rows = []
    for item in customers:
        name = (item.get("name") or "").strip()
        if not name:
            raise Invalid(
                "claim_daily_name", "客户姓名必填", "Each customer needs a name", {"customers": "name"}
            )
        rows.append({"name": name, "phone": mask_phone(item.get("phone") or "")})
    try:
        with transaction.atomic():
            submission = DailySubmission.objects.create(
                unit=unit,
                day=day,
                none_today=none_today,
                customers=rows,
                submitted_by=actor.user,
                submitted_at=clock.now(),
            )
            MissingSubmission.objects.filter(unit=unit, day=day).delete()
            audit.record(actor, "claims.daily_submit", submission, after={"day": day, "count": len(rows)})
    except IntegrityError:
        raise Conflict(
            "claim_daily_exists", f"{day} 已填报", f"{day} has already been submitted", day=str(day)
        ) from None
    return submission


def _unit_of_me(actor: Actor, unit: Unit) -> bool:
    me = _me(actor)
    return me is not None and access.can(actor, "claim.register") and me.unit.path.startswith(unit.path)


def reporting_units():
    """The units that submit daily (CLM-12): every active subsidiary."""
    return Unit.objects.filter(kind=UnitKind.SUBSIDIARY, is_active=True)


def previous_working_day(today: date, calendar: str = "office") -> date:
    day = today - timedelta(days=1)
    for _ in range(40):
        if calendars.is_working_day(calendar, day):
            return day
        day -= timedelta(days=1)
    return day


def flag_missing(run) -> int:
    """Daily schedule (CLM-12): flag each unit without a submission for the previous working day and
    tell its 行政部 (holders of `claim.manage`)."""
    from kefu.engine.notifications.api import notify
    from kefu.engine.workflow.resolvers import role_holders

    today = date.fromisoformat(run.period_key) if run is not None else clock.now().date()
    day = previous_working_day(today)
    submitted = set(DailySubmission.objects.filter(day=day).values_list("unit_id", flat=True))
    flagged = 0
    for unit in reporting_units().exclude(pk__in=submitted):
        gap, created = MissingSubmission.objects.get_or_create(
            unit=unit, day=day, defaults={"flagged_at": clock.now()}
        )
        if not created:
            continue
        flagged += 1
        decisions.record(
            gap,
            rule="CLM-12",
            outcome="missing daily submission flagged",
            inputs={"unit": unit.name, "day": day},
            policy_version=None,
            clause=REPORTING_CLAUSE,
            source="004 · 集团客户服务工作制度",
        )
        audit.record(
            Actor.system("schedule"), "claims.daily_missing", gap, after={"unit": unit.pk, "day": day}
        )
        recipients = role_holders("hr_admin", unit_attr="unit")(SimpleNamespace(unit=unit))
        if recipients:
            notify(recipients, "claims.daily_missing", {"unit": unit.name, "day": day}, link="/claims/daily/")
    return flagged
