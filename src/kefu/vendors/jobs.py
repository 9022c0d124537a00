"""The vendor filings' clocks (VEN-1): every minute, supplement requests past their deadline return their
filing and reports missing past their grace lapse theirs — each once (see the actions); every morning the
reminders of reports and inspections coming due."""

from datetime import time, timedelta

from kefu.core.worker import register_sweep
from kefu.engine.schedules.registry import Schedule, register
from kefu.vendors.actions import reviews, supervision

CLOCK_EVERY = timedelta(minutes=1)  # 本系统默认值: the worker's round; the deadlines are days long
REMINDERS = Schedule(
    "vendors.reminders", "daily", run="kefu.vendors.actions.supervision.remind", at=time(8, 0)
)


def register_jobs() -> None:
    register_sweep("vendors.supplements", CLOCK_EVERY)(reviews.expire)
    register_sweep("vendors.reports", CLOCK_EVERY)(supervision.lapse)
    register(REMINDERS)
