"""A readable account of a due computation: what was counted and which days were skipped, why."""

from datetime import datetime, timedelta

from django.utils import translation

from kefu.engine.calendars.engine import WorkCalendar

SPECIAL = {"holiday", "makeup_workday", "closed", "extra_workday"}
KIND_TEXT = {
    "holiday": ("放假", "holiday"),
    "makeup_workday": ("调休上班", "make-up workday"),
    "closed": ("停业", "closed"),
    "extra_workday": ("加班日", "extra workday"),
}


def _hours(duration: timedelta) -> str:
    hours = duration.total_seconds() / 3600
    return f"{hours:g}"


def explain(work: WorkCalendar, start: datetime, due: datetime, *, working_days=None, duration=None) -> str:
    english = (translation.get_language() or "zh-hans").lower().startswith("en")
    local_start = start.astimezone(work.tz)
    local_due = due.astimezone(work.tz)
    tz = work.definition.time_zone
    day, last = local_start.date(), local_due.date()
    notes = []
    while day <= last and len(notes) < 40:
        info = work.day(day)
        if info.kind in SPECIAL:
            zh, en = KIND_TEXT[info.kind]
            label = en if english else zh
            notes.append(f"{day} {label}{f' {info.name}' if info.name else ''} ({info.source})")
        day += timedelta(days=1)
    if english:
        what = (
            f"{working_days} working day(s) (end of the Nth working day after the day of receipt)"
            if working_days is not None
            else f"{_hours(duration)} business hour(s)"
        )
        text = (
            f"{what} on calendar {work.code} from {local_start:%Y-%m-%d %H:%M} {tz}: "
            f"due {local_due:%Y-%m-%d %H:%M} {tz}."
        )
        return text + (f" Special days: {'; '.join(notes)}." if notes else "")
    what = (
        f"{working_days} 个工作日（受理当日不计，至第 {working_days} 个工作日下班）"
        if working_days is not None
        else f"{_hours(duration)} 个工作小时"
    )
    text = (
        f"按工作日历 {work.code}，自 {local_start:%Y-%m-%d %H:%M}（{tz}）起 {what}，"
        f"截止 {local_due:%Y-%m-%d %H:%M}（{tz}）。"
    )
    return text + (f"期间特殊日期：{'；'.join(notes)}。" if notes else "")
