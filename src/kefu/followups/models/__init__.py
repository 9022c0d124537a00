"""The followups app's tables, one module per concern (revisits; surveys and care join them)."""

from kefu.followups.models.revisits import (
    Outcome,
    RevisitAttempt,
    RevisitPlan,
    RevisitTask,
    TaskState,
    Trigger,
)

__all__ = [
    "Outcome",
    "RevisitAttempt",
    "RevisitPlan",
    "RevisitTask",
    "TaskState",
    "Trigger",
]
