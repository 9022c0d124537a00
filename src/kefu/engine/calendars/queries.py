"""Read paths for calendars. Calendars are shared configuration, not scoped data: every signed-in
person may read them (deadlines are computed on them); changing them needs `calendar.manage`."""

from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q

from kefu.core.errors import Invalid, NotFound
from kefu.engine.calendars import statutory
from kefu.engine.calendars.engine import Day, WorkCalendar
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
