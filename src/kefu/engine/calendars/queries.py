"""Read paths for calendars. Calendars are shared configuration, not scoped data: every signed-in
person may read them (deadlines are computed on them); changing them needs `calendar.manage`."""

import hashlib
import json
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q

from kefu.core.errors import Invalid, NotFound
from kefu.engine.calendars import statutory
from kefu.engine.calendars.engine import Day, WorkCalendar
from kefu.engine.calendars.festivals import HOLIDAY
from kefu.engine.calendars.models import Calendar, CalendarOverride, CalendarWindow, HolidayYear

MAX_DAYS_LISTED = 366


def calendars():
    return Calendar.objects.prefetch_related(
        Prefetch("windows", queryset=CalendarWindow.objects.order_by("weekday", "start"))
    ).order_by("code")


def calendar(code: str) -> Calendar:
    found = Calendar.objects.filter(code=code).first()
    if found is None:
        raise NotFound("工作日历", "calendar")
    return found


def overrides(since: date):
    return CalendarOverride.objects.filter(date__gte=since).select_related("calendar").order_by("date")


def override(pk: int) -> CalendarOverride:
    found = CalendarOverride.objects.filter(pk=pk).select_related("calendar").first()
    if found is None:
        raise NotFound("例外日期", "override")
    return found


def coverage(today: date) -> list[dict]:
    """This year and next: which source answers, and what an import holds (CAL-3)."""
    years = [today.year, today.year + 1]
    data = statutory.load_years(years)
    imported = {
        row.year: row
        for row in HolidayYear.objects.filter(year__in=years)
        .select_related("imported_by")
        .annotate(
            holidays=Count("days", filter=Q(days__kind="holiday")),
            makeup_workdays=Count("days", filter=Q(days__kind="makeup_workday")),
        )
    }
    rows = []
    for year in years:
        item = data[year]
        rows.append(
            {
                "year": year,
                "source": item.source,
                "official": item.official,
                "imported": imported.get(year),
                "holidays": sum(1 for k, _ in item.days.values() if k == "holiday"),
                "makeup_workdays": sum(1 for k, _ in item.days.values() if k == "makeup_workday"),
            }
        )
    return rows


def days(code_or_calendar, start: date, end: date) -> list[Day]:
    """Every date from `start` to `end` inclusive with its kind and source (at most a year)."""
    if end < start:
        raise Invalid(
            "invalid_range", "结束日期早于开始日期", "`to` is before `from`", fields={"to": ["before from"]}
        )
    if (end - start).days + 1 > MAX_DAYS_LISTED:
        raise Invalid(
            "range_too_long",
            f"一次最多列出 {MAX_DAYS_LISTED} 天",
            f"At most {MAX_DAYS_LISTED} days at a time",
            fields={"to": ["range too long"]},
        )
    work = WorkCalendar(code_or_calendar, years=(start.year, end.year))
    return [work.day(start + timedelta(days=i)) for i in range((end - start).days + 1)]


def _entry(kind_name) -> dict | None:
    return None if kind_name is None else {"kind": kind_name[0], "name": kind_name[1]}


def fingerprint(data: statutory.YearData) -> str:
    """What answers for a year now (source and days): a confirm applies only over what was previewed."""
    days = sorted((str(d), k, n) for d, (k, n) in data.days.items())
    return hashlib.sha256(json.dumps([data.source, days], ensure_ascii=False).encode()).hexdigest()


def import_diff(year: int, rows, calendar: Calendar | None = None) -> dict:
    """What importing `rows` [(date, kind, name)] for `year` would change (CAL-3, issue 13): the days
    added, removed and changed against what answers now — an earlier import, chinese-calendar or the
    fallback's festival days. With `calendar`, each row also says whether the date is a working day on
    it before and after (its overrides and weekly windows still apply)."""
    current = statutory.load_years([year])[year]
    after = {day: (kind, name) for day, kind, name in rows}
    changes = []
    for day in sorted(set(current.days) | set(after)):
        old, new = current.days.get(day), after.get(day)
        if old == new:
            continue
        change = "added" if old is None else "removed" if new is None else "changed"
        changes.append({"date": day, "change": change, "before": _entry(old), "after": _entry(new)})
    if calendar is not None:
        before_work = WorkCalendar(calendar, years=(year, year))
        after_work = WorkCalendar(calendar).assume_year(statutory.YearData(year, statutory.IMPORT, after))
        for row in changes:
            row["working_before"] = before_work.day(row["date"]).working
            row["working_after"] = after_work.day(row["date"]).working
    return {
        "year": year,
        "source": current.source,
        "official": current.official,
        "base": fingerprint(current),
        "holidays": sum(1 for _, kind, _ in rows if kind == HOLIDAY),
        "makeup_workdays": sum(1 for _, kind, _ in rows if kind != HOLIDAY),
        "added": [c for c in changes if c["change"] == "added"],
        "removed": [c for c in changes if c["change"] == "removed"],
        "changed": [c for c in changes if c["change"] == "changed"],
        "changes": changes,
    }


def month(code_or_calendar, year: int, month_number: int) -> list[list[Day]]:
    """The weeks (Monday first) covering a month, each a list of seven days with kind and name."""
    first = date(year, month_number, 1)
    last = (first + timedelta(days=31)).replace(day=1) - timedelta(days=1)
    start, end = first - timedelta(days=first.weekday()), last + timedelta(days=6 - last.weekday())
    listed = days(code_or_calendar, start, end)
    return [listed[i : i + 7] for i in range(0, len(listed), 7)]
