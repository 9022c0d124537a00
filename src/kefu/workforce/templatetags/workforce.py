"""Template filters of the workforce pages: a leave period as the days a person asked for."""

from datetime import time, timedelta

from django import template

from kefu.core import clock

register = template.Library()


def _day(value, year: bool) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if year else f"{value.month}月{value.day}日"


@register.filter
def period(leave) -> str:
    """12月14日 for a whole day, 11月28日 – 11月29日 for whole days (the stored end is the next
    midnight), times only where a period starts or ends inside a day (a half day)."""
    starts, ends = clock.local(leave.starts_at), clock.local(leave.ends_at)
    year = starts.year != clock.today().year
    if starts.time() == time(0) and ends.time() == time(0):
        last = (ends - timedelta(days=1)).date()
        if last <= starts.date():
            return _day(starts, year)
        return f"{_day(starts, year)} – {_day(last, year or last.year != starts.year)}"
    begin = f"{_day(starts, year)} {starts:%H:%M}"
    if ends.date() == starts.date():
        return f"{begin} – {ends:%H:%M}"
    return f"{begin} – {_day(ends, year or ends.year != starts.year)} {ends:%H:%M}"
