"""Approval of a delegation registered for someone else (ORG-5), declared for the workflow engine.

A delegation the delegator makes personally is approved at once. One that a delegation manager
registers for them is `pending` and opens the chain `org.delegation`: one step, decided by the
delegator or — the reason one registers for somebody is usually that they are away — by one of the
delegator's direct supervisors (ORG-2). Only people who may approve at all (`approval.decide`) are
asked; never the delegate, never the registrar (the engine excludes the requester). The delegation
takes effect only when the step is approved, and only if nobody decided it while acting for someone
else or as the delegate (the guard below): authority over one's own powers is not delegated.
See docs/decisions.md.
"""

from kefu.core.actor import Actor
from kefu.engine.workflow.declare import ApprovalChain, Lifecycle, Step, Transition, register
from kefu.engine.workflow.queries import decided_steps
from kefu.org import access
from kefu.org.models import Delegation, EmploymentStatus


def delegation_approvers(delegation: Delegation, requester=None) -> list:
    """The delegator and their direct supervisors who may approve, minus the delegate (users)."""
    delegator = delegation.delegator
    people = [delegator] if delegator.status == EmploymentStatus.ACTIVE else []
    people += list(delegator.supervisors.filter(status=EmploymentStatus.ACTIVE).select_related("user"))
    excluded = {delegation.delegate.user_id, getattr(requester, "user_id", None)}
    return [
        e.user
        for e in dict.fromkeys(people)
        if e.user_id not in excluded
        and e.user.is_active
        and access.can(Actor(user=e.user, origin="approvers"), "approval.decide")
    ]


def decided_in_person(delegation: Delegation, data: dict) -> tuple[str, str] | None:
    """Guard of `approve`: no step decided under a delegation, nor by the delegate (ORG-5)."""
    for step in decided_steps(delegation):
        if step.on_behalf_of_id is not None or step.decided_by_id == delegation.delegate.user_id:
            return (
                "授权须由授权人本人或其上级亲自批准，不能代理批准，被授权人也不能批准给自己的授权（ORG-5）",
                "ORG-5: a delegation is approved by the delegator or their superior in person — not under "
                "a delegation, and never by the delegate",
            )
    return None


STATES = {
    "pending": ("待批准", "Awaiting approval"),
    "approved": ("已批准", "Approved"),
    "rejected": ("已驳回", "Rejected"),
    "returned": ("已退回", "Returned"),
}

DELEGATION = Lifecycle(
    model="org.Delegation",
    states=STATES,
    initial="pending",
    unit_field=None,
    owner_field=None,
    rule="ORG-5",
    transitions=(
        Transition(
            "approve",
            ("pending",),
            "approved",
            "批准授权",
            "Approve the delegation",
            system=True,
            guard=decided_in_person,
            rule="ORG-5",
        ),
        Transition("reject", ("pending",), "rejected", "驳回授权", "Reject", system=True, rule="ORG-5"),
        Transition("send_back", ("pending",), "returned", "退回授权", "Return", system=True, rule="ORG-5"),
    ),
)

CHAIN = ApprovalChain(
    name="org.delegation",
    label_zh="授权委托确认",
    steps=(Step("delegator", "授权人或其上级批准", "The delegator or their superior", delegation_approvers),),
    on_approved="approve",
    on_rejected="reject",
    on_returned="send_back",
    # the approvers are named by the delegator's authority, never by the registrar's line: no WF-4
    # fallback to the registrar's superior (nobody to ask → the delegator makes it in person)
    next_level_from=None,
    # the delegator is told when their superior decides a delegation registered for them (ORG-5)
    also_told=lambda delegation, step: [delegation.delegator.user],
    also_told_template="org.delegation_decided",
    rule="ORG-5",
)

register(DELEGATION, CHAIN)
