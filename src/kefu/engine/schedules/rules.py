"""Schedule rules (WF-5) and their periods: each period has a key and a nominal date.

    daily                      key 2026-11-24   every date
    weekly:MON                 key 2026-W48     that weekday of each ISO week
    monthly:first-MON          key 2026-11      the first Monday of each month (also first-1 … first-7,
                               ISO weekday numbers, for a weekday read from the policy pack)
    monthly:15                 key 2026-11      a day of the month (1–28)
    quarterly                  key 2026-Q4      the first day of each quarter
    months:N                   key 2026-11      the first day of every Nth month (month index since
                               year 0 divisible by N; N = 3 is `quarterly`, with its keys)
    yearly:MM-DD               key 2026         that date each year (not 02-29)
    before:<festival>:<N>d     key 2026-09-25   N days before the festival's date that year — the
                               festival is 春节/chunjie, 元宵节/yuanxiao, 清明/qingming, 端午节/duanwu,
                               中秋节/zhongqiu (lunar ones via lunardate) or a fixed MM-DD; the key is
                               the festival's own date.

Pure: no database.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from kefu.engine.calendars.festivals import ALIASES, FESTIVALS, festival_date

WEEKDAYS = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]


@dataclass(frozen=True)
class Rule:
    text: str
    kind: str  # daily / weekly / monthly_first / monthly_day / quarterly / months / yearly / before
    weekday: int | None = None
    month: int | None = None
    day: int | None = None
    festival: str | None = None  # festival code, or None with month/day for a fixed date
    days_before: int = 0
    every: int = 1  # months: every Nth month

    @property
    def lookback(self) -> timedelta:
        """How far back a first sight looks for the latest due period (covers any working-day shift)."""
        return {
            "daily": timedelta(days=40),
            "weekly": timedelta(days=50),
            "monthly_first": timedelta(days=100),
            "monthly_day": timedelta(days=100),
            "quarterly": timedelta(days=200),
            "months": timedelta(days=31 * self.every + 100),
        }.get(self.kind, timedelta(days=800 + self.days_before))

    def periods(self, first: date, last: date) -> Iterator[tuple[str, date]]:
        """(key, nominal date) of every period whose nominal date lies in [first, last], in order."""
        if self.kind == "daily":
            day = first
            while day <= last:
                yield day.isoformat(), day
                day += timedelta(days=1)
        elif self.kind == "weekly":
            day = first + timedelta(days=(self.weekday - first.weekday()) % 7)
            while day <= last:
                iso = day.isocalendar()
                yield f"{iso.year}-W{iso.week:02d}", day
                day += timedelta(days=7)
        elif self.kind in ("monthly_first", "monthly_day", "quarterly", "months"):
            year, month = first.year, first.month
            while date(year, month, 1) <= last:
                day = self._in_month(year, month)
                if day is not None and first <= day <= last:
                    key = (
                        f"{year}-Q{(month - 1) // 3 + 1}"
                        if self.kind == "quarterly"
                        else f"{year}-{month:02d}"
                    )
                    yield key, day
                month += 1
                if month == 13:
                    year, month = year + 1, 1
        else:  # yearly / before: one period per year
            for year in range(first.year - 1, last.year + 2):
                anchor = self._anchor(year)
                if anchor is None:
                    continue
                day = anchor - timedelta(days=self.days_before)
                if first <= day <= last:
                    yield (str(year) if self.kind == "yearly" else anchor.isoformat()), day

    def _in_month(self, year: int, month: int) -> date | None:
        if self.kind == "monthly_first":
            first_day = date(year, month, 1)
            return first_day + timedelta(days=(self.weekday - first_day.weekday()) % 7)
        if self.kind == "monthly_day":
            return date(year, month, self.day)
        if self.kind == "months":
            return date(year, month, 1) if (year * 12 + month - 1) % self.every == 0 else None
        return date(year, month, 1) if month in (1, 4, 7, 10) else None

    def _anchor(self, year: int) -> date | None:
        if self.festival is not None:
            return festival_date(self.festival, year)
        if 1 <= year <= 9999:
            return date(year, self.month, self.day)
        return None


def _month_day(text: str, rule: str) -> tuple[int, int]:
    try:
        month, day = (int(p) for p in text.split("-"))
        date(2001, month, day)  # a non-leap year: 02-29 is refused
    except ValueError as error:
        raise ValueError(
            f"schedule rule {rule!r}: {text!r} is not a valid MM-DD (02-29 not allowed)"
        ) from error
    return month, day


def parse(rule: str) -> Rule:
    """Parse a rule string; ValueError names what is wrong (a programming error, found at register time)."""
    parts = rule.strip().split(":")
    head = parts[0]
    if head == "daily" and len(parts) == 1:
        return Rule(rule, "daily")
    if head == "quarterly" and len(parts) == 1:
        return Rule(rule, "quarterly")
    if head == "months" and len(parts) == 2 and parts[1].isdigit() and 1 <= int(parts[1]) <= 120:
        every = int(parts[1])
        return Rule(rule, "quarterly") if every == 3 else Rule(rule, "months", every=every)
    if head == "weekly" and len(parts) == 2 and parts[1].upper() in WEEKDAYS:
        return Rule(rule, "weekly", weekday=WEEKDAYS.index(parts[1].upper()))
    if head == "monthly" and len(parts) == 2:
        arg = parts[1]
        if arg.lower().startswith("first-") and arg[6:].upper() in WEEKDAYS:
            return Rule(rule, "monthly_first", weekday=WEEKDAYS.index(arg[6:].upper()))
        if arg.lower().startswith("first-") and arg[6:] in ("1", "2", "3", "4", "5", "6", "7"):
            return Rule(rule, "monthly_first", weekday=int(arg[6:]) - 1)
        if arg.isdigit() and 1 <= int(arg) <= 28:
            return Rule(rule, "monthly_day", day=int(arg))
    if head == "yearly" and len(parts) == 2:
        month, day = _month_day(parts[1], rule)
        return Rule(rule, "yearly", month=month, day=day)
    if head == "before" and len(parts) == 3 and parts[2].endswith("d") and parts[2][:-1].isdigit():
        days = int(parts[2][:-1])
        if days > 366:
            raise ValueError(f"schedule rule {rule!r}: at most 366 days before")
        target = parts[1]
        code = ALIASES.get(target, target.lower())
        if code in FESTIVALS:
            return Rule(rule, "before", festival=code, days_before=days)
        month, day = _month_day(target, rule)
        return Rule(rule, "before", month=month, day=day, days_before=days)
    raise ValueError(
        f"unknown schedule rule {rule!r}: use daily, weekly:MON, monthly:first-MON, monthly:15, quarterly, months:N, "
        f"yearly:MM-DD or before:<festival|MM-DD>:<N>d"
    )
