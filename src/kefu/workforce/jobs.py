"""The workforce app's sweeps and schedules: every minute the rest handovers that are due open from
the published rota and the handovers not confirmed by both when the leaver left are flagged (HO-1);
each day the previous day's attendance is checked against the rota (ATT-1)."""

from datetime import timedelta

from kefu.core.worker import register_sweep
from kefu.engine.schedules.registry import Schedule, register
from kefu.workforce.actions import handovers

ATTENDANCE = Schedule("workforce.attendance_check", "daily", run="kefu.workforce.actions.attendance.daily")


def register_jobs() -> None:
    register_sweep("workforce.handover_open", timedelta(seconds=60))(handovers.open_due)
    register_sweep("workforce.handover_uncovered", timedelta(seconds=60))(handovers.flag_uncovered)
    register(ATTENDANCE)
