"""Deciding approval steps and carrying out what was approved (SEC-8, CUS-6)."""

from django.db import transaction

from kefu.core import audit, decisions
from kefu.core.actor import Actor
from kefu.core.errors import DomainError
from kefu.customers.governance.actions.destruction import _carry_out_destruction
from kefu.customers.governance.actions.merges import _carry_out_merge
from kefu.customers.governance.models import (
    DestructionRequest,
    MergeRequest,
    RequestState,
)
from kefu.engine.workflow import actions as workflow
from kefu.engine.workflow.actions import verdicts

# ---- approvals: decide and carry out ------------------------------------------------------------------------


CARRY_OUT = {}  # model → function, filled below


def decide(actor: Actor, step_id: int, decision: str, *, reason: str = ""):
    """Decide an approval step; a final approval is carried out in the same transaction, so a rule
    that refuses it (SEC-7, SEC-8, CUS-6) undoes the decision and the approver sees why."""
    with transaction.atomic():
        step = verdicts.decide(actor, step_id, decision, reason=reason)
        request = step.request
        model = request.content_type.model_class()
        if model in CARRY_OUT:
            obj = model.objects.select_for_update(of=("self",)).get(pk=request.object_id)
            if obj.state == RequestState.APPROVED:
                CARRY_OUT[model](obj)
    return step


def carry_out_approved() -> int:
    """Worker sweep: carry out destructions and merges approved elsewhere (e.g. on the generic
    approvals page). One savepoint each; a request a rule now refuses moves to "rejected" with the reason."""
    count = 0
    for model, carry_out in CARRY_OUT.items():
        for pk in list(model.objects.filter(state=RequestState.APPROVED).values_list("pk", flat=True)[:50]):
            try:
                with transaction.atomic():
                    obj = (
                        model.objects.select_for_update(skip_locked=True, of=("self",))
                        .filter(pk=pk, state=RequestState.APPROVED)
                        .first()
                    )
                    if obj is None:
                        continue
                    carry_out(obj)
                    count += 1
            except DomainError as error:
                with transaction.atomic():
                    obj = model.objects.get(pk=pk)
                    system = Actor.system("worker")
                    workflow.transition(system, obj, "refuse", reason=f"{error.code}: {error.zh}"[:500])
                    audit.record(
                        system,
                        f"{obj._meta.label_lower}.refused",
                        obj,
                        reason=error.zh,
                        after={"code": error.code},
                    )
                    decisions.record(
                        obj,
                        rule=error.code.split(".")[0] if "." in error.code else "WF-4",
                        outcome=f"refused when carried out / 执行时被规则拒绝：{error.code}",
                        inputs={"zh": error.zh, "en": error.en},
                        policy_version=None,
                        clause="",
                    )
    return count


CARRY_OUT.update({DestructionRequest: _carry_out_destruction, MergeRequest: _carry_out_merge})
