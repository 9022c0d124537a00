"""The seeded calendars (CAL-1) and the admin grant; models passed in so migrations can use it too."""

from datetime import time

CALENDARS = [
    # code, name, follows statutory holidays, {weekday: [(start, end)]}; end 00:00 = 24:00
    ("24x7", "24小时全天候", False, {wd: [(time(0, 0), time(0, 0))] for wd in range(7)}),
    (
        "office",
        "办公时间（周一至周五 8:30–17:30）",
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


def grant_admin(Role) -> None:
    for role in Role.objects.filter(code="admin"):
        if PERMISSION not in role.permissions:
            role.permissions = [*role.permissions, PERMISSION]
            role.save(update_fields=["permissions"])
