"""The workforce app's tables, one module per concern (shifts; leave, handover and attendance join them)."""

from kefu.workforce.models.attendance import AttendanceFlag, AttendanceRecord, FlagKind, Source
from kefu.workforce.models.handovers import (
    Handover,
    HandoverItem,
    HandoverKind,
    HandoverLiability,
    HandoverState,
    ItemKind,
    LiabilityKind,
)
from kefu.workforce.models.shifts import Rota, RotaShift, RotaState, ShiftTemplate

__all__ = [
    "AttendanceFlag",
    "AttendanceRecord",
    "FlagKind",
    "Handover",
    "HandoverItem",
    "HandoverKind",
    "HandoverLiability",
    "HandoverState",
    "ItemKind",
    "LiabilityKind",
    "Rota",
    "RotaShift",
    "RotaState",
    "ShiftTemplate",
    "Source",
]
