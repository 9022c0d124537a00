"""The expected time told to the customer is itself a clock (CASE-8).

"如果无法在短时间内给出解决方案,需要向客服部门说明原因,并告知预计的处理时间。客服部门应及时将反馈结果及处理时间
告知客户。" [000 · 客服报备方案 (2) §3.3] — once the customer has been given a time, that time is a
deadline of the case: the `expected` clock (`lifecycle.EXPECTED`) runs until it, plus the pack's
grace `cases.expected_time_grace` (本系统默认值 0). Unresolved when it passes, the engine's sweep
records the breach once (a decision record naming CASE-8), tells the owner and escalates the case
one level up its chain — level 1 is the owner's supervisors. A new expected time restarts the
clock; the customer is told the new time through the case's reply path (`blocks.comment`, by
e-mail on an e-mail case). The clock stops when the matter is solved or the customer is informed.
"""

from kefu.cases import lifecycle
from kefu.cases.actions import blocks
from kefu.cases.models import Case, Handoff, HandoffState
from kefu.core import clock, decisions
from kefu.core.actor import Actor
from kefu.engine.policy import api as policy
from kefu.engine.workflow import api as workflow

CLOCK = lifecycle.EXPECTED.name


def missed_before(case: Case) -> bool:
    """Whether an expected time told to this customer has already passed unkept (the notice says so)."""
    return workflow.clocks(case, states=(workflow.TimerState.BREACHED,), names=(CLOCK,)).exists()


def promise(actor: Actor, case: Case, expected_at, *, handoff: Handoff) -> object:
    """Start (or restart) the case's `expected` clock at the time just told to the customer; the
    caller's action checked the right (the receiving department's `defer`). Inside its transaction."""
    now = clock.now()
    timer = workflow.start(case, lifecycle.EXPECTED, unit=case.unit, at=now, due_from=expected_at)
    entry = policy.lookup(lifecycle.EXPECTED.policy_key, at=now, unit=case.unit)
    decisions.record_from_entry(
        case,
        entry,
        outcome=(
            f"{lifecycle.EXPECTED.label_zh}：{clock.local(expected_at):%Y-%m-%d %H:%M}，"
            "届时未办结即升级至承办人的主管"
        ),
        inputs={"handoff": handoff.pk, "unit": handoff.unit.name, "expected_at": expected_at},
        actor=actor,
    )
    blocks.refresh_due(case)
    return timer


def kept(case: Case) -> None:
    """The matter is solved: the clock stops — unless another department still owes the customer a
    time it gave (its own deferred 报备)."""
    if not Handoff.objects.filter(case=case, state=HandoffState.DEFERRED).exists():
        workflow.stop(case, [CLOCK])
        blocks.refresh_due(case)
