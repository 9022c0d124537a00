"""The workforce app's tables, one module per concern (shifts; leave, handover and attendance join them)."""

from kefu.workforce.models.attendance import AttendanceFlag, AttendanceRecord, DailyMeeting, FlagKind, Source
from kefu.workforce.models.coverage import CoverageRule, DayKind
from kefu.workforce.models.handovers import (
    Handover,
    HandoverItem,
    HandoverKind,
    HandoverLiability,
    HandoverState,
    ItemKind,
    LiabilityKind,
)
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
    "AttendanceFlag",
    "AttendanceRecord",
    "CalendarFeed",
    "ChangeKind",
    "ChangeState",
    "CoverageRule",
    "DailyMeeting",
    "DayKind",
    "FlagKind",
    "Handover",
    "HandoverItem",
    "HandoverKind",
    "HandoverLiability",
    "HandoverState",
    "ItemKind",
    "LeaveKind",
    "LeaveQuota",
    "LeaveRequest",
    "LeaveState",
    "LiabilityKind",
    "Rota",
    "RotaComment",
    "RotaShift",
    "RotaState",
    "ShiftChange",
    "ShiftTemplate",
    "Source",
]
