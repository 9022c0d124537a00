"""How the audit log and the "为什么" panel name the handover and attendance inputs (HO-1, ATT-1)."""

from kefu.core import decisions


def register() -> None:
    decisions.describe(
        inputs={
            "shift_ends_at": ("班次结束时间", "shift ends at"),
            "shift_starts_at": ("班次开始时间", "shift starts at"),
            "minutes_ahead": ("提前分钟数", "minutes ahead"),
            "leaver_confirmed": ("交班人已确认", "leaver confirmed"),
            "receiver_confirmed": ("接班人已确认", "receiver confirmed"),
        },
        values={
            "leaver_confirmed": {True: ("是", "yes"), False: ("否", "no")},
            "receiver_confirmed": {True: ("是", "yes"), False: ("否", "no")},
        },
    )
