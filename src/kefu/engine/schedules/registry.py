"""Schedules are declared in code: `register(Schedule(...))` from an app's `ready()` (WF-5)."""

from dataclasses import dataclass, field
from datetime import time, timedelta

from django.utils.module_loading import import_string

from kefu.engine.schedules.rules import Rule, parse


@dataclass(frozen=True)
class Schedule:
    """A periodic task. `run` is the dotted path of a callable taking the `ScheduleRun`.

    The period becomes due at `at` (local time on the calendar's time zone) on its date. With
    `working_day=True` a date that is not a working day on `calendar` moves to the previous working
    day — except for `daily`, whose non-working days simply have no period. `max_lateness` (optional)
    drops periods that became due longer ago than that (a greeting a month late is no greeting).

    With `policy_key` the rule's number is a policy value (issue 13: "每季度" is the pack's, not the
    code's): `rule` holds `{value}` — e.g. "months:{value}" with customers.reverify_every — and is
    read from the pack in force at each sweep (`actions.rule_at`).
    """

    name: str
    rule: str
    run: str
    calendar: str = "office"
    working_day: bool = False
    at: time = time(8, 30)
    max_lateness: timedelta | None = None
    policy_key: str = ""
    parsed: Rule = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        if not self.name or len(self.name) > 100:
            raise ValueError("a schedule needs a name of at most 100 characters")
        # a rule with {value} is checked with a sample value; the pack's is read at each sweep
        object.__setattr__(self, "parsed", parse(self.rule.format(value=1) if self.policy_key else self.rule))

    def callable(self):
        return import_string(self.run)


SCHEDULES: dict[str, Schedule] = {}


def register(schedule: Schedule) -> Schedule:
    """Declare a schedule; registering the same declaration twice is harmless, a different one under
    the same name is an error."""
    existing = SCHEDULES.get(schedule.name)
    if existing is not None and existing != schedule:
        raise ValueError(f"schedule {schedule.name!r} is already registered with another definition")
    SCHEDULES[schedule.name] = schedule
    return schedule


def unregister(name: str) -> None:
    SCHEDULES.pop(name, None)
