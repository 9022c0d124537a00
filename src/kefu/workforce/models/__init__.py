"""The workforce app's tables, one module per concern (shifts; leave, handover and attendance join them)."""

from kefu.workforce.models.coverage import CoverageRule, DayKind
from kefu.workforce.models.leave import LeaveKind, LeaveQuota, LeaveRequest, LeaveState
from kefu.workforce.models.rotas import (
    CalendarFeed,
    ChangeKind,
    ChangeState,
    RotaComment,
    ShiftChange,
)
from kefu.workforce.models.shifts import Rota, RotaShift, RotaState, ShiftTemplate

__all__ = [
    "CalendarFeed",
    "ChangeKind",
    "ChangeState",
    "CoverageRule",
    "DayKind",
    "LeaveKind",
    "LeaveQuota",
    "LeaveRequest",
    "LeaveState",
    "Rota",
    "RotaComment",
    "RotaShift",
    "RotaState",
    "ShiftChange",
    "ShiftTemplate",
]
