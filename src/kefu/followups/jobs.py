"""The followups app's schedules (WF-5): each day's run opens the revisit tasks the periodic plans owe
(`actions.tasks.periodic`, FUP-1); opens the next period of the repeating revisit campaigns
(`actions.campaigns.repeat`, CSAT-1 periodic samples); starts the greeting campaigns whose window opens, greets the
birthdays and flags late greetings (`actions.occasions.daily`, CARE-1); and flags a month without a
cultural-exchange event (`actions.events.monthly_check`, CARE-3)."""

from kefu.engine.schedules.registry import Schedule, register

PERIODIC = Schedule("followups.periodic", "daily", run="kefu.followups.actions.tasks.periodic")
GREETINGS = Schedule("followups.care_greetings", "daily", run="kefu.followups.actions.occasions.daily")
REPEAT = Schedule("followups.campaign_repeat", "daily", run="kefu.followups.actions.campaigns.repeat")
EVENTS = Schedule("followups.care_events", "daily", run="kefu.followups.actions.events.monthly_check")


def register_schedules() -> None:
    register(PERIODIC)
    register(GREETINGS)
    register(EVENTS)
    register(REPEAT)
