"""Routing, ownership and escalation of cases (ROUTE-1, CASE-6, WF-6).

A case has one accountable owner at a time (CASE-6 "不得推诿扯皮"). Every move to another owner or
group after routing is a transfer with a reason; a transfer back to a unit or person that already
had the case is a bounce, counted on the case and reported per department.
"""

from datetime import datetime

from django.db import transaction

from kefu.cases import lifecycle, triggers
from kefu.cases.actions import blocks, workload
from kefu.cases.models import Availability, Case, CaseState, SkillGroup, Transfer
from kefu.cases.queries import routing
from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, NotFound, PermissionDenied
from kefu.engine.notifications.api import notify
from kefu.engine.workflow import api as workflow
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus

ROUTE_CLAUSE = "根据投诉情况,客服部门将投诉分流给相关部门,并设定处理时限"
ROUTE_SOURCE = "001 · 公司客服管理制度"


def _decide(case: Case, outcome: str, inputs: dict) -> None:
    decisions.record(
        case,
        rule="ROUTE-1",
        outcome=outcome,
        inputs=inputs,
        policy_version=None,
        clause=ROUTE_CLAUSE,
        source=ROUTE_SOURCE,
    )


def route_new(actor: Actor, case: Case) -> Case:
    """On receipt: the skill group for the case's kind and, if someone is available, an owner.

    `case` was created in the caller's transaction and is current in memory: the group, unit and
    owner are written by the `route` transition's save, not by updates of their own (issue 11)."""
    group = routing.group_for(case.unit, case.family)
    if group is None:
        _decide(case, "没有技能组受理此类工单：留在受理单位", {"family": case.family})
        return case
    case.skill_group = group
    case.unit = group.unit
    owner = routing.least_loaded(routing.available_members(group))
    if owner is None:
        _decide(case, f"在「{group.name}」排队：暂无可接单人员", {"group": group.name})
        if not case._state.adding:  # else the intake's INSERT writes them
            Case.objects.filter(pk=case.pk).update(skill_group=group, unit=group.unit)
        return case
    _decide(
        case, f"「{group.name}」→ {owner.name}（在办工单最少）", {"group": group.name, "owner": owner.number}
    )
    # chosen among the available members just now: no second availability check
    return _take(Actor.system("routing"), case, owner, reason="自动分派 / routed by load", fresh=True)


def _take(actor: Actor, case: Case, owner: Employee, *, reason: str, fresh: bool = False) -> Case:
    """Give the case to `owner` (ROUTE-1). `fresh`: the case was created in this transaction and
    `owner` was chosen among the available members, so neither is read again."""
    if not fresh and not routing.is_available(owner):
        refusal = routing.unqualified_refusal(owner, "owner")
        if refusal is not None:
            raise refusal
        raise Invalid(
            "case_owner_unavailable",
            f"{owner.name} 当前不可接单（休假、不在班或已停用），不能分派（ROUTE-1）",
            f"{owner.name} is not available (leave, off shift or inactive); cases cannot go to them (ROUTE-1)",
            {"owner": "unavailable"},
        )
    before_owner, before_state = case.owner_id, case.state
    case.unit, case.updated_at = owner.unit, clock.now()
    routes = case.state in (CaseState.RECEIVED, CaseState.CLASSIFIED)
    if not (fresh and routes):  # else the transition's save writes them with the owner
        case.owner = owner
        Case.objects.filter(pk=case.pk).update(owner=owner, unit=owner.unit, updated_at=case.updated_at)
    if routes:
        case = workflow.transition(actor, case, "route", reason=reason, data={"owner": owner}, fresh=fresh)
    workload.moved(before_owner, workload.is_open(before_state), owner.pk, workload.is_open(case.state))
    _tell_owner(actor, case, owner)
    return case


def _tell_owner(actor: Actor, case: Case, owner: Employee) -> None:
    """Issue 13: the new owner finds the case in their inbox (and, live, in 我的工单) — one INSERT. The
    inbox only: 我的工单 is where an agent works, and an e-mail per routed case would be noise
    (docs/decisions.md). Nobody is told of a case they gave themselves."""
    if actor.user is not None and actor.user.pk == owner.user_id:
        return
    me = None if actor.is_system else access.employee_of(actor.user)
    by = me.name if me is not None else ("" if actor.is_system else actor.name)
    notify([owner.user], "cases.assigned", {"case": case, "by": by}, obj=case, channels=("inbox",))


