"""Revisit tasks (FUP-1): the one a plan creates when a case is resolved, the periodic ones by tier,
the arrival follow-up after a shipment; assigned to the 回访组 by load, with a due timer on the office
calendar. `on_resolved` is called by the cases action that resolves a case, inside its transaction;
it never calls back into the cases actions. Many tasks at once (a periodic run, a campaign) go
through `open_many`: one INSERT per table per batch, a transaction per batch (FUP-1, issue 14)."""

import copy

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q

from kefu.cases.models import Case, CaseKind, Family
from kefu.core import audit, clock, decisions, memo
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, NotFound
from kefu.customers.models import Customer, Tier
from kefu.engine.outbound import windows
from kefu.engine.policy import api as policy
from kefu.engine.policy.api import add_months
from kefu.engine.workflow import api as workflow
from kefu.followups.lifecycle import ARRIVAL_DUE, DUE, PERIODIC_DUE
from kefu.followups.models import RevisitPlan, RevisitTask, TaskState, Trigger
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Unit

OFFICER = "revisit_officer"  # 回访专员 (org seed)
HANDLE = "revisit.handle"
BATCH = 2000  # customers per transaction of a periodic run or a campaign launch (本系统默认值)


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
        ).select_related("unit")
    }
    if case.family == Family.COMPLAINT and Trigger.COMPLAINT in plans:
        return plans[Trigger.COMPLAINT]
    plan = plans.get(Trigger.RESOLUTION)
    if plan is None or not plan.kinds:
        return None
    # the kind's code: kinds are tracked configuration, kept per process (issue 11)
    code = memo.shared(
        ("followups.kind_code", case.kind_id),
        lambda: CaseKind.objects.filter(pk=case.kind_id).values_list("code", flat=True).first(),
    )
    return plan if code in plan.kinds else None


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
        due_at=in_window(case.customer if case.customer_id else None, entry.due(now)),
        created_at=now,
    )
    task.save()
    start_timer(task, DUE, unit=case.unit, at=now)
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


def start_timer(task: RevisitTask, spec, *, unit, at, fresh: bool = True) -> None:
    """The task's due timer (`fresh`: a new task, nothing to cancel); a due time moved into the
    customer's contact window (FUP-2) moves the timer with it, so that "overdue" means the same on the
    timer and on the queue."""
    timer = workflow.planned(task, spec, unit=unit, at=at, fresh=fresh)
    if task.due_at > timer.due_at:
        timer.due_at = timer.next_check_at = task.due_at
        timer.warn_at = None
    workflow.start_fresh([timer])


def in_window(customer, due):
    """FUP-2: a revisit due outside the customer's contact window waits for it: the due time moves to
    the moment the window next opens (an unreadable window leaves it, the attempt will say why)."""
    return window_due(customer.contact_window if customer is not None else "", due)


def window_due(window: str, due):
    if not window:
        return due
    try:
        return windows.opens_at(window, due)
    except Invalid:
        return due


def open_many(
    actor: Actor,
    rows,
    *,
    unit: Unit,
    loads: dict,
    due,
    spec,
    entry,
    outcome: str,
    inputs: dict,
    wait_for_window: bool = True,
    **fields,
):
    """Open one revisit task per `(customer_pk, customer_unit_id, contact_window[, case_pk])` row, in
    the caller's transaction: tasks, timers, decision records and audit rows one INSERT each. `loads`
    (officer pk → open tasks) is updated as tasks are given out, the least loaded first. A due time
    outside the customer's window waits for it (FUP-2) unless `wait_for_window` is off (a campaign's
    tasks are due by its last day)."""
    now = clock.now()
    tasks = []
    for pk, unit_id, window, *case in rows:
        assignee_id = min(loads, key=lambda e: (loads[e], e)) if loads else None
        if assignee_id is not None:
            loads[assignee_id] += 1
        at = window_due(window, due) if wait_for_window else due
        tasks.append(
            RevisitTask(
                customer_id=pk,
                case_id=case[0] if case else None,
                unit_id=unit_id,
                assignee_id=assignee_id,
                due_at=at,
                created_at=now,
                **fields,
            )
        )
    if not tasks:
        return []
    RevisitTask.objects.bulk_create(tasks)
    if spec is not None:
        template = workflow.planned(tasks[0], spec, unit=unit, at=now, fresh=True)
        timers = []
        for task in tasks:
            timer = copy.copy(template)
            timer.pk, timer.object_id, timer.due_at = None, str(task.pk), task.due_at
            timer.next_check_at = task.due_at
            timers.append(timer)
        workflow.start_fresh(timers)
    with decisions.batch():
        for task in tasks:
            if entry is not None:
                decisions.record_from_entry(task, entry, outcome=outcome, inputs=inputs, actor=actor)
            else:  # a campaign's own dates, no policy number
                decisions.record(
                    task,
                    rule="FUP-1",
                    outcome=outcome,
                    inputs=inputs,
                    policy_version=None,
                    clause="",
                    actor=actor,
                )
    audit.record_many(actor, "followups.task.open", [(task, inputs) for task in tasks])
    return tasks


