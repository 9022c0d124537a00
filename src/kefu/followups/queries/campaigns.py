"""Read paths of revisit campaigns and 《回访总结报告》 (FUP-1), filtered by the caller's data scope.

A report counts revisit tasks: those of one campaign, or every revisit of a subsidiary opened in a
calendar month (plans and campaigns alike). 已回访 = reached (satisfied or not), 未回访 = unreachable
after the last try, 待回访 = still open. Reach rate = reached ÷ ended; satisfaction rate = satisfied
÷ reached. The 不满意 items carry the customer's words with phone numbers and e-mail addresses
masked, and the customer's name masked (SEC-2)."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Count, Q

from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.crypto import mask_phone
from kefu.core.errors import NotFound
from kefu.followups.models import Outcome, RevisitAttempt, RevisitCampaign, RevisitTask, TaskState
from kefu.org import access
from kefu.org.models import Unit

VIEW = "revisit.view"
_EMAIL = re.compile(r"([\w.%+-])[\w.%+-]*@([\w-]+(?:\.[\w-]+)+)")
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")


def campaigns(actor: Actor):
    return (
        access.scoped(RevisitCampaign.objects.all(), actor, VIEW)
        .select_related("unit")
        .order_by("-starts_on", "-pk")
    )


def _key(pk) -> int | None:
    text = str(pk)
    return int(text) if text.isdecimal() and len(text) <= 18 else None


def campaign(actor: Actor, pk) -> RevisitCampaign:
    key = _key(pk)
    found = campaigns(actor).filter(pk=key).first() if key else None
    if found is None:
        raise NotFound("回访活动", "revisit campaign")
    return found


def unit(actor: Actor, pk) -> Unit:
    key = _key(pk)
    found = Unit.objects.filter(pk=key).first() if key else None
    if found is None or not access.unit_in_scope(actor, VIEW, found):
        raise NotFound("组织单元", "unit")
    return found


def mask_words(text: str) -> str:
    """The customer's words with mobile numbers (138****1234) and e-mail addresses (z***@example.com)
    masked."""
    text = _MOBILE.sub(lambda m: mask_phone(m.group(0)), text or "")
    return _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", text)


def mask_name(name: str) -> str:
    name = name or ""
    return name[:1] + "*" * min(len(name) - 1, 3) if len(name) > 1 else name


@dataclass
class Counts:
    total: int = 0
    reached: int = 0
    unreached: int = 0
    open: int = 0
    satisfied: int = 0
    unsatisfied: int = 0

    @property
    def reach_rate(self) -> float | None:
        ended = self.reached + self.unreached
        return round(100 * self.reached / ended, 1) if ended else None

    @property
    def satisfied_rate(self) -> float | None:
        return round(100 * self.satisfied / self.reached, 1) if self.reached else None


@dataclass
class Report:
    title: str
    subtitle: str
    totals: Counts
    officers: list[tuple[str, Counts]] = field(default_factory=list)
    unsatisfied: list[dict] = field(default_factory=list)


COUNTS = {
    "total": Count("pk"),
    "reached": Count("pk", filter=Q(state=TaskState.DONE)),
    "unreached": Count("pk", filter=Q(state=TaskState.UNREACHED)),
    "open": Count("pk", filter=Q(state=TaskState.OPEN)),
    "satisfied": Count("pk", filter=Q(state=TaskState.DONE, outcome=Outcome.SATISFIED)),
    "unsatisfied": Count("pk", filter=Q(state=TaskState.DONE, outcome=Outcome.UNSATISFIED)),
}


def _report(tasks, title: str, subtitle: str) -> Report:
    totals = Counts(**tasks.aggregate(**COUNTS))
    officers = [
        (row.pop("assignee__name") or "（未分派）", Counts(**{k: row[k] for k in COUNTS}))
        for row in tasks.values("assignee_id", "assignee__name")
        .annotate(**COUNTS)
        .order_by("assignee__name", "assignee_id")
    ]
    words = (
        RevisitAttempt.objects.filter(task__in=tasks, outcome=Outcome.UNSATISFIED)
        .select_related("task__case", "task__customer", "by")
        .order_by("at", "pk")[:500]
    )
    unsatisfied = [
        {
            "at": clock.local(a.at),
            "case": a.task.case.number if a.task.case_id else "",
            "customer": mask_name(
                a.task.customer.name
                if a.task.customer_id
                else (a.task.case.contact_name if a.task.case_id else "")
            ),
            "officer": a.by.name,
            "words": mask_words(a.words),
        }
        for a in words
    ]
    return Report(title, subtitle, totals, officers, unsatisfied)


def campaign_report(actor: Actor, found: RevisitCampaign) -> Report:
    tasks = access.scoped(RevisitTask.objects.all(), actor, VIEW, owner="assignee_id").filter(campaign=found)
    return _report(
        tasks,
        f"回访总结报告 · {found.name}",
        f"{found.unit.name} · {found.starts_on:%Y-%m-%d} 至 {found.ends_on:%Y-%m-%d}",
    )


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    tz = clock.local().tzinfo
    start = datetime.combine(date(year, month, 1), time(0), tzinfo=tz)
    following = date(year + month // 12, month % 12 + 1, 1)
    return start, datetime.combine(following, time(0), tzinfo=tz)


def month_report(actor: Actor, found: Unit, year: int, month: int) -> Report:
    """Every revisit of `found` (and below) opened in the month: plans and campaigns alike."""
    start, end = month_bounds(year, month)
    tasks = access.scoped(RevisitTask.objects.all(), actor, VIEW, owner="assignee_id").filter(
        unit__path__startswith=found.path, created_at__gte=start, created_at__lt=end
    )
    return _report(tasks, f"回访总结报告 · {year}年{month}月", found.name)


def report_units(actor: Actor):
    """The units whose month report the caller may read (a queryset, for the forms' choices): the
    subsidiaries in their scope, and the unit their scope is anchored at (a 回访专员's department)."""
    anchors = {g.anchor_path for g in access.grants(actor, VIEW) if g.scope != "own"}
    subsidiaries = Unit.objects.filter(kind="subsidiary").order_by("path")
    keys = [u.pk for u in subsidiaries if access.unit_in_scope(actor, VIEW, u)]
    keys += Unit.objects.filter(path__in=anchors).values_list("pk", flat=True)
    return Unit.objects.filter(pk__in=keys).order_by("path")