def assign(actor: Actor, case: Case, owner: Employee | None = None) -> Case:
    """A supervisor routes a queued case (ROUTE-1); without `owner`, to the least-loaded member."""
    if not blocks.manages(actor, case):
        raise PermissionDenied(
            "只有主管可以分派工单", "Only a supervisor assigns cases", code="case_assign_forbidden"
        )
    if case.state not in (CaseState.RECEIVED, CaseState.CLASSIFIED):
        raise Invalid(
            "case_already_routed",
            "工单已有负责人：请使用转派并说明原因（CASE-6）",
            "The case has an owner: transfer it with a reason (CASE-6)",
        )
    if owner is not None and not routing.within_reach(actor, case.unit, owner.unit):
        raise routing.unknown_person("owner_id")
    with transaction.atomic():
        if owner is None:
            people = (
                routing.available_members(case.skill_group) if case.skill_group else Employee.objects.none()
            )
            owner = routing.least_loaded(people)
            if owner is None:
                raise Invalid(
                    "case_nobody_available",
                    "技能组内暂无可接单人员",
                    "Nobody in the skill group is available",
                    {"owner": "none"},
                )
        case = _take(actor, case, owner, reason="主管分派 / assigned")
        audit.record(actor, "cases.assign", case, after={"owner": owner.pk})
        blocks.refresh_due(case)
    return case


def _previous_holders(case: Case) -> tuple[set[int], set[int]]:
    units, owners = set(), set()
    for t in Transfer.objects.filter(case=case):
        units.add(t.from_unit_id)
        if t.from_owner_id:
            owners.add(t.from_owner_id)
    return units, owners


def _may_transfer(actor: Actor, case: Case, to_owner: Employee | None) -> None:
    me = access.employee_of(actor.principal)
    is_owner = me is not None and me.pk == case.owner_id
    if not (blocks.manages(actor, case) or (is_owner and access.can(actor, "case.handle"))):
        raise PermissionDenied(
            "只有负责人或主管可以转派",
            "Only the owner or a supervisor transfers a case",
            code="case_transfer_forbidden",
        )
    if case.state in (CaseState.CLOSED, CaseState.ARCHIVED):
        raise Invalid("case_transfer_closed", "已结案的工单不能转派", "A closed case cannot be transferred")
    if to_owner is not None and to_owner.pk == case.owner_id:
        raise Invalid(
            "case_transfer_same", "不能转派给当前负责人", "The case already belongs to them", {"to": "same"}
        )


