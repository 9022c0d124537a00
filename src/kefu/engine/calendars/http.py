"""Calendar API under /api/v1/calendars (CAL-1…CAL-3): list calendars, compute a due instant, list
the kinds of days with the source that decided each."""

from datetime import date, datetime, timedelta

from ninja import Query, Router
from ninja.pagination import paginate

from kefu.core.errors import DomainError
from kefu.core.http_support import Pagination, actor
from kefu.engine.calendars import actions, api, importing, queries
from kefu.engine.calendars.engine import WorkCalendar
from kefu.engine.calendars.explain import explain
from kefu.engine.calendars.schemas import (
    CalendarOut,
    ConfirmIn,
    DayOut,
    DueOut,
    HolidayYearOut,
    ImportIn,
    ImportPreviewOut,
)

router = Router(tags=["calendars"])
FROM = Query(..., alias="from", description="first date (YYYY-MM-DD)")
TO = Query(..., description="last date, at most 366 days after `from`")

MAX_WORKING_DAYS = 3660
MAX_BUSINESS_MINUTES = 10 * 366 * 24 * 60


def _invalid(field: str, zh: str, en: str) -> DomainError:
    return DomainError("invalid_input", zh, en, fields={field: [en]}, status=422)


def _time(value) -> str:
    return "24:00" if value.hour == 0 and value.minute == 0 and value.second == 0 else value.strftime("%H:%M")


@router.get("", response=list[CalendarOut], summary="Work calendars (CAL-1)")
@paginate(Pagination)
def list_calendars(request):
    return [
        {
            "code": c.code,
            "name": c.name,
            "time_zone": c.time_zone,
            "follows_statutory_holidays": c.follows_statutory_holidays,
            "windows": [
                {"weekday": w.weekday, "start": w.start.strftime("%H:%M"), "end": _time(w.end)}
                for w in c.windows.all()
            ],
        }
        for c in queries.calendars()
    ]


@router.get(
    "/{code}/due",
    response=DueOut,
    summary="When is something due? (CAL-2)",
    description="Give `start` (aware ISO 8601, e.g. 2025-09-30T17:00:00+08:00) and exactly one of "
    "`working_days` (N个工作日内: end of the Nth working day after the day of start), "
    "`business_hours` or `business_minutes` (working time on the calendar). `warnings` lists each year "
    "the span touches that has no official holiday schedule (CAL-3: computed on the statutory festival "
    "dates alone, without 调休 workdays), e.g. 2027 before its import or 2030.",
)
def due(
    request,
    code: str,
    start: datetime,
    working_days: int | None = None,
    business_hours: float | None = None,
    business_minutes: int | None = None,
):
    if start.tzinfo is None or start.utcoffset() is None:
        raise _invalid("start", "start 须带时区，例如 +08:00", "start must carry a time zone, e.g. +08:00")
    given = [v for v in (working_days, business_hours, business_minutes) if v is not None]
    if len(given) != 1:
        raise _invalid(
            "working_days",
            "请只提供 working_days、business_hours、business_minutes 中的一个",
            "Give exactly one of working_days, business_hours, business_minutes",
        )
    work = WorkCalendar(queries.calendar(code), years=(start.year - 1, start.year + 1))
    if working_days is not None:
        if not 0 <= working_days <= MAX_WORKING_DAYS:
            raise _invalid("working_days", "working_days 超出范围", "working_days out of range")
        result = work.add_working_days(start, working_days)
        duration = None
    else:
        minutes = business_minutes if business_minutes is not None else business_hours * 60
        if not (minutes == minutes and 0 <= minutes <= MAX_BUSINESS_MINUTES):  # NaN compares unequal
            raise _invalid("business_hours", "时长超出范围", "Duration out of range")
        duration = timedelta(minutes=minutes)
        result = work.add_business(start, duration)
    return {
        "calendar": work.code,
        "start": start,
        "due": result,
        "explanation": explain(work, start, result, working_days=working_days, duration=duration),
        "warnings": [w.as_dict() for w in api.span_warnings(work, start, result)],
    }


@router.get("/{code}/days", response=list[DayOut], summary="Kinds of days and their source (CAL-1, CAL-3)")
def days(request, code: str, from_: date = FROM, to: date = TO):
    calendar = queries.calendar(code)
    return [
        {
            "date": d.date,
            "weekday": d.date.weekday(),
            "working": d.working,
            "kind": d.kind,
            "name": d.name,
            "source": d.source,
        }
        for d in queries.days(calendar, from_, to)
    ]


@router.post(
    "/holiday-years/preview",
    response=ImportPreviewOut,
    summary="Preview the import of a year's official holiday schedule (CAL-3)",
    description="Needs `calendar.manage`. The body states the `year` the schedule covers. Checks every "
    "row (each date inside `year`, every statutory "
    "festival present) and answers what the import would change against what answers for the year "
    "now — an earlier import, chinese-calendar, or the fallback's festival days — writing nothing. "
    "Apply it with the returned `token`.",
)
def preview_import(request, payload: ImportIn):
    calendar = queries.calendar(payload.calendar) if payload.calendar else None
    return actions.preview_holiday_year(
        actor(request), payload.year, importing.parse_text(payload.text), note=payload.note, calendar=calendar
    )


@router.post(
    "/holiday-years/import",
    response=HolidayYearOut,
    summary="Apply a previewed import (CAL-3)",
    description="Needs `calendar.manage`. Replaces the year with exactly the previewed content; "
    "refused (409) if the year changed since the preview, 400 if the token was altered. Audited as "
    "`calendar.holiday_year.import`.",
)
def apply_import(request, payload: ConfirmIn):
    holiday_year = actions.confirm_holiday_year(actor(request), payload.token)
    return {
        "year": holiday_year.year,
        "days": holiday_year.days.count(),
        "imported_at": holiday_year.imported_at,
    }
