"""Festival dates, computed: the lunar festivals (via `lunardate`), 清明 (the solar term) and the
statutory festival days used as the CAL-3 fallback when no official 调休 schedule is known.

Pure functions, no database. Nothing here raises for a year: out of `lunardate`'s range (1900–2099)
the lunar festivals are simply absent.
"""

from datetime import date, timedelta
from functools import lru_cache

from lunardate import LunarDate

HOLIDAY = "holiday"
MAKEUP_WORKDAY = "makeup_workday"

# festival code → (Chinese name, English name); aliases accepted by schedules' `before:` rules
FESTIVALS = {
    "chunjie": ("春节", "Spring Festival"),
    "yuanxiao": ("元宵节", "Lantern Festival"),
    "qingming": ("清明节", "Qingming Festival"),
    "duanwu": ("端午节", "Dragon Boat Festival"),
    "zhongqiu": ("中秋节", "Mid-Autumn Festival"),
}
ALIASES = {
    "春节": "chunjie",
    "元宵": "yuanxiao",
    "元宵节": "yuanxiao",
    "清明": "qingming",
    "清明节": "qingming",
    "端午": "duanwu",
    "端午节": "duanwu",
    "中秋": "zhongqiu",
    "中秋节": "zhongqiu",
}


def lunar_to_solar(year: int, month: int, day: int) -> date | None:
    """The Gregorian date of lunar `year`-`month`-`day` (not a leap month); None outside 1900–2099."""
    try:
        return LunarDate(year, month, day).to_solar_date()
    except (ValueError, IndexError, OverflowError):
        return None


def qingming(year: int) -> date:
    """清明 (the solar term "Pure Brightness"): April 4 or 5 (April 6 in some years before 1944).

    The usual day-count formula [Y·D + C] − L with D = 0.2422, Y the year within its century,
    L = [Y/4] leap days, and C = 5.59 for 1901–2000, 4.81 for 2001–2100 (accurate for 1901–2099,
    checked in the tests against published dates and chinese-calendar's solar terms). Outside those
    years the formula leaves April altogether: April 5, its most frequent date, stands in (CAL-3:
    never fail on a date).
    """
    if not 1901 <= year <= 2099:
        return date(year, 4, 5)
    if year <= 2000:
        y, c = year - 1900, 5.59
    else:
        y, c = year - 2000, 4.81
    return date(year, 4, int(y * 0.2422 + c) - y // 4)


def festival_date(code: str, year: int) -> date | None:
    """The date of a festival (code or Chinese name) in Gregorian `year`; None if unknown then."""
    code = ALIASES.get(code, code)
    if code == "chunjie":
        return lunar_to_solar(year, 1, 1)
    if code == "yuanxiao":
        return lunar_to_solar(year, 1, 15)
    if code == "qingming":
        return qingming(year)
    if code == "duanwu":
        return lunar_to_solar(year, 5, 5)
    if code == "zhongqiu":
        return lunar_to_solar(year, 8, 15)
    raise ValueError(f"unknown festival {code!r}")


@lru_cache(maxsize=256)
def statutory_fallback(year: int) -> dict[date, tuple[str, str]]:
    """The statutory festival days of `year` under the 2025 rules, without any 调休 (CAL-3 fallback).

    元旦 1 day; 春节 除夕 and lunar 1/1–1/3 (4 days); 清明 1 day; 劳动节 5/1–5/2; 端午 lunar 5/5;
    中秋 lunar 8/15; 国庆 10/1–10/3. No make-up workdays: nobody can guess them.
    """
    days: dict[date, tuple[str, str]] = {date(year, 1, 1): (HOLIDAY, "元旦")}
    new_year = lunar_to_solar(year, 1, 1)
    if new_year is not None:
        for offset in range(-1, 3):
            day = new_year + timedelta(days=offset)
            if day.year == year:
                days[day] = (HOLIDAY, "春节")
    days[qingming(year)] = (HOLIDAY, "清明节")
    for day in (date(year, 5, 1), date(year, 5, 2)):
        days[day] = (HOLIDAY, "劳动节")
    for month, day_of_month, name in ((5, 5, "端午节"), (8, 15, "中秋节")):
        day = lunar_to_solar(year, month, day_of_month)
        if day is not None and day.year == year:
            days[day] = (HOLIDAY, name)
    for day_of_month in (1, 2, 3):
        days[date(year, 10, day_of_month)] = (HOLIDAY, "国庆节")
    return days


def statutory_festivals(year: int) -> dict[str, list[date]]:
    """Festival name → its statutory fallback days in `year` (元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节)."""
    named: dict[str, list[date]] = {}
    for day, (_kind, name) in sorted(statutory_fallback(year).items()):
        named.setdefault(name, []).append(day)
    return named