def transfer(
    actor: Actor,
    case: Case,
    *,
    reason: str,
    to_owner: Employee | None = None,
    to_group: SkillGroup | None = None,
    planned_for: datetime | None = None,
) -> Transfer:
    """CASE-6: move the case to another owner or group — with a reason; bounces are counted.

    `planned_for`: a hand-over ahead of a leave starting then (LV-5) — the taker must not be away at
    that instant, but may be off shift now: they take the case on their next shift (ROUTE-1 is about
    new work reaching people at their post, not a colleague's planned cover)."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(
            "case_transfer_reason",
            "转派须说明原因（CASE-6）",
            "A transfer needs a reason (CASE-6)",
            {"reason": "required"},
        )
    if to_owner is None and to_group is None:
        raise Invalid(
            "case_transfer_target", "请选择转派对象", "Choose whom to transfer to", {"to": "required"}
        )
    with transaction.atomic():
        # checked against the owner now, not as the caller last saw the case
        case = Case.objects.select_for_update(of=("self",)).select_related("unit").get(pk=case.pk)
        _may_transfer(actor, case, to_owner)
        if to_owner is not None and not routing.within_reach(actor, case.unit, to_owner.unit):
            raise routing.unknown_person("to_owner_id")
        if to_group is not None and not routing.within_reach(actor, case.unit, to_group.unit):
            raise routing.unknown_group()
        units, owners = _previous_holders(case)
        if to_owner is None:
            to_owner = routing.least_loaded(routing.available_members(to_group))
        if to_owner is not None and not (
            routing.can_take_planned(to_owner, planned_for)
            if planned_for is not None
            else routing.is_available(to_owner)
        ):
            refusal = routing.unqualified_refusal(to_owner, "to")
            if refusal is not None:
                raise refusal
            raise Invalid(
                "case_owner_unavailable",
                f"{to_owner.name} 当前不可接单（ROUTE-1）",
                f"{to_owner.name} is not available (ROUTE-1)",
                {"to": "unavailable"},
            )
        to_unit = to_owner.unit if to_owner is not None else to_group.unit
        bounce = to_unit.pk in units or (to_owner is not None and to_owner.pk in owners)
        record = Transfer.objects.create(
            case=case,
            from_owner_id=case.owner_id,
            to_owner=to_owner,
            from_group=case.skill_group,
            to_group=to_group or case.skill_group,
            from_unit=case.unit,
            to_unit=to_unit,
            reason=reason[:500],
            bounce=bounce,
            at=clock.now(),
            by=actor.user,
        )
        Case.objects.filter(pk=case.pk).update(
            owner=to_owner,
            skill_group=to_group or case.skill_group,
            unit=to_unit,
            transfer_count=case.transfer_count + 1,
            bounce_count=case.bounce_count + (1 if bounce else 0),
            updated_at=clock.now(),
        )
        is_open = workload.is_open(case.state)
        workload.moved(case.owner_id, is_open, to_owner.pk if to_owner else None, is_open)
        audit.record(
            actor,
            "cases.transfer",
            case,
            before={"owner": case.owner_id, "unit": case.unit_id},
            after={"owner": to_owner.pk if to_owner else None, "unit": to_unit.pk, "bounce": bounce},
            reason=reason,
        )
        if to_owner is not None:
            case.refresh_from_db()
            notify([to_owner.user], "cases.transferred", {"case": case, "reason": reason}, obj=case)
    return record


def set_availability(actor: Actor, employee: Employee, *, available: bool, note: str = "") -> Availability:
    """ROUTE-1: an agent (for themself) or a supervisor marks whether new cases may come.

    Since issue 15 availability is what the rota and approved leave say (LV-5); this flag is only the
    override on top of them, and marking someone unavailable needs a reason.

    Someone the actor cannot see (org.view, as the directory) answers 404 like a missing employee;
    a colleague they see but may not mark, 403 (issue 10: no existence leak)."""
    me = access.employee_of(actor.principal)
    if not (
        (me is not None and me.pk == employee.pk)
        or access.record_in_scope(actor, "case.manage", unit=employee.unit, owner_id=employee.pk)
    ):
        if not access.record_in_scope(actor, "org.view", unit=employee.unit, owner_id=employee.pk):
            raise NotFound("人员", "employee")
        raise PermissionDenied(
            "您无权修改此人的接单状态",
            "You may not change their availability",
            code="case_availability_forbidden",
        )
    if not available and not (note or "").strip():
        raise Invalid(
            "case_availability_reason",
            "标记为不可接单须说明原因",
            "Marking someone unavailable needs a reason",
            {"note": "required"},
        )
    with transaction.atomic():
        row, _ = Availability.objects.update_or_create(
            employee=employee,
            defaults={"available": bool(available), "note": (note or "")[:200], "updated_at": clock.now()},
        )
        audit.record(
            actor, "cases.availability", employee, after={"available": row.available, "note": row.note}
        )
    return row


def escalate(
    actor: Actor,
    case: Case,
    *,
    reason: str,
    emergency: bool = False,
    to_level: int | None = None,
    trigger: str = "",
):
    """WF-6 by hand: one level up, or — in an emergency — straight to `to_level`, the skipped told.
    With an ESC-1 `trigger` (major complaint, leak, beyond one's remit …) the case goes straight to
    the level the trigger names, with its clause in the decision record."""
    if not access.record_in_scope(actor, "case.handle", unit=case.unit, owner_id=case.owner_id):
        raise PermissionDenied(
            "您无权升级此工单", "You may not escalate this case", code="case_escalate_forbidden"
        )
    if not trigger:
        return workflow.escalate(
            actor, case, "case", to_level=to_level, reason=reason, emergency=emergency, rule="ESC-1"
        )
    if trigger not in triggers.TRIGGERS:
        raise Invalid(
            "case_trigger_unknown",
            f"升级事由无效，可选：{', '.join(triggers.TRIGGERS)}",
            f"Unknown escalation trigger; one of: {', '.join(triggers.TRIGGERS)}",
            {"trigger": "invalid"},
        )
    with transaction.atomic():
        escalation = triggers.raise_trigger(actor, case, trigger, note=(reason or "").strip())
    if escalation is None:
        raise Invalid(
            "case_trigger_already",
            "工单已在该事由要求的层级或更高层级（ESC-1）",
            "The case is already at or above the level this trigger asks for (ESC-1)",
            {"trigger": "already"},
        )
    return escalation


def supervisor_of(case: Case, original_owner_id: int | None) -> Employee | None:
    """ORG-2: the active direct supervisor of the case's original owner (the lowest id when several);
    without one, the 客服主管 of the case's subsidiary (the case chain's first level)."""
    if original_owner_id is not None:
        found = (
            Employee.objects.filter(reports__pk=original_owner_id, status=EmploymentStatus.ACTIVE)
            .order_by("pk")
            .first()
        )
        if found is not None:
            return found
    users = lifecycle.supervisors(case)
    return (
        Employee.objects.filter(user__in=users, status=EmploymentStatus.ACTIVE).order_by("pk").first()
        if users
        else None
    )


def to_supervisor(
    actor: Actor, case: Case, *, original_owner_id: int | None, reason: str, rule: str, clause: str
) -> Employee | None:
    """Give the case to the supervisor of its original owner (CSAT-1: a customer's 不满意 goes up to
    whoever supervises the agent who served them), recorded as a transfer with `reason` and a
    decision under `rule`. Called by other apps' actions inside their transaction, for a system or
    staff actor: the rule, not the caller's grants, sends it. Returns the supervisor (None: nobody
    supervises, the case stays where it is and the decision says so)."""
    case = Case.objects.select_for_update(of=("self",)).select_related("unit").get(pk=case.pk)
    supervisor = supervisor_of(case, original_owner_id)
    inputs = {"case_number": case.number}
    if supervisor is None:
        decisions.record(
            case,
            rule=rule,
            outcome="客户不满意，但原负责人没有在岗的主管，工单留在原处",
            inputs=inputs,
            policy_version=None,
            clause=clause,
        )
        return None
    if supervisor.pk != case.owner_id:
        if case.state in (CaseState.RECEIVED, CaseState.CLASSIFIED):
            _take(actor, case, supervisor, reason=reason[:500])
        else:
            Transfer.objects.create(
                case=case,
                from_owner_id=case.owner_id,
                to_owner=supervisor,
                from_group=case.skill_group,
                to_group=case.skill_group,
                from_unit=case.unit,
                to_unit=supervisor.unit,
                reason=reason[:500],
                bounce=False,
                at=clock.now(),
                by=actor.user,
            )
            Case.objects.filter(pk=case.pk).update(
                owner=supervisor,
                unit=supervisor.unit,
                transfer_count=case.transfer_count + 1,
                updated_at=clock.now(),
            )
            is_open = workload.is_open(case.state)
            workload.moved(case.owner_id, is_open, supervisor.pk, is_open)
            audit.record(
                actor,
                "cases.transfer",
                case,
                before={"owner": case.owner_id, "unit": case.unit_id},
                after={"owner": supervisor.pk, "unit": supervisor.unit_id, "bounce": False},
                reason=reason[:500],
            )
            case.owner, case.unit = supervisor, supervisor.unit
            _tell_owner(actor, case, supervisor)
    decisions.record(
        case,
        rule=rule,
        outcome=f"客户不满意，工单交原负责人的主管{supervisor.name}处理",
        inputs={**inputs, "supervisor": supervisor.name},
        policy_version=None,
        clause=clause,
    )
    return supervisor
