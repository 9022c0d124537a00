"""The calendar arithmetic (CAL-1, CAL-2): a calendar definition loaded once per call, then pure
day-by-day window arithmetic — never minute by minute.

Definitions are cached in process memory keyed by the calendar's random `revision` (renewed by every
action that changes windows or overrides), so a call costs one query for the calendar row and, when
the calendar follows statutory holidays, one for the imported-years check (`statutory.load_years`).
Inside a request or a sweep (`kefu.core.memo`) both are read once for the whole request (issue 11).
"""

import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kefu.core import clock, memo
from kefu.core.errors import Invalid, NotFound
from kefu.engine.calendars import statutory
from kefu.engine.calendars.festivals import HOLIDAY
from kefu.engine.calendars.models import Calendar, CalendarOverride, CalendarWindow

MIDNIGHT = time(0, 0)
# a calendar without a single working window this long is misconfigured: refuse instead of looping
MAX_IDLE_DAYS = 3700


@dataclass(frozen=True)
class Day:
    """What one date is on a calendar, and why."""

    date: date
    working: bool
    kind: str  # workday / rest / holiday / makeup_workday / closed / extra_workday
    name: str
    source: str  # weekly / override / import / chinese-calendar / fallback
    windows: tuple[tuple[time, time], ...]


@dataclass(frozen=True)
class Definition:
    pk: int
    code: str
    name: str
    time_zone: str
    follows_statutory_holidays: bool
    revision: str
    weekly: dict  # weekday → tuple of (start, end) local times
    overrides: dict  # date → (kind, note)


_definitions: dict[str, Definition] = {}
_lock = threading.Lock()


def _definition(calendar) -> Definition:
    if isinstance(calendar, Calendar):
        row = {
            "pk": calendar.pk,
            "code": calendar.code,
            "name": calendar.name,
            "time_zone": calendar.time_zone,
            "follows_statutory_holidays": calendar.follows_statutory_holidays,
            "revision": calendar.revision,
        }
    else:
        code = str(calendar)
        row = memo.shared(
            ("calendars.row", code),
            lambda: (
                Calendar.objects.filter(code=code)
                .values("pk", "code", "name", "time_zone", "follows_statutory_holidays", "revision")
                .first()
            ),
        )
        if row is None:
            raise NotFound("工作日历", "calendar")
    cached = _definitions.get(row["code"])
    if cached is not None and cached.revision == row["revision"] and cached.pk == row["pk"]:
        return cached
    weekly: dict[int, list] = {}
    for weekday, start, end in CalendarWindow.objects.filter(calendar_id=row["pk"]).values_list(
        "weekday", "start", "end"
    ):
        weekly.setdefault(weekday, []).append((start, end))
    overrides = {
        day: (kind, note)
        for day, kind, note in CalendarOverride.objects.filter(calendar_id=row["pk"]).values_list(
            "date", "kind", "note"
        )
    }
    definition = Definition(
        weekly={k: tuple(sorted(v)) for k, v in weekly.items()}, overrides=overrides, **row
    )
    with _lock:
        _definitions[row["code"]] = definition
    return definition


def clear_cache() -> None:
    with _lock:
        _definitions.clear()
    statutory.clear_cache()