def _owed(plan: RevisitPlan, since):
    """The live customers of the plan's tier and subsidiary not revisited by the plan since `since`."""
    recent = RevisitTask.objects.filter(plan=plan, customer=OuterRef("pk"), created_at__gt=since)
    return (
        Customer.objects.filter(
            unit__path__startswith=plan.unit.path,
            tier=plan.tier,
            destroyed_at__isnull=True,
            merged_into__isnull=True,
        )
        .exclude(Exists(recent))
        .order_by("pk")
    )


def periodic(run=None, *, size: int = BATCH) -> int:
    """The daily schedule `followups.periodic` (WF-5): every active periodic plan opens a revisit task
    for each live customer of its tier and subsidiary not revisited by that plan within the tier's
    period (`followups.revisit_<tier>_every`). Streams the customers in key-set batches, a
    transaction per batch; a run killed midway and run again (or two runs at once) opens nothing
    twice: the plan row is locked per batch, the owed customers read again under the lock, and the
    database refuses a second task for the same plan, customer and run day. Returns the number of
    tasks opened."""
    actor = Actor.system("worker")
    now = clock.now()
    opened = 0
    for plan in RevisitPlan.objects.filter(trigger=Trigger.PERIODIC, active=True).select_related("unit"):
        every = policy.lookup(EVERY[plan.tier], at=now, unit=plan.unit)
        since = add_months(now, -int(every.value))
        entry = policy.lookup(PERIODIC_DUE.policy_key, at=now, unit=plan.unit)
        due = entry.due(now)
        loads = {e.pk: n for e, n in officers_by_load(plan.unit)}
        owed = _owed(plan, since).values_list("pk", "unit_id", "contact_window")
        after = 0
        while True:
            rows = list(owed.filter(pk__gt=after)[:size])
            if not rows:
                break
            after = rows[-1][0]
            with transaction.atomic():
                RevisitPlan.objects.select_for_update(of=("self",)).filter(pk=plan.pk).exists()
                still = set(owed.filter(pk__gte=rows[0][0], pk__lte=after).values_list("pk", flat=True))
                opened += len(
                    open_many(
                        actor,
                        [row for row in rows if row[0] in still],
                        unit=plan.unit,
                        loads=loads,
                        due=due,
                        spec=PERIODIC_DUE,
                        entry=every,
                        outcome=f"{TIER_ZH[plan.tier]}客户定期回访，按负荷分派",
                        inputs={"revisit_trigger": plan.trigger, "tier": plan.tier},
                        plan=plan,
                        slot=clock.today(),
                    )
                )
    return opened


