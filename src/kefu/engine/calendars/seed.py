"""The seeded calendars (CAL-1) and the admin grant; models passed in so migrations can use it too."""

from datetime import time

# The seeds give the office day ("工作时间为每天8:30-17:30", 001 · 公司规章制度客服运营方案) but no lunch
# break: the 12:00–13:00 pause is this system's default, and the calendar's name says so (issue 13).
OFFICE_NAME_BEFORE = "办公时间（周一至周五 8:30–17:30）"
OFFICE_NAME = "办公时间（周一至周五 8:30–17:30；午休 12:00–13:00 为本系统默认值）"

CALENDARS = [
    # code, name, follows statutory holidays, {weekday: [(start, end)]}; end 00:00 = 24:00
    ("24x7", "24小时全天候", False, {wd: [(time(0, 0), time(0, 0))] for wd in range(7)}),
    (
        "office",
        OFFICE_NAME,
        True,
        {wd: [(time(8, 30), time(12, 0)), (time(13, 0), time(17, 30))] for wd in range(5)},
    ),
]

PERMISSION = "calendar.manage"


def apply(Calendar, CalendarWindow) -> None:
    """Create the seeded calendars that are missing (never changes an existing one)."""
    for code, name, follows, weekly in CALENDARS:
        calendar, created = Calendar.objects.get_or_create(
            code=code,
            defaults={"name": name, "time_zone": "Asia/Shanghai", "follows_statutory_holidays": follows},
        )
        if created:
            CalendarWindow.objects.bulk_create(
                [
                    CalendarWindow(calendar=calendar, weekday=wd, start=start, end=end)
                    for wd, windows in weekly.items()
                    for start, end in windows
                ]
            )


def mark_office_lunch_break(Calendar) -> None:
    """Rename the seeded office calendar if nobody renamed it: its lunch break is a default (issue 13)."""
    Calendar.objects.filter(code="office", name=OFFICE_NAME_BEFORE).update(name=OFFICE_NAME)


def grant_admin(Role) -> None:
    for role in Role.objects.filter(code="admin"):
        if PERMISSION not in role.permissions:
            role.permissions = [*role.permissions, PERMISSION]
            role.save(update_fields=["permissions"])
