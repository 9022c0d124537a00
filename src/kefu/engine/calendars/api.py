"""Work calendars — the functions other parts call (docs/engine.md, CAL-1…CAL-3).

Calendars are addressed by code ("24x7", "office") or passed as a `Calendar`. Datetimes must be
aware; results are aware UTC. Nothing raises for a date outside the official holiday data: the
CAL-3 chain falls back to the statutory festival dates (see `statutory`). Each call loads the
calendar once (cached by revision) and walks day by day with window arithmetic.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.utils import translation

from kefu.engine.calendars import statutory
from kefu.engine.calendars.engine import WorkCalendar, _aware
from kefu.engine.calendars.models import Calendar


def _years_of(*instants: datetime) -> tuple[int, int]:
    """The years to check for imported schedules in the call's one query (local years may differ
    from UTC years by one; a walk past them loads more lazily)."""
    years = [i.astimezone(UTC).year for i in instants]
    return min(years) - 1, max(years) + 1


def names() -> dict[str, str]:
    """code → name of every calendar: what a page shows where a record names its calendar by code."""
    return dict(Calendar.objects.values_list("code", "name"))


def add_business(calendar, start: datetime, duration: timedelta) -> datetime:
    """`start` plus `duration` of working time on the calendar (CAL-2 business time)."""
    start = _aware(start, "start")
    return WorkCalendar(calendar, years=_years_of(start)).add_business(start, duration)


def business_between(calendar, start: datetime, end: datetime) -> timedelta:
    """Working time between two instants; 0 if end <= start."""
    start, end = _aware(start, "start"), _aware(end, "end")
    return WorkCalendar(calendar, years=_years_of(start, end)).business_between(start, end)


def add_working_days(calendar, start: datetime, days: int) -> datetime:
    """ "Within N working days" (N个工作日内): the end of the last window of the Nth working day after
    the calendar date of `start`; the day of receipt does not count (see WorkCalendar.add_working_days)."""
    start = _aware(start, "start")
    return WorkCalendar(calendar, years=_years_of(start)).add_working_days(start, days)


def next_working_instant(calendar, at: datetime) -> datetime:
    """`at` itself if inside a window (windows are [start, end)), else the start of the next window."""
    at = _aware(at, "at")
    return WorkCalendar(calendar, years=_years_of(at)).next_working_instant(at)


def is_working_day(calendar, day: date) -> bool:
    return WorkCalendar(calendar, years=(day.year, day.year)).is_working_day(day)


def previous_working_day(calendar, day: date) -> date:
    """`day` if it is a working day, else the nearest earlier one (used by schedules)."""
    return WorkCalendar(calendar, years=(day.year - 1, day.year)).previous_working_day(day)


@dataclass(frozen=True)
class CoverageWarning:
    """CAL-3: a year without an official 调休 schedule (none imported, unknown to chinese-calendar)."""

    year: int
    code: str
    zh: str
    en: str

    @property
    def message(self) -> str:
        lang = (translation.get_language() or "zh-hans").lower()
        return self.en if lang.startswith("en") else self.zh

    def as_dict(self) -> dict:
        return {
            "year": self.year,
            "code": self.code,
            "message": self.message,
            "messages": {"zh-hans": self.zh, "en": self.en},
        }


def coverage(years) -> dict[int, statutory.YearData]:
    """Which source answers for each year: an import, chinese-calendar, or the fallback."""
    return statutory.load_years(years)


def coverage_warning(year: int) -> CoverageWarning:
    """The CAL-3 warning for a year answered by the fallback (no official schedule known)."""
    return CoverageWarning(
        year,
        "CAL-3.no_official_schedule",
        f"{year} 年的法定节假日与调休安排尚未导入：目前仅按法定节日推算，不含调休上班日。"
        f"请在国务院办公厅发布通知后于“工作日历”页面导入。",
        f"No official holiday and make-up workday schedule for {year} yet: working days are "
        f"estimated from the statutory festival dates, without 调休 workdays. Import the "
        f"schedule on the Work calendars page once the State Council publishes it.",
    )


def coverage_warnings(today: date) -> list[CoverageWarning]:
    """A warning for this year and for next year when no official schedule is known (CAL-3)."""
    return [
        coverage_warning(year)
        for year, data in coverage([today.year, today.year + 1]).items()
        if not data.official
    ]


def span_warnings(work: WorkCalendar, start: datetime, end: datetime) -> list[CoverageWarning]:
    """A warning for each year a computation from `start` to `end` touches that only the fallback
    answers (CAL-3), on a calendar that follows statutory holidays — any year, 2030 as well as 2027."""
    if not work.definition.follows_statutory_holidays:
        return []
    first, last = work.local_date(min(start, end)).year, work.local_date(max(start, end)).year
    return [coverage_warning(y) for y in range(first, last + 1) if not work.year_data(y).official]


def statutory_holidays(first: date, last: date) -> set[date]:
    """The statutory holidays (放假 days, not 调休 workdays) from `first` to `last` inclusive."""
    years = coverage(range(first.year, last.year + 1))
    return {
        day
        for data in years.values()
        for day, (kind, _name) in data.days.items()
        if kind == statutory.HOLIDAY and first <= day <= last
    }
