"""CUS-7 assignment and first contact: assign a specialist (the least-loaded one unless named) and
record contacts; the first contact after an assignment stops the first-contact timer (the workflow
declared in `customers/lifecycle.py`)."""

from datetime import datetime

from django.db import transaction

from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, NotFound
from kefu.customers.actions import blocks
from kefu.customers.models import AssignmentState, ContactRecord, Customer, SpecialistSkill
from kefu.customers.queries import assignment as assignments
from kefu.engine.policy.api import lookup
from kefu.engine.workflow import api as workflow
from kefu.org import access
from kefu.org.models import Employee


@transaction.atomic
def assign(actor: Actor, customer: Customer, specialist: Employee | None = None) -> Customer:
    """CUS-7: assign to `specialist`, or to the least-loaded active specialist of the subsidiary.

    The workflow transition `assign` records the move in the history, audits it and (re)starts the
    first-contact timer with its warning; the choice and its load are kept as a decision record.
    """
    access.require(actor, "customer.manage")
    blocks.require_in_scope(actor, "customer.manage", customer)
    pool = assignments.candidates(customer)
    choice = None
    if specialist is None:
        choice = assignments.choose(customer)
        chosen = choice.chosen
        if chosen is None:
            raise Invalid(
                "CUS-7.no_specialist",
                "CUS-7：本公司没有可分配的客服专员",
                "CUS-7: no active specialist to assign",
                {},
            )
    else:
        chosen = pool.filter(pk=specialist.pk).first()
        if chosen is None:
            raise Invalid(
                "CUS-7.not_specialist",
                "CUS-7：只能分配给本公司在职的客服专员或销售",
                "CUS-7: assign only to an active specialist or sales person of the customer's subsidiary",
                {"specialist": "CUS-7"},
            )
    moved = workflow.transition(
        actor, customer, "assign", data={"specialist": chosen}, reason=f"CUS-7 → {chosen.name}"
    )
    now = clock.now()
    Customer.objects.filter(pk=moved.pk).update(updated_at=now)
    if choice is not None:
        _explain_choice(actor, moved, choice)
    timer = assignments.first_contact_timer(moved)
    entry = lookup("customers.first_contact_within", at=timer.started_at, unit=moved.unit)
    decisions.record_from_entry(
        moved,
        entry,
        outcome=f"分配给 {chosen.name} / assigned to {chosen.name}",
        inputs={
            "chosen": chosen.pk,
            "load": getattr(chosen, "load", None),
            "requested": specialist.pk if specialist else None,
            "first_contact_due": timer.due_at,
            "warn_at": timer.warn_at,
        },
        actor=actor,
    )
    customer.specialist, customer.assignment_state, customer.updated_at = chosen, moved.assignment_state, now
    return customer


# CUS-7's clause on how a specialist is chosen (001 · 客服部门机制方案初稿); it gives no number
CHOICE_CLAUSE = "客服经理按照负责客户数量均衡、兼顾业务能力的原则,分配给相关客服专员。"
CHOICE_SOURCE = "001 · 客服部门机制方案初稿"


def _explain_choice(actor: Actor, customer: Customer, choice: assignments.Choice) -> None:
    """CUS-7 为什么: the specialist was picked by skill and load — or by load alone, and why."""
    name, load = choice.chosen.name, choice.chosen.load
    if choice.by_skill:
        zh = (
            f"在具备「{choice.need}」业务能力的 {choice.skilled} 人中负责客户最少（{load} 户），分配给 {name}"
        )
        en = f"fewest customers ({load}) among the {choice.skilled} who know {choice.need}: {name}"
    elif choice.need:
        zh = f"无人具备「{choice.need}」业务能力，按负责客户最少（{load} 户）分配给 {name}"
        en = f"nobody knows {choice.need}; fewest customers ({load}): {name}"
    else:
        zh = f"客户未填写所属行业，按负责客户最少（{load} 户）分配给 {name}"
        en = f"no industry given; fewest customers ({load}): {name}"
    decisions.record(
        customer,
        rule="CUS-7",
        outcome=f"{zh} / {en}",
        inputs={
            "所属行业 / industry": choice.need or "—",
            "具备业务能力人数 / skilled": choice.skilled,
            "可分配人数 / candidates": choice.candidates,
            "按业务能力 / by skill": choice.by_skill,
            "负责客户数 / load": load,
        },
        policy_version=None,
        clause=CHOICE_CLAUSE,
        actor=actor,
        source=CHOICE_SOURCE,
    )


@transaction.atomic
def set_skills(actor: Actor, employee: Employee, industries: list[str]) -> list[str]:
    """CUS-7 业务能力: set the industries a specialist knows (replacing the list). Only for a specialist
    the actor may assign customers to (customer.manage over the specialist's unit)."""
    access.require(actor, "customer.manage")
    if not access.record_in_scope(actor, "customer.manage", unit=employee.unit, owner_id=None):
        raise NotFound("客服专员", "specialist")
    wanted = sorted({(i or "").strip()[:100] for i in industries if (i or "").strip()})
    before = sorted(SpecialistSkill.objects.filter(employee=employee).values_list("industry", flat=True))
    if wanted == before:
        return wanted
    SpecialistSkill.objects.filter(employee=employee).exclude(industry__in=wanted).delete()
    now = clock.now()
    for industry in set(wanted) - set(before):
        SpecialistSkill.objects.create(
            employee=employee, industry=industry, added_at=now, added_by=actor.user
        )
    audit.record(
        actor, "customers.specialist_skills", employee, before={"skills": before}, after={"skills": wanted}
    )
    return wanted


@transaction.atomic
def record_contact(
    actor: Actor, customer: Customer, note: str, *, at: datetime | None = None
) -> ContactRecord:
    """CUS-7 备案: record a contact; the first one after an assignment makes the transition `contact`,
    which stops the first-contact timer."""
    access.require(actor, "customer.manage")
    blocks.require_in_scope(actor, "customer.manage", customer)
    if not (note or "").strip():
        raise Invalid("CUS-7.note", "CUS-7：请填写沟通记录", "CUS-7: describe the contact", {"note": "CUS-7"})
    when = at or clock.now()
    record = ContactRecord.objects.create(customer=customer, at=when, by=actor.user, note=note.strip())
    locked = Customer.objects.select_for_update(of=("self",)).get(pk=customer.pk)
    if locked.assignment_state == AssignmentState.ASSIGNED:
        locked = workflow.transition(actor, locked, "contact", reason="CUS-7 首次沟通 / first contact")
    locked.last_contact_at = when
    locked.save(update_fields=["last_contact_at"])
    customer.last_contact_at, customer.assignment_state = locked.last_contact_at, locked.assignment_state
    audit.record(actor, "customer.contact_record", customer, after={"record": record.pk})
    return record
