"""The revisit task's due timer (FUP-1): counted on the office calendar from the case's resolution;
at the deadline the 回访专员 it is assigned to is told (the queue shows it overdue)."""

from kefu.engine.workflow.declare import Lifecycle, TimerSpec, register


def assignee(task, *_):
    return [task.assignee.user] if task.assignee_id else []


DUE = TimerSpec(
    "revisit_due",
    "followups.revisit_after_resolution_within",
    on_breach="notify",
    warn_at=None,
    notify=assignee,
    label_zh="回访时限",
    rule="FUP-1",
)

RETRY = TimerSpec(
    "revisit_retry",
    "followups.unreachable_retry_after",
    on_breach="notify",
    warn_at=None,
    notify=assignee,
    label_zh="再次回访时限",
    rule="FUP-1",
)

PERIODIC_DUE = TimerSpec(
    "revisit_periodic",
    "followups.periodic_revisit_within",
    on_breach="notify",
    warn_at=None,
    notify=assignee,
    label_zh="定期回访时限",
    rule="FUP-1",
)

ARRIVAL_DUE = TimerSpec(
    "revisit_arrival",
    "followups.arrival_revisit_within",
    on_breach="notify",
    warn_at=None,
    notify=assignee,
    label_zh="到货跟踪回访时限",
    rule="FUP-1",
)

TASK = Lifecycle(
    model="followups.RevisitTask",
    states={
        "open": ("待回访", "To revisit"),
        "done": ("已回访", "Revisited"),
        "unreached": ("未回访", "Not revisited"),
    },
    initial="open",
    transitions=(),
    timers=(DUE, RETRY, PERIODIC_DUE, ARRIVAL_DUE),
    owner_field="assignee",
    unit_field="unit",
    related=("assignee__user",),
    rule="FUP-1",
)

register(TASK)
