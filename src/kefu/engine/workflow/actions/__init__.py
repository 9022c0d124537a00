"""The workflow engine's writes. Layered bottom-up, so every import is at the top and none cycles:

- `timers`: start, stop, pause and resume a record's timers (building blocks);
- `escalations`: a record one level up its chain (WF-6);
- `approvals`: open an approval chain (WF-4);
- `transitions`: a declared transition (WF-1) — stops/starts timers, opens a declared chain;
- `verdicts`: an approver's decision, ending in the chain's transition;
- `deadlines`: the worker's timer sweep — warn, then notify, escalate or transition.

Domain apps use these through `kefu.engine.workflow.api`; the names below are the package's public ones.
"""

from kefu.engine.workflow.actions import approvals, deadlines, escalations, timers, transitions, verdicts
from kefu.engine.workflow.actions.approvals import start_approval
from kefu.engine.workflow.actions.deadlines import sweep
from kefu.engine.workflow.actions.escalations import current_level, escalate, escalation_chain
from kefu.engine.workflow.actions.timers import start, stop
from kefu.engine.workflow.actions.transitions import transition
from kefu.engine.workflow.actions.verdicts import decide

__all__ = [
    "approvals",
    "current_level",
    "deadlines",
    "decide",
    "escalate",
    "escalation_chain",
    "escalations",
    "start",
    "start_approval",
    "stop",
    "sweep",
    "timers",
    "transition",
    "transitions",
    "verdicts",
]
