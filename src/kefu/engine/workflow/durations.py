"""Deadlines from typed policy durations (CAL-2): calendar time, business time, working days.

Pauses (WF-3) extend a deadline by the working time spent paused, measured on the same calendar.
"""

from datetime import datetime, timedelta

from kefu.engine.calendars import api as calendars
from kefu.engine.calendars.engine import WorkCalendar
from kefu.engine.policy.api import add_months

DEFAULT_CALENDAR = "office"


def _calendar(entry) -> str:
    return entry.calendar or DEFAULT_CALENDAR


def paused_length(entry, intervals) -> timedelta:
    if entry.kind == "calendar_time":
        return sum(((b - a) for a, b in intervals), timedelta())
    return sum((calendars.business_between(_calendar(entry), a, b) for a, b in intervals), timedelta())


def deadline(entry, start: datetime, intervals=()) -> datetime:
    """When a duration of `entry` started at `start` ends, extended by the paused `intervals`."""
    paused = paused_length(entry, intervals)
    if entry.kind == "calendar_time":
        return start + entry.duration() + paused
    if entry.kind == "business_time":
        return calendars.add_business(_calendar(entry), start, entry.duration() + paused)
    if entry.kind == "working_days":
        end = calendars.add_working_days(_calendar(entry), start, int(entry.value))
        return calendars.add_business(_calendar(entry), end, paused) if paused else end
    raise ValueError(f"policy entry {entry.key} is not a duration ({entry.kind})")


def fraction_point(entry, start: datetime, due: datetime, fraction: float) -> datetime:
    """The instant `fraction` of the way from start to due, in the entry's own kind of time."""
    if entry.kind == "calendar_time":
        return start + (due - start) * fraction
    calendar = _calendar(entry)
    return calendars.add_business(
        calendar, start, calendars.business_between(calendar, start, due) * fraction
    )


def lead_point(entry, due: datetime) -> datetime:
    """The instant `entry` (a lead time) before `due`.

    Calendar time counts back plainly (months by the calendar); N working days is the opening of the
    Nth working day before the due day on the entry's calendar, so a warning lands in office hours.
    """
    if entry.kind == "calendar_time":
        if entry.unit == "months":
            return add_months(due, -int(entry.value))
        return due - entry.duration()
    if entry.kind == "working_days":
        work = WorkCalendar(_calendar(entry), years=(due.year - 1, due.year))
        day = work.local_date(due)
        for _ in range(int(entry.value)):
            day = work.previous_working_day(day - timedelta(days=1))
        windows = work.intervals(day)
        return windows[0][0] if windows else due
    raise ValueError(f"policy entry {entry.key} is not a lead time ({entry.kind})")
