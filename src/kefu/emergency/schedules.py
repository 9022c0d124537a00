"""Schedules of emergency resources and the weather bulletin: each morning the register is swept for
inspections and expiries coming up or passed (RES-1), and the day's weather bulletin of every subsidiary is
opened for its duty people (WX-1). Both are idempotent: a second run the same day changes nothing."""

from datetime import time

from kefu.engine.schedules.registry import Schedule, register

RESOURCES_CHECK = Schedule(
    "emergency.resources_check", "daily", run="kefu.emergency.actions.resources.sweep", at=time(7, 0)
)
WEATHER_BULLETIN = Schedule(
    "emergency.weather_bulletin", "daily", run="kefu.emergency.actions.weather.daily", at=time(7, 30)
)
DRILL_REMINDERS = (  # DRL-1: plans short of drills this year, drills coming up, corrective actions past due
    Schedule("emergency.drill_reminders", "daily", run="kefu.emergency.actions.drills.remind", at=time(8, 0))
)


def register_jobs() -> None:
    register(RESOURCES_CHECK)
    register(WEATHER_BULLETIN)
    register(DRILL_REMINDERS)
