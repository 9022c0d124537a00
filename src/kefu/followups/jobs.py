"""The followups app's schedules (WF-5): each day's run opens the revisit tasks the periodic plans owe
(`actions.tasks.periodic`, FUP-1); starts the greeting campaigns whose window opens, greets the
birthdays and flags late greetings (`actions.occasions.daily`, CARE-1); and flags a month without a
cultural-exchange event (`actions.events.monthly_check`, CARE-3)."""

from kefu.engine.schedules.registry import Schedule, register

PERIODIC = Schedule("followups.periodic", "daily", run="kefu.followups.actions.tasks.periodic")
GREETINGS = Schedule("followups.care_greetings", "daily", run="kefu.followups.actions.occasions.daily")
EVENTS = Schedule("followups.care_events", "daily", run="kefu.followups.actions.events.monthly_check")


def register_schedules() -> None:
    register(PERIODIC)
    register(GREETINGS)
    register(EVENTS)
