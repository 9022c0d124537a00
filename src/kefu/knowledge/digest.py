"""KB-1 weekly digest: "每周对所收集的知识点进行总结" [001 · 客服团队制度管理方案].

The schedule `knowledge.weekly_digest` (rule `weekly:MON`, 08:30 Asia/Shanghai on the office
calendar; not moved off holidays, so consecutive windows stay exactly one week apart — the message
waits in the inbox) is declared in code: schedules
are registered from `AppConfig.ready()`, before any database is available, and `Schedule` is a frozen
declaration, so the weekday cannot come from the policy pack. What the digest covers does: the
window is the `knowledge.digest_window` entry (7 days, KB-1) looked up at the period's due time,
ending at that due time — the articles first published in the week before the digest. After a
worker outage (the engine runs only the newest missed period) the window reaches back to the end of
the previous digest, so no week's articles are skipped.

This module declares the schedule; the digest itself is the action `knowledge.actions.send_digest`
and its audience the query `knowledge.queries.digest_audience`.

The schedule engine inserts one `ScheduleRun` per (schedule, ISO week) under a unique constraint, so
the digest runs once per week across any number of workers; `Digest.period_key` is unique as well.

Audience: the customer-service staff — active employees holding `kb.view` together with
`case.handle` or `kb.edit` (agents, assistants, supervisors, managers, complaint / revisit officers,
QA inspectors) — each told only of the articles they may read. Weeks without new articles send
nothing but are still recorded (Digest row and decision record).
"""

from kefu.engine.schedules import registry as schedules
from kefu.engine.schedules.registry import Schedule

WINDOW_KEY = "knowledge.digest_window"
TEMPLATE = "knowledge.weekly_digest"
LISTED_MAX = 25  # titles listed in one message; the rest are counted
AUDIENCE_WITH = ("case.handle", "kb.edit")  # besides kb.view

WEEKLY_DIGEST = Schedule("knowledge.weekly_digest", "weekly:MON", run="kefu.knowledge.actions.send_digest")


def register() -> None:
    schedules.register(WEEKLY_DIGEST)
