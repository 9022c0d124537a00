"""How the workforce app's audit fields and decision inputs read on the pages (zh-Hans / English)."""

from kefu.core import decisions
from kefu.workforce.models import ChangeKind, DayKind

SOLVER = {
    "optimal": ("最优", "optimal"),
    "feasible": ("可行（在时限内找到）", "feasible (found within the time limit)"),
    "unknown": ("未找到", "not found"),
}


def register() -> None:
    decisions.describe(
        inputs={
            "team_size": ("班组人数", "team size"),
            "shift_count": ("班次数", "shifts"),
            "missing_staff": ("缺口（人次）", "missing (shifts)"),
            "solver_status": ("求解结果", "solver result"),
            "nights_spread": ("夜班数差（最多−最少）", "nights spread"),
            "weekends_spread": ("周末班数差", "weekend shifts spread"),
            "holidays_spread": ("法定节假日班数差", "holiday shifts spread"),
            "gaps_confirmed": ("确认有缺口仍发布", "published despite gaps"),
            "rota_comment": ("员工意见", "staff comment"),
            "shift_employee": ("人员", "person"),
            "shift_starts": ("开始", "starts"),
            "shift_ends": ("结束", "ends"),
            "calendar_feed": ("日历订阅链接", "calendar link"),
            "change_kind": ("调班方式", "change"),
            "change_shift": ("班次", "shift"),
            "their_shift": ("对方班次", "their shift"),
            "starts": ("开始时间", "starts"),
            "ends": ("结束时间", "ends"),
            "day_kind": ("日期类型", "kind of day"),
            "min_staff": ("最少人数", "minimum staff"),
            "skill_group": ("技能组", "skill group"),
            "min_skilled": ("技能组人数", "skilled staff"),
            "shift_ends_at": ("班次结束时间", "shift ends at"),
            "shift_starts_at": ("班次开始时间", "shift starts at"),
            "minutes_ahead": ("提前分钟数", "minutes ahead"),
            "leaver_confirmed": ("交班人已确认", "leaver confirmed"),
            "receiver_confirmed": ("接班人已确认", "receiver confirmed"),
        },
        values={
            "solver_status": SOLVER,
            "change_kind": ChangeKind.choices,
            "day_kind": DayKind.choices,
            "calendar_feed": {"issued": ("已生成新链接", "new link issued")},
            "leaver_confirmed": {True: ("是", "yes"), False: ("否", "no")},
            "receiver_confirmed": {True: ("是", "yes"), False: ("否", "no")},
        },
    )
