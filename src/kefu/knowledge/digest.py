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

The schedule engine inserts one `ScheduleRun` per (schedule, ISO week) under a unique constraint, so
the digest runs once per week across any number of workers; `Digest.period_key` is unique as well.

Audience: the customer-service staff — active employees holding `kb.view` together with
`case.handle` or `kb.edit` (agents, assistants, supervisors, managers, complaint / revisit officers,
QA inspectors) — each told only of the articles they may read. Weeks without new articles send
nothing but are still recorded (Digest row and decision record).
"""

from django.db import IntegrityError, transaction

from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.engine.notifications.api import notify
from kefu.engine.policy.api import lookup
from kefu.engine.schedules import registry as schedules
from kefu.engine.schedules.registry import Schedule
from kefu.knowledge import queries
from kefu.knowledge.models import Digest
from kefu.org.models import EmploymentStatus, Role

WINDOW_KEY = "knowledge.digest_window"
TEMPLATE = "knowledge.weekly_digest"
LISTED_MAX = 25  # titles listed in one message; the rest are counted
AUDIENCE_WITH = ("case.handle", "kb.edit")  # besides kb.view

WEEKLY_DIGEST = Schedule("knowledge.weekly_digest", "weekly:MON", run="kefu.knowledge.digest.send_digest")


def register() -> None:
    schedules.register(WEEKLY_DIGEST)


def audience():
    """Users of the customer-service staff (see the module docstring), in employee order."""
    from kefu.org.models import Employee

    roles = [
        r.pk
        for r in Role.objects.all()
        if "kb.view" in (r.permissions or []) and any(p in (r.permissions or []) for p in AUDIENCE_WITH)
    ]
    people = (
        Employee.objects.filter(
            role_assignments__role_id__in=roles, status=EmploymentStatus.ACTIVE, user__is_active=True
        )
        .select_related("user")
        .distinct()
    )
    return [e.user for e in people]


def send_digest(run) -> int:
    """Schedule callable: summarise the week's newly published articles; returns how many were told."""
    end = run.due_at if run is not None else clock.now()
    key = run.period_key if run is not None else end.date().isoformat()
    entry = lookup(WINDOW_KEY, at=end)
    start = end - entry.duration()
    previous = Digest.objects.filter(window_end__lt=end).order_by("-window_end").first()
    if previous is not None and previous.window_end < start:
        start = previous.window_end  # periods missed during an outage are summarised now
    published = list(queries.published_between(start, end))
    ids = [a.pk for a in published]
    try:
        with transaction.atomic():
            digest = Digest.objects.create(
                period_key=key, window_start=start, window_end=end, article_ids=ids, sent_at=clock.now()
            )
    except IntegrityError:
        return 0  # this period's digest exists already
    told = 0
    if published:
        for user in audience():
            reader = Actor(user=user, origin="schedule knowledge.weekly_digest")
            visible = set(queries.search(reader).filter(pk__in=ids).values_list("pk", flat=True))
            mine = [a for a in published if a.pk in visible]
            if not mine:
                continue
            context = {
                "week": key,
                "start": start,
                "end": end,
                "count": len(mine),
                "articles": [
                    {"title": a.title, "category": a.category.name, "url": a.get_absolute_url()}
                    for a in mine[:LISTED_MAX]
                ],
                "more": max(0, len(mine) - LISTED_MAX),
            }
            notify([user], TEMPLATE, context, obj=digest, link="/knowledge/")
            told += 1
    digest.recipients = told
    digest.save(update_fields=["recipients"])
    decisions.record_from_entry(
        digest,
        entry,
        outcome=f"weekly knowledge digest: {len(ids)} new article(s), {told} recipient(s)",
        inputs={"window_start": start, "window_end": end, "articles": ids},
    )
    audit.record(
        Actor.system("schedule"),
        "knowledge.digest_sent",
        digest,
        after={"period": key, "articles": ids, "recipients": told},
    )
    return told
