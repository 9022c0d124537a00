"""Revisit tasks (FUP-1): the one a plan creates when a case is resolved, assigned to the 回访组 by
load, with its due timer on the office calendar. Called by the cases action that resolves a case,
inside its transaction; it never calls back into the cases actions."""

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q

from kefu.cases.models import Case, Family
from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.customers.models import Customer, Tier
from kefu.engine.policy import api as policy
from kefu.engine.policy.api import add_months
from kefu.engine.workflow import api as workflow
from kefu.followups.lifecycle import DUE, PERIODIC_DUE
from kefu.followups.models import RevisitPlan, RevisitTask, TaskState, Trigger
from kefu.org.models import Employee, EmploymentStatus, Unit

OFFICER = "revisit_officer"  # 回访专员 (org seed)


def plan_for(case: Case) -> RevisitPlan | None:
    """The subsidiary's active plan that asks a revisit of this case: every complaint, or the
    resolution of its kind."""
    subsidiary = policy.subsidiary_of(case.unit)
    if subsidiary is None:
        return None
    plans = {
        p.trigger: p
        for p in RevisitPlan.objects.filter(
            unit=subsidiary, active=True, trigger__in=(Trigger.COMPLAINT, Trigger.RESOLUTION)
        )
    }
    if case.family == Family.COMPLAINT and Trigger.COMPLAINT in plans:
        return plans[Trigger.COMPLAINT]
    plan = plans.get(Trigger.RESOLUTION)
    return plan if plan is not None and case.kind.code in plan.kinds else None


def officers_by_load(subsidiary: Unit) -> list[tuple[Employee, int]]:
    """The subsidiary's active 回访专员 with their open revisit tasks, least loaded first."""
    return [
        (e, e.open_tasks)
        for e in Employee.objects.filter(
            role_assignments__role__code=OFFICER,
            status=EmploymentStatus.ACTIVE,
            unit__path__startswith=subsidiary.path,
        )
        .distinct()
        .annotate(open_tasks=Count("revisit_tasks", filter=Q(revisit_tasks__state=TaskState.OPEN)))
        .order_by("open_tasks", "pk")
    ]


def on_resolved(actor: Actor, case: Case) -> RevisitTask | None:
    """FUP-1: a case reached resolution; when a plan asks for it, open its revisit task (the case
    then waits in 回访中 for it; a revisit still open from before is the one it waits for). None when
    no plan applies."""
    plan = plan_for(case)
    if plan is None:
        return None
    waiting = RevisitTask.objects.filter(case=case, state=TaskState.OPEN).first()
    if waiting is not None:  # reopened before its revisit and resolved again: the same revisit waits
        return waiting
    now = clock.now()
    subsidiary = plan.unit
    loads = officers_by_load(subsidiary)
    assignee = loads[0][0] if loads else None
    entry = policy.lookup(DUE.policy_key, at=now, unit=case.unit)
    task = RevisitTask(
        plan=plan,
        case=case,
        customer_id=case.customer_id,
        unit=case.unit,
        assignee=assignee,
        due_at=entry.due(now),
        created_at=now,
    )
    task.save()
    workflow.start(task, DUE, unit=case.unit, at=now, fresh=True)
    decisions.record_from_entry(
        task,
        entry,
        outcome=(
            f"按负荷分派给{assignee.name}（在办回访 {loads[0][1]} 件）"
            if assignee
            else "本子公司没有在岗的回访专员，待主管分派"
        ),
        inputs={"revisit_trigger": plan.trigger, "case_number": case.number, "revisit_officers": len(loads)},
        actor=actor,
    )
    audit.record(
        actor,
        "followups.task.open",
        task,
        after={
            "case_number": case.number,
            "revisit_officer": assignee.name if assignee else None,
            "revisit_trigger": plan.trigger,
        },
    )
    return task


EVERY = {  # FUP-1 periodic revisits by tier: the pack's defaults (本系统默认值)
    Tier.STRATEGIC: "followups.revisit_strategic_every",
    Tier.KEY: "followups.revisit_key_every",
    Tier.NORMAL: "followups.revisit_normal_every",
}


TIER_ZH = {Tier.STRATEGIC: "战略", Tier.KEY: "重点", Tier.NORMAL: "普通"}


def periodic(run=None) -> int:
    """The daily schedule `followups.periodic` (WF-5): every active periodic plan opens a revisit task
    for each live customer of its tier and subsidiary not revisited by that plan within the tier's
    period (`followups.revisit_<tier>_every`). Returns the number of tasks opened."""
    actor = Actor.system("worker")
    now = clock.now()
    opened = 0
    for plan in RevisitPlan.objects.filter(trigger=Trigger.PERIODIC, active=True).select_related("unit"):
        every = policy.lookup(EVERY[plan.tier], at=now, unit=plan.unit)
        since = add_months(now, -int(every.value))
        recent = RevisitTask.objects.filter(plan=plan, customer=OuterRef("pk"), created_at__gt=since)
        customers = list(
            Customer.objects.filter(
                unit__path__startswith=plan.unit.path,
                tier=plan.tier,
                destroyed_at__isnull=True,
                merged_into__isnull=True,
            )
            .exclude(Exists(recent))
            .only("pk", "unit_id")
            .order_by("pk")
        )
        if not customers:
            continue
        officers = officers_by_load(plan.unit)
        loads = {e.pk: n for e, n in officers}
        names = {e.pk: e.name for e, _ in officers}
        entry = policy.lookup(PERIODIC_DUE.policy_key, at=now, unit=plan.unit)
        due = entry.due(now)
        with transaction.atomic():
            for customer in customers:
                assignee_id = min(loads, key=lambda pk: (loads[pk], pk)) if loads else None
                if assignee_id is not None:
                    loads[assignee_id] += 1
                task = RevisitTask.objects.create(
                    plan=plan,
                    customer=customer,
                    unit_id=customer.unit_id,
                    assignee_id=assignee_id,
                    due_at=due,
                    created_at=now,
                )
                workflow.start(task, PERIODIC_DUE, unit=plan.unit, at=now, fresh=True)
                decisions.record_from_entry(
                    task,
                    every,
                    outcome=f"{TIER_ZH[plan.tier]}客户定期回访，按负荷分派",
                    inputs={"revisit_trigger": plan.trigger, "tier": plan.tier},
                    actor=actor,
                )
                audit.record(
                    actor,
                    "followups.task.open",
                    task,
                    after={"revisit_trigger": plan.trigger, "revisit_officer": names.get(assignee_id)},
                )
                opened += 1
    return opened