def _aware(value: datetime, name: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise Invalid(
            "naive_datetime",
            f"{name} 须带时区（例如 2026-03-02T10:00:00+08:00）",
            f"{name} must be timezone-aware (e.g. 2026-03-02T10:00:00+08:00)",
            fields={name: ["timezone required"]},
        )
    return value.astimezone(UTC)


class WorkCalendar:
    """One calendar, loaded for the duration of a call (or a sweep)."""

    def __init__(self, calendar, *, years: tuple[int, int] | None = None):
        self.definition = _definition(calendar)
        try:
            self.tz = ZoneInfo(self.definition.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            self.tz = clock.zone()  # the product's zone when the definition names none valid
        self._years: dict[int, statutory.YearData] = {}
        self._days: dict[date, Day] = {}
        self._intervals: dict[date, list[tuple[datetime, datetime]]] = {}
        if years is not None and self.definition.follows_statutory_holidays:
            self._years.update(statutory.load_years(range(years[0], years[1] + 1)))

    @property
    def code(self) -> str:
        return self.definition.code

    # ── days ──────────────────────────────────────────────────────────────────────────────

    def year_data(self, year: int) -> statutory.YearData:
        data = self._years.get(year)
        if data is None:
            self._years.update(statutory.load_years([year, year + 1]))
            data = self._years[year]
        return data

    def assume_year(self, data: statutory.YearData) -> "WorkCalendar":
        """Answer `data.year` from `data` (a previewed import, not yet written) instead of the chain."""
        self._years[data.year] = data
        self._days.clear()
        self._intervals.clear()
        return self

    def _workday_windows(self, day: date) -> tuple:
        weekly = self.definition.weekly
        return weekly.get(day.weekday()) or weekly.get(0) or next(iter(weekly.values()), ())

    def day(self, day: date) -> Day:
        known = self._days.get(day)
        if known is not None:
            return known
        result = self._classify(day)
        self._days[day] = result
        return result

    def _classify(self, day: date) -> Day:
        override = self.definition.overrides.get(day)
        if override is not None:
            kind, note = override
            if kind == "closed":
                return Day(day, False, "closed", note, "override", ())
            windows = self._workday_windows(day)
            return Day(day, bool(windows), "extra_workday", note, "override", windows)
        if self.definition.follows_statutory_holidays:
            data = self.year_data(day.year)
            entry = data.days.get(day)
            if entry is not None:
                kind, name = entry
                if kind == HOLIDAY:
                    return Day(day, False, "holiday", name, data.source, ())
                windows = self._workday_windows(day)
                return Day(day, bool(windows), "makeup_workday", name, data.source, windows)
        windows = self.definition.weekly.get(day.weekday(), ())
        return Day(day, bool(windows), "workday" if windows else "rest", "", "weekly", windows)

    def is_working_day(self, day: date) -> bool:
        return self.day(day).working

    def intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        """The working intervals of a local date, as merged, sorted UTC instants."""
        known = self._intervals.get(day)
        if known is not None:
            return known
        spans = []
        for start, end in self.day(day).windows:
            begin = datetime.combine(day, start, self.tz)
            if end == MIDNIGHT:
                finish = datetime.combine(day + timedelta(days=1), MIDNIGHT, self.tz)
            else:
                finish = datetime.combine(day, end, self.tz)
            begin, finish = begin.astimezone(UTC), finish.astimezone(UTC)
            if finish > begin:
                spans.append((begin, finish))
        spans.sort()
        merged: list[tuple[datetime, datetime]] = []
        for begin, finish in spans:
            if merged and begin <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], finish))
            else:
                merged.append((begin, finish))
        self._intervals[day] = merged
        return merged

    def local_date(self, at: datetime) -> date:
        return at.astimezone(self.tz).date()

    def _no_working_time(self):
        return Invalid(
            "calendar_without_working_time",
            f"工作日历 {self.code} 在很长时间内没有任何工作时间，请检查其时间段与例外日期",
            f"Calendar {self.code} has no working time for years; check its windows and overrides",
        )

    # ── arithmetic ───────────────────────────────────────────────────────────────────────

    def next_working_instant(self, at: datetime) -> datetime:
        at = _aware(at, "at")
        day = self.local_date(at)
        for _ in range(MAX_IDLE_DAYS):
            for begin, finish in self.intervals(day):
                if finish > at:
                    return max(begin, at)
            day += timedelta(days=1)
        raise self._no_working_time()

    def previous_working_day(self, day: date) -> date:
        """`day` if it is a working day, else the nearest working day before it."""
        for _ in range(MAX_IDLE_DAYS):
            if self.is_working_day(day):
                return day
            day -= timedelta(days=1)
        raise self._no_working_time()

    def add_business(self, start: datetime, duration: timedelta) -> datetime:
        at = _aware(start, "start")
        if duration < timedelta(0):
            raise Invalid(
                "negative_duration",
                "时长不能为负数",
                "The duration may not be negative",
                {"duration": ["< 0"]},
            )
        if duration == timedelta(0):
            return at
        remaining = duration
        day = self.local_date(at)
        idle = 0
        while idle < MAX_IDLE_DAYS:
            spans = self.intervals(day)
            idle = 0 if spans else idle + 1
            for begin, finish in spans:
                if finish <= at:
                    continue
                begin = max(begin, at)
                available = finish - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
            day += timedelta(days=1)
        raise self._no_working_time()

    def business_between(self, start: datetime, end: datetime) -> timedelta:
        start, end = _aware(start, "start"), _aware(end, "end")
        if end <= start:
            return timedelta(0)
        total = timedelta(0)
        day, last = self.local_date(start), self.local_date(end)
        while day <= last:
            for begin, finish in self.intervals(day):
                overlap = min(finish, end) - max(begin, start)
                if overlap > timedelta(0):
                    total += overlap
            day += timedelta(days=1)
        return total

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """ "Within N working days of receipt" (N个工作日内): the end of the Nth working day after the
        calendar date of `start` — the day of receipt never counts, whatever the hour. So a request
        received on Tuesday 10:00 with 1 working day is due at the end of Wednesday's last window;
        received on Saturday, at the end of Monday. N = 0 ("the same day", 当天) is the end of the day
        of receipt if it is a working day still open, else the end of the next working day."""
        at = _aware(start, "start")
        if days < 0:
            raise Invalid(
                "negative_duration", "工作日数不能为负数", "The number of working days may not be negative"
            )
        day = self.local_date(at)
        if days == 0:
            spans = self.intervals(day)
            if spans and spans[-1][1] > at:
                return spans[-1][1]
            days = 1
        counted = idle = 0
        while idle < MAX_IDLE_DAYS:
            day += timedelta(days=1)
            spans = self.intervals(day)
            if not spans:
                idle += 1
                continue
            idle = 0
            counted += 1
            if counted == days:
                return spans[-1][1]
        raise self._no_working_time()


def load(calendar, *, years: tuple[int, int] | None = None) -> WorkCalendar:
    return WorkCalendar(calendar, years=years)
