"""Periodic schedules (WF-5): declare with `register(Schedule(name, rule, run, calendar))`."""

from kefu.engine.schedules.registry import SCHEDULES, Schedule, register, unregister

__all__ = ["SCHEDULES", "Schedule", "register", "unregister"]
