"""Approval chains (WF-4): opening a chain — the steps chosen by rule, each with its own deadline,
its approvers told. Deciding a step (approve, reject, return) is `verdicts`, above the transitions.

Delegation-aware (ORG-5): a delegate decides for an approver only under a delegation in force that
includes `approval.decide`, and the step records both people. Supervisory-only roles never approve
(ORG-4): deciding needs `approval.decide`, which such roles cannot hold.
"""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid
from kefu.engine.notifications.api import notify
from kefu.engine.workflow import resolvers
from kefu.engine.workflow.actions import timers
from kefu.engine.workflow.declare import ApprovalChain, Step, TimerSpec, approval_chain
from kefu.engine.workflow.history import target_of
from kefu.engine.workflow.models import ApprovalRequest, ApprovalStep, StepStatus
from kefu.org import access

User = get_user_model()


def _step_decl(step: ApprovalStep) -> tuple[ApprovalChain, Step]:
    declared = approval_chain(step.request.chain)
    return declared, next(s for s in declared.steps if s.name == step.name)


def _approvers_and_their_supervisors(step: ApprovalStep) -> list:
    users = list(step.approvers.all())
    bosses = User.objects.filter(employee__reports__user__in=users).distinct()
    return users + [b for b in bosses if b not in users]


def step_timer_spec(timer) -> TimerSpec | None:
    """The deadline of an approval step: warn the approvers, then tell them and their superiors (LV-2)."""
    step = ApprovalStep.objects.select_related("request").filter(pk=timer.object_id).first()
    if step is None:
        return None
    return TimerSpec(
        name=timer.name,
        policy_key=timer.policy_key,
        on_breach="notify",
        warn_at=0.8,
        notify=_approvers_and_their_supervisors,
        rule="WF-4",
    )


def open_step(step: ApprovalStep, obj) -> None:
    step.status = StepStatus.PENDING
    step.save(update_fields=["status"])
    request = step.request
    notify(
        step.approvers.all(),
        "approval.requested",
        {
            "step": step.label_zh,
            "request": request,
            "object": obj,
            "chain": approval_chain(request.chain).label_zh,
            "requester": access.employee_of(request.requester) or request.requester.get_username(),
        },
        obj=obj,
    )
    if step.deadline_key:
        timers.start(
            step,
            TimerSpec(
                name=f"approval:{step.request.chain}:{step.name}", policy_key=step.deadline_key, rule="WF-4"
            ),
        )


def start_approval(actor: Actor, obj, chain_name: str, *, inputs: dict | None = None) -> ApprovalRequest:
    """Open the chain for `obj`; the steps that apply are chosen now from `inputs` (WF-4)."""
    declared = approval_chain(chain_name)
    inputs = dict(inputs or {})
    requester = access.employee_of(actor.principal)
    steps = [s for s in declared.steps if s.when(inputs)]
    if not steps:
        raise Invalid("WF-4.no_steps", "没有适用的审批步骤", "No approval step applies to this request")
    content_type, object_id = target_of(obj)
    with transaction.atomic():
        try:
            with transaction.atomic():
                request = ApprovalRequest.objects.create(
                    content_type=content_type,
                    object_id=object_id,
                    chain=chain_name,
                    requester=actor.principal,
                    inputs=inputs,
                    created_at=clock.now(),
                )
        except IntegrityError as exc:
            raise Conflict(
                "WF-4.pending", "该记录已有进行中的审批", "This record already has a pending approval"
            ) from exc
        rows = []
        for index, step in enumerate(steps):
            usual = [u.pk for u in step.approvers(obj, requester)]
            approvers = [pk for pk in usual if pk != actor.principal.pk]
            if not approvers and declared.next_level_from is not None:
                approvers = _next_level_up(actor, obj, declared, step, requester, usual)
            if not approvers:
                raise Invalid(
                    "WF-4.no_approver",
                    f"找不到「{step.label_zh}」的审批人",
                    f"Nobody can approve “{step.label_en}”",
                )
            row = ApprovalStep.objects.create(
                request=request,
                index=index,
                name=step.name,
                label_zh=step.label_zh,
                label_en=step.label_en,
                deadline_key=step.deadline_key or "",
            )
            row.approvers.set(approvers)
            rows.append(row)
        open_step(rows[0], obj)
        audit.record(
            actor,
            "workflow.approval.start",
            obj,
            reason=chain_name,
            after={"chain": chain_name, "inputs": inputs, "steps": [s.name for s in rows]},
        )
    return request


# LV-3's rule for a manager's own leave, the seeds' one word on who approves a request its usual
# approver makes: it goes to the superior (seed 001 · 客服部门机制方案初稿 §6)
NEXT_LEVEL_CLAUSE = "部门经理请假由上级领导批准"
NEXT_LEVEL = {
    "superior": ("申请人的上级", "the requester's superior"),
    "group_leadership": ("集团领导", "the group's leadership"),
}


def _next_level_up(actor: Actor, obj, declared: ApprovalChain, step: Step, requester, usual: list[int]):
    """A step whose usual approver is the requester, or nobody, goes one level up (WF-4): the nearest
    superior who may approve, at the top of the line the group's leadership. The decision record says
    so (为什么). Returns the approvers' user ids (empty when there is nobody at all)."""
    found, level = resolvers.next_level_up(declared.next_level_from(obj, requester), {actor.principal.pk})
    if not found:
        return []
    usual_names = sorted(u.get_username() for u in User.objects.filter(pk__in=usual))
    names = sorted(u.get_username() for u in found)
    why_zh, why_en = (
        ("审批人即申请人本人", "its approver is the requester")
        if usual
        else ("无人可审批", "nobody approves it")
    )
    to_zh, to_en = NEXT_LEVEL[level]
    decisions.record(
        obj,
        rule="WF-4",
        outcome=(
            f"「{step.label_zh}」{why_zh}，改由{to_zh}审批 / “{step.label_en}”: {why_en}, so {to_en} approves"
        ),
        inputs={
            "审批 / chain": declared.label_zh,
            "步骤 / step": step.label_zh,
            "申请人 / requester": actor.principal.get_username(),
            "常规审批人 / usual approvers": "、".join(usual_names) or "—",
            "改由 / sent to": to_zh,
            "审批人 / approvers": "、".join(names),
        },
        policy_version=None,
        clause=NEXT_LEVEL_CLAUSE,
        actor=actor,
        source="001 · 客服部门机制方案初稿 §6",
    )
    return [u.pk for u in found]
