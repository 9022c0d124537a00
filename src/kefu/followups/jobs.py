"""The periodic revisits' daily schedule (FUP-1, WF-5): each day's run opens the revisit tasks the
periodic plans owe (`actions.tasks.periodic`)."""

from kefu.engine.schedules.registry import Schedule, register

PERIODIC = Schedule("followups.periodic", "daily", run="kefu.followups.actions.tasks.periodic")


def register_schedules() -> None:
    register(PERIODIC)
