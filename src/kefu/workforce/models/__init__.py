"""The workforce app's tables, one module per concern (shifts; leave, handover and attendance join them)."""

from kefu.workforce.models.leave import LeaveKind, LeaveQuota, LeaveRequest, LeaveState
from kefu.workforce.models.shifts import Rota, RotaShift, RotaState, ShiftTemplate

__all__ = [
    "LeaveKind",
    "LeaveQuota",
    "LeaveRequest",
    "LeaveState",
    "Rota",
    "RotaShift",
    "RotaState",
    "ShiftTemplate",
]
