"""The workflow engine's public interface: the one module domain apps use (docs/engine.md).

Domain apps declare lifecycles, timers and chains with `declare`/`resolvers` and otherwise call only
these names — never `engine.workflow.models`. Writes (`transition`, `escalate`, `start`, `stop`,
`start_approval`, `decide`) are the engine's own actions, re-exported unchanged; reads return the
engine's rows for a record (or a list of one model's records).
"""

from kefu.engine.workflow.actions.approvals import start_approval
from kefu.engine.workflow.actions.escalations import current_level, escalate
from kefu.engine.workflow.actions.timers import planned, start, start_fresh, stop
from kefu.engine.workflow.actions.transitions import transition
from kefu.engine.workflow.actions.verdicts import decide
from kefu.engine.workflow.history import history
from kefu.engine.workflow.models import ApprovalStatus, StepStatus, TimerState
from kefu.engine.workflow.queries import (
    approvals,
    asked_of,
    changes_by,
    clocks,
    decided_steps,
    escalations,
    latest_approval,
    next_due,
    outer_clocks,
    pending_approval,
    pending_steps,
    steps_in_order,
)

__all__ = [
    "ApprovalStatus",
    "StepStatus",
    "TimerState",
    "approvals",
    "asked_of",
    "changes_by",
    "clocks",
    "current_level",
    "decide",
    "decided_steps",
    "escalate",
    "escalations",
    "history",
    "latest_approval",
    "next_due",
    "outer_clocks",
    "pending_approval",
    "pending_steps",
    "planned",
    "start",
    "start_approval",
    "start_fresh",
    "steps_in_order",
    "stop",
    "transition",
]