def shipped(
    actor: Actor, customer: Customer, *, shipped_at, reference: str, carrier: str = ""
) -> RevisitTask | None:
    """FUP-1 arrival follow-up: goods were shipped to `customer` ("货物发出后三天内…跟踪回访"). When
    the customer's subsidiary has an active arrival plan, open a revisit due within
    `followups.arrival_revisit_within` of the shipment (in the customer's contact window, FUP-2). The
    same shipment told twice opens one revisit (the database refuses a second). None when no plan."""
    reference = (reference or "").strip()
    if not reference or len(reference) > 100:
        raise Invalid(
            "followups_shipment_reference",
            "请填写发货单号（不超过100个字符）",
            "Give the shipment reference (at most 100 characters)",
            {"reference": "invalid"},
        )
    now = clock.now()
    if shipped_at is None or shipped_at > now:
        raise Invalid(
            "followups_shipped_at",
            "发货时间不能晚于现在",
            "The shipment cannot be in the future",
            {"shipped_at": "future"},
        )
    if not access.write_in_scope(actor, HANDLE, unit=customer.unit, owner_id=None):
        raise NotFound("客户", "customer")
    subsidiary = policy.subsidiary_of(customer.unit)
    plan = (
        RevisitPlan.objects.filter(unit=subsidiary, trigger=Trigger.ARRIVAL, active=True).first()
        if subsidiary is not None
        else None
    )
    if plan is None or customer.destroyed_at is not None:
        return None
    existing = RevisitTask.objects.filter(plan=plan, customer=customer, reference=reference).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            task = _open_arrival(actor, plan, customer, shipped_at, reference, carrier, now)
    except IntegrityError:  # the same shipment told twice at once: the first one won
        return RevisitTask.objects.get(plan=plan, customer=customer, reference=reference)
    return task


def _open_arrival(actor: Actor, plan, customer, shipped_at, reference: str, carrier: str, now) -> RevisitTask:
    entry = policy.lookup(ARRIVAL_DUE.policy_key, at=shipped_at, unit=customer.unit)
    loads = officers_by_load(plan.unit)
    assignee = loads[0][0] if loads else None
    task = RevisitTask.objects.create(
        plan=plan,
        customer=customer,
        unit=customer.unit,
        assignee=assignee,
        due_at=in_window(customer, entry.due(shipped_at)),
        reference=reference,
        shipped_at=shipped_at,
        created_at=now,
    )
    start_timer(task, ARRIVAL_DUE, unit=customer.unit, at=shipped_at)
    inputs = {"revisit_trigger": plan.trigger, "shipment": reference, "carrier": carrier[:50]}
    decisions.record_from_entry(
        task,
        entry,
        outcome=(f"到货跟踪回访，按负荷分派给{assignee.name}" if assignee else "到货跟踪回访，待主管分派"),
        inputs=inputs,
        actor=actor,
    )
    audit.record(actor, "followups.task.open", task, after=inputs)
    return task


def hand_over(actor: Actor, task: RevisitTask, to: Employee | None, *, reason: str) -> RevisitTask:
    """Move an open revisit task to `to` (None: back to the unit's queue, for the supervisor to assign)
    when its assignee goes on leave (LV-5). Its due timer is the task's own and keeps running; audited.
    Called by the workforce leave actions (system actor) or a holder of `revisit.handle` over it."""
    if not actor.is_system and not access.record_in_scope(
        actor, HANDLE, unit=task.unit, owner_id=task.assignee_id
    ):
        raise NotFound("回访任务", "revisit task")
    with transaction.atomic():
        task = RevisitTask.objects.select_for_update(of=("self",)).get(pk=task.pk)
        if task.state != TaskState.OPEN:
            return task
        before = task.assignee_id
        task.assignee = to
        task.save(update_fields=["assignee"])
        audit.record(
            actor,
            "followups.tasks.hand_over",
            task,
            before={"assignee": before},
            after={"assignee": to.pk if to else None},
            reason=reason,
        )


def hand_over_at_shift(actor: Actor, task: RevisitTask, to: Employee, *, reason: str) -> RevisitTask:
    """HO-1: an open revisit task changes hands at a shift handover — its due time and timer stay as they
    are. The one it is assigned to hands it over, or someone who configures revisits in its scope."""
    me = access.employee_of(actor.principal)
    mine = me is not None and me.pk == task.assignee_id
    if not (mine or access.record_in_scope(actor, "revisit.configure", unit=task.unit, owner_id=None)):
        raise NotFound("回访任务", "revisit task")
    if task.state != TaskState.OPEN:
        raise Invalid("revisit_not_open", "回访任务已结束，无需交接", "The revisit task is no longer open")
    before = task.assignee_id
    RevisitTask.objects.filter(pk=task.pk).update(assignee=to)
    task.assignee = to
    audit.record(
        actor,
        "followups.task.hand_over",
        task,
        before={"assignee": before},
        after={"assignee": to.pk},
        reason=reason,
    )
    return task
