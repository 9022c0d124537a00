"""Is a date a statutory holiday or a 调休 make-up workday? The CAL-3 data-source chain:

1. an imported `HolidayYear` for that year (the administrator's official schedule);
2. the `chinese_calendar` library for the years it knows (it raises NotImplementedError otherwise);
3. the statutory festival dates alone (`festivals.statutory_fallback`), with no make-up workdays.

Imported years are cached in process memory keyed by the row's random `token`, so each lookup costs
one small query (which years are imported, with which token) and days are re-read only after an import.
"""

import threading
from dataclasses import dataclass, field
from datetime import MAXYEAR, MINYEAR, date
from functools import lru_cache

import chinese_calendar

from kefu.core import memo
from kefu.engine.calendars.festivals import HOLIDAY, MAKEUP_WORKDAY, statutory_fallback
from kefu.engine.calendars.models import HolidayDay, HolidayYear

IMPORT = "import"
LIBRARY = "chinese-calendar"
FALLBACK = "fallback"

# chinese_calendar's English names → the Chinese names used everywhere else
LIBRARY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


@dataclass(frozen=True)
class YearData:
    year: int
    source: str  # IMPORT (or the imported row's own source label) / LIBRARY / FALLBACK
    days: dict[date, tuple[str, str]] = field(default_factory=dict)  # date → (kind, name)
    official: bool = True  # False for the fallback: CAL-3 warns


@lru_cache(maxsize=64)
def library_year(year: int) -> YearData | None:
    """chinese_calendar's data for `year`, or None when the library does not know the year."""
    try:
        chinese_calendar.is_holiday(date(year, 6, 1))
    except NotImplementedError:
        return None
    except (ValueError, OverflowError):
        return None
    days: dict[date, tuple[str, str]] = {}
    for day, name in chinese_calendar.holidays.items():
        if day.year == year:
            days[day] = (HOLIDAY, LIBRARY_NAMES.get(str(name), str(name)))
    for day, name in chinese_calendar.workdays.items():
        if day.year == year:
            days[day] = (MAKEUP_WORKDAY, LIBRARY_NAMES.get(str(name), str(name)))
    return YearData(year, LIBRARY, days)


def fallback_year(year: int) -> YearData:
    return YearData(year, FALLBACK, statutory_fallback(year), official=False)


_imported: dict[int, tuple[str, YearData]] = {}  # year → (token, data)
_lock = threading.Lock()


def load_years(years) -> dict[int, YearData]:
    """YearData for each year, following the chain. One query, plus one after an import changed a year."""
    years = sorted(y for y in set(years) if MINYEAR <= y <= MAXYEAR)  # year + 1 of 9999 is no year
    if not years:
        return {}
    if memo.active():  # every imported year (one row each), once per request or sweep
        every = memo.shared(
            ("calendars.years",),
            lambda: {y: (t, s) for y, t, s in HolidayYear.objects.values_list("year", "token", "source")},
        )
        rows = {y: every[y] for y in years if y in every}
    else:
        rows = {
            y: (token, source)
            for y, token, source in HolidayYear.objects.filter(year__in=years).values_list(
                "year", "token", "source"
            )
        }
    fresh: dict[int, YearData] = {}
    for y, (token, _source) in rows.items():
        cached = _imported.get(y)
        if cached is not None and cached[0] == token:
            fresh[y] = cached[1]
    stale = [y for y in rows if y not in fresh]
    if stale:
        loaded: dict[int, dict] = {y: {} for y in stale}
        for day, kind, name, y in HolidayDay.objects.filter(holiday_year__year__in=stale).values_list(
            "date", "kind", "name", "holiday_year__year"
        ):
            loaded[y][day] = (kind, name)
        with _lock:
            for y in stale:
                fresh[y] = YearData(y, rows[y][1] or IMPORT, loaded[y])
                _imported[y] = (rows[y][0], fresh[y])
    result = {}
    for y in years:
        if y in fresh:
            result[y] = fresh[y]
        else:
            result[y] = library_year(y) or fallback_year(y)
    return result


def year_source(year: int) -> YearData:
    return load_years([year])[year]


def clear_cache() -> None:
    with _lock:
        _imported.clear()
