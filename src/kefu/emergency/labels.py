"""How the surge detector's decision inputs read on the "为什么" panel (EMG-5)."""

from kefu.core import decisions


def register() -> None:
    decisions.describe(
        inputs={
            "surge_count": ("时间窗内工单数", "cases in the window"),
            "surge_baseline": ("基线（前几天同一时段平均）", "baseline (average of the same window)"),
            "surge_window_from": ("时间窗开始", "window from"),
            "surge_window_to": ("时间窗结束", "window to"),
            "surge_family": ("工单类别", "case family"),
            "surge_earlier_days": ("基线天数", "baseline days"),
            "incident_occurred_at": ("事件发生时间", "incident occurred at"),
            "incident_activate_by": ("应启动响应时限", "response due by"),
        },
        values={"surge_family": {"complaint": ("投诉", "complaints"), "repair": ("报修", "repair requests")}},
    )
