"""State changes of the discipline ledger (DIS-1): propose a penalty, HR confirms or rejects it.

Every penalty is a proposal until a holder of `discipline.confirm` decides it. The ladder position
(`occurrence`) is 1 + the number of that employee's proposed or confirmed offences of the same kind;
rejected proposals do not count. Proposals for one employee are serialised by locking the employee
row, so two simultaneous proposals never get the same occurrence number.
"""

from django.db import transaction
from django.utils import translation

from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid, NotFound
from kefu.discipline import catalogue
from kefu.discipline.models import Measure, PenaltyProposal, ProposalStatus
from kefu.org import access
from kefu.org.models import Employee

STANDING = (ProposalStatus.PROPOSED, ProposalStatus.CONFIRMED)

# the audit log names an offence and a measure in words (issue 13)
decisions.describe(
    values={
        "offence": {code: (item.name_zh, item.name_en) for code, item in catalogue.CATALOGUE.items()},
        "measure": Measure.choices,
    }
)


def _label(obj) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return f"{obj._meta.app_label}.{obj._meta.model_name}", str(obj.pk)


def propose(
    actor: Actor,
    employee: Employee,
    offence: str,
    *,
    evidence: str,
    rule: str,
    source_obj=None,
    quantity: int = 1,
    measure: str = "",
) -> PenaltyProposal:
    """Propose the next ladder step for `employee` (DIS-1). Callable by other modules' actions
    (claims rulings, leave …) and by people holding `discipline.confirm`; `rule` names the rule under
    which the offence was found (e.g. "CLM-6" for a ruled clash, "CLM-7")."""
    if not actor.is_system and not source_obj:
        access.require(actor, "discipline.confirm")
    item = catalogue.offence(offence)
    if not (evidence or "").strip():
        raise Invalid(
            "discipline_evidence_required", "请填写证据", "Evidence is required", {"evidence": "required"}
        )
    if quantity < 1:
        raise Invalid(
            "discipline_quantity", "数量至少为 1", "Quantity must be at least 1", {"quantity": "min"}
        )
    now = clock.now()
    with transaction.atomic():
        employee = Employee.objects.select_for_update(of=("self",)).select_related("unit").get(pk=employee.pk)
        occurrence = (
            PenaltyProposal.objects.filter(employee=employee, offence=offence, status__in=STANDING).count()
            + 1
        )
        step = catalogue.step_for(offence, occurrence, at=now, quantity=quantity, measure=measure)
        source_type, source_id = _label(source_obj)
        proposal = PenaltyProposal.objects.create(
            employee=employee,
            unit=employee.unit,
            kind=item.kind,
            offence=offence,
            occurrence=occurrence,
            quantity=quantity,
            measure=step.measure,
            amount=step.amount,
            evidence=evidence.strip(),
            rule=step.rule,
            clause=step.clause,
            policy_version=step.entry.version if step.entry is not None else None,
            proposed_by=actor.user,
            proposed_at=now,
            source_type=source_type,
            source_id=source_id,
        )
        inputs = {
            "employee": employee.name,
            "offence": item.name_zh,
            "occurrence": occurrence,
            "quantity": quantity,
            "found_under": rule,
        }
        with translation.override("zh-hans"):  # the outcome is stored in both languages
            measure_zh = str(Measure(step.measure).label)
        amount = f" {step.amount} 元" if step.amount is not None else ""
        outcome = f"建议{measure_zh}{amount} / proposed {step.measure}{amount}"
        if step.entry is not None:
            decisions.record_from_entry(proposal, step.entry, outcome=outcome, inputs=inputs, actor=actor)
        else:
            decisions.record(
                proposal,
                rule=step.rule,
                outcome=outcome,
                inputs=inputs,
                policy_version=None,
                clause=step.clause,
                actor=actor,
                source=item.source,
            )
        audit.record(
            actor,
            "discipline.propose_reward" if item.kind == "reward" else "discipline.propose",
            proposal,
            object_repr=f"{employee} · {item.name_zh} #{occurrence}",  # the offence in words, not its code
            after={
                "employee": employee.pk,
                "offence": offence,
                "occurrence": occurrence,
                "measure": step.measure,
                "amount": step.amount,
                "rule": rule,
            },
        )
    return proposal


def decide(actor: Actor, proposal: PenaltyProposal, *, confirm: bool, reason: str) -> PenaltyProposal:
    """HR confirms or rejects a proposal (DIS-1); a reason is required either way."""
    if not (reason or "").strip():
        raise Invalid(
            "discipline_reason_required", "请填写理由", "A reason is required", {"reason": "required"}
        )
    with transaction.atomic():
        proposal = (
            PenaltyProposal.objects.select_for_update(of=("self",)).select_related("unit").get(pk=proposal.pk)
        )
        if not access.record_in_scope(actor, "discipline.confirm", unit=proposal.unit, owner_id=None):
            raise NotFound("处罚建议", "penalty proposal")
        if proposal.status != ProposalStatus.PROPOSED:
            raise Conflict(
                "discipline_already_decided",
                "该处罚建议已处理",
                "This proposal has already been decided",
                status_now=proposal.status,
            )
        proposal.status = ProposalStatus.CONFIRMED if confirm else ProposalStatus.REJECTED
        proposal.decided_by = actor.user
        proposal.decided_at = clock.now()
        proposal.decision_reason = reason.strip()[:500]
        proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        audit.record(
            actor,
            "discipline.confirm" if confirm else "discipline.reject",
            proposal,
            object_repr=(
                f"{proposal.employee} · {catalogue.offence(proposal.offence).name_zh} #{proposal.occurrence}"
                if proposal.offence in catalogue.CATALOGUE
                else ""
            ),
            before={"status": ProposalStatus.PROPOSED},
            after={"status": proposal.status},
            reason=reason,
        )
    return proposal


def record_proposal(
    actor: Actor,
    employee: Employee,
    offence: str,
    *,
    evidence: str,
    quantity: int = 1,
    measure: str = "",
) -> PenaltyProposal:
    """HR records a penalty proposal by hand (DIS-1), for any offence of the catalogue.

    Needs `discipline.confirm` over the employee's unit (out of scope answers 404). The offence ladder
    still computes the measure and amount (CLM-7); a measure is chosen only for an offence without a
    ladder (警告/记过/调岗/辞退), and a quantity only for the per-customer fine. It stays a proposal
    until confirmed.
    """
    access.require(actor, "discipline.confirm")
    if not access.record_in_scope(actor, "discipline.confirm", unit=employee.unit, owner_id=employee.pk):
        raise NotFound("员工", "employee")
    item = catalogue.offence(offence)
    if measure and offence in catalogue.LADDERS:
        raise Invalid(
            "discipline_measure_from_ladder",
            f"「{item.name_zh}」的处理按违规次数阶梯确定，不能手工选择措施（{item.rule}）",
            f"The measure for “{item.name_en}” follows the offence ladder and cannot be chosen ({item.rule})",
            {"measure": "ladder"},
        )
    if quantity != 1 and offence not in catalogue.PER_CUSTOMER:
        raise Invalid(
            "discipline_quantity_not_applicable",
            f"「{item.name_zh}」不按户数计罚，数量须为 1",
            f"“{item.name_en}” is not fined per customer; the quantity must be 1",
            {"quantity": "one"},
        )
    return propose(
        actor, employee, offence, evidence=evidence, rule=item.rule, quantity=quantity, measure=measure
    )
