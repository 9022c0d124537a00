"""An approver's verdict on a step (WF-4): approve, reject or return — and, at the chain's end, the
transition it declares for the record.

Delegation-aware (ORG-5): a delegate decides for an approver only under a delegation in force that
includes `approval.decide`, and the step records both people. Supervisory-only roles never approve
(ORG-4): deciding needs `approval.decide`, which such roles cannot hold.
"""

from django.db import transaction
from django.utils import translation

from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from kefu.engine.notifications.api import notify
from kefu.engine.workflow.actions import approvals, timers, transitions
from kefu.engine.workflow.declare import Label, approval_chain
from kefu.engine.workflow.models import ApprovalRequest, ApprovalStatus, ApprovalStep, StepStatus
from kefu.org import access

DECISIONS = {"approve": StepStatus.APPROVED, "reject": StepStatus.REJECTED, "return": StepStatus.RETURNED}


def _finish(request: ApprovalRequest, status: str, obj, transition_name: str | None) -> None:
    request.status, request.decided_at = status, clock.now()
    request.save(update_fields=["status", "decided_at"])
    for waiting in request.steps.filter(status__in=[StepStatus.WAITING, StepStatus.PENDING]):
        waiting.status = StepStatus.CANCELLED
        waiting.save(update_fields=["status"])
        timers.stop(waiting, [f"approval:{request.chain}:{waiting.name}"], state="cancelled")
    if transition_name:
        transitions.transition(
            Actor.system(f"approval {request.pk}"),
            obj,
            transition_name,
            reason=f"审批{_in_chinese(request.get_status_display())} / approval {status}",
        )


def _in_chinese(label) -> str:
    """The stored reason carries both languages; pages show the reader's (home.audit_labels)."""
    with translation.override("zh-hans"):
        return str(label)


def _person(user) -> str:
    """Who decided, as people know them: the employee's name, else the account name."""
    return str(access.employee_of(user) or user.get_username())


def _history(request: ApprovalRequest) -> list[dict]:
    """Every decided step of the request in order: its label, who decided, and how."""
    steps = request.steps.exclude(decided_by=None).select_related("decided_by").order_by("index")
    return [
        {"step": Label(s.label_zh, s.label_en), "decider": _person(s.decided_by), "decision": s.status}
        for s in steps
    ]


def decide(actor: Actor, step_id: int, decision: str, *, reason: str = "") -> ApprovalStep:
    """An approver (or their delegate) approves, rejects or returns the pending step."""
    if decision not in DECISIONS:
        raise Invalid(
            "WF-4.decision",
            "审批结论无效",
            "Decision must be approve, reject or return",
            {"decision": decision},
        )
    if decision != "approve" and not (reason or "").strip():
        raise Invalid(
            "WF-4.reason_required",
            "驳回或退回必须填写原因（WF-4）",
            "Reject and return need a reason (WF-4)",
            {"reason": "required"},
        )
    with transaction.atomic():
        step = (
            ApprovalStep.objects.select_for_update(of=("self",))
            .select_related("request")
            .filter(pk=step_id)
            .first()
        )
        if step is None:
            raise NotFound("审批步骤", "approval step")
        if actor.principal is None or not step.approvers.filter(pk=actor.principal.pk).exists():
            raise NotFound("审批步骤", "approval step")  # not yours: no existence leak
        if step.status != StepStatus.PENDING:
            raise Conflict(
                "WF-4.not_pending", "该审批步骤已处理或尚未轮到", "This step is not awaiting a decision"
            )
        if not access.can(actor, "approval.decide"):
            raise PermissionDenied(
                "您（或本次授权）没有审批权（ORG-4/ORG-5）",
                "You (or this delegation) may not approve (ORG-4/ORG-5)",
                code="WF-4.not_allowed",
            )
        request = ApprovalRequest.objects.select_for_update(of=("self",)).get(pk=step.request_id)
        obj = request.content_type.get_object_for_this_type(pk=request.object_id)
        step.status, step.decided_by, step.on_behalf_of = DECISIONS[decision], actor.user, actor.on_behalf_of
        step.decided_at, step.reason = clock.now(), reason.strip()[:500]
        step.save()
        timers.stop(step, [f"approval:{request.chain}:{step.name}"])
        audit.record(
            actor,
            f"workflow.approval.{decision}",
            obj,
            reason=reason,
            after={"chain": request.chain, "step": step.name, "decision": decision},
        )
        declared = approval_chain(request.chain)
        following = None
        if decision == "approve":
            following = request.steps.filter(status=StepStatus.WAITING).order_by("index").first()
            if following is not None:
                approvals.open_step(following, obj)
            else:
                _finish(request, ApprovalStatus.APPROVED, obj, declared.on_approved)
        elif decision == "reject":
            _finish(request, ApprovalStatus.REJECTED, obj, declared.on_rejected)
        else:
            _finish(request, ApprovalStatus.RETURNED, obj, declared.on_returned)
        context = {
            "step": Label(step.label_zh, step.label_en),
            "request": request,
            "object": obj,
            "chain": declared.label_zh,
            "decision": decision,
            "decider": _person(actor.user),
            "on_behalf_of": _person(actor.on_behalf_of) if actor.on_behalf_of else "",
            "reason": reason,
        }
        if following is None:  # the chain has ended: its result, with every step's decision
            context["history"] = _history(request)
            notify([request.requester], "approval.decided", context, obj=obj)
        else:  # one step of several: which one, by whom, and what remains (never a result yet)
            remaining = list(request.steps.filter(index__gte=following.index).order_by("index"))
            context["next_step"] = Label(following.label_zh, following.label_en)
            context["remaining"] = Label(
                "、".join(s.label_zh for s in remaining), ", ".join(s.label_en for s in remaining)
            )
            notify([request.requester], "approval.progress", context, obj=obj)
        if declared.also_told is not None:
            skip = {actor.user.pk, request.requester_id}
            told = [u for u in declared.also_told(obj, step) if u.pk not in skip]
            notify(told, declared.also_told_template, context, obj=obj)
    return step
