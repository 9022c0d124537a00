"""FUP-2: a customer's contact window (Customer.contact_window, free text such as "12:00–14:00").

Pure functions. A window text holds one or more ranges "HH:MM–HH:MM" (dash, en dash, ~, 至 or 到;
full-width colons accepted), separated by commas, semicolons, 、 or blanks; a range whose end is before
its start runs past midnight. An empty text means no restriction.
"""

import re
from datetime import datetime, time, timedelta

from kefu.core import clock
from kefu.core.errors import Invalid

_RANGE = re.compile(r"^(\d{1,2})[:：](\d{2})\s*(?:-|–|—|~|～|至|到)\s*(\d{1,2})[:：](\d{2})$")
_SEPARATORS = re.compile(r"[,，;；、]+|\s{2,}|\s(?=\d{1,2}[:：]\d{2}\s*(?:-|–|—|~|～|至|到))")


def _time(hours: str, minutes: str) -> time:
    h, m = int(hours), int(minutes)
    if h == 24 and m == 0:
        return time(23, 59, 59)
    return time(h, m)


def parse(text: str) -> list[tuple[time, time]]:
    """The ranges of a window text; [] for an empty text. Unreadable text raises Invalid."""
    ranges = []
    for part in _SEPARATORS.split((text or "").strip()):
        part = part.strip()
        if not part:
            continue
        match = _RANGE.match(part)
        try:
            if match is None:
                raise ValueError(part)
            ranges.append((_time(*match.group(1, 2)), _time(*match.group(3, 4))))
        except ValueError:
            raise Invalid(
                "contact_window_unreadable",
                f"客户的联系时段「{text}」无法识别，请按“12:00–14:00”的格式填写",
                f"The customer's contact window {text!r} cannot be read; write it as 12:00–14:00",
                fields={"contact_window": ["unreadable"]},
            ) from None
    return ranges


def _inside(ranges, moment: time) -> bool:
    for start, end in ranges:
        if start <= end and start <= moment < end:
            return True
        if start > end and (moment >= start or moment < end):
            return True
    return False


def opens_at(text: str, at: datetime) -> datetime:
    """`at` when it is inside the window (or there is none), else the next moment the window opens."""
    ranges = parse(text)
    local = clock.local(at)
    if not ranges or _inside(ranges, local.time()):
        return at
    starts = []
    for days in (0, 1):
        day = local.date() + timedelta(days=days)
        for start, _ in ranges:
            candidate = datetime.combine(day, start, tzinfo=local.tzinfo)
            if candidate > local:
                starts.append(candidate)
    return min(starts)
