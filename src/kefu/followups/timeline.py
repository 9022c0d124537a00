"""The customer timeline's 回访 entries (CUS-9): each revisit of the customer the viewer may see (when
it was opened, by which plan or campaign) and each of its attempts (《回访记录表》 lines: outcome and
the customer's words, phone numbers and e-mail addresses masked). Registered from apps.ready()."""

from django.urls import reverse

from kefu.core import clock
from kefu.customers import timeline
from kefu.customers.timeline import Entry
from kefu.followups.labels import METHODS, OUTCOMES, TRIGGERS
from kefu.followups.queries import tasks as queries
from kefu.followups.queries.campaigns import mask_words


def _origin(task) -> str:
    if task.campaign_id:
        return f"回访活动「{task.campaign.name}」"
    return TRIGGERS.get(task.plan.trigger, ("回访", ""))[0] if task.plan_id else "回访"


def revisit_entries(actor, customer) -> list:
    entries = []
    for task in queries.of_customer(actor, customer):
        link = reverse("followups:task", args=[task.pk])
        case = f"{task.case.number} · " if task.case_id else ""
        entries.append(
            Entry(
                at=task.created_at,
                kind="revisit",
                title=f"{case}{_origin(task)} · {task.get_state_display()}",
                detail=f"应于 {clock.local(task.due_at):%Y-%m-%d %H:%M} 前回访"
                if task.state == "open"
                else "",
                link=link,
                by=task.assignee.name if task.assignee_id else "",
            )
        )
        for attempt in task.attempts.all():
            outcome = OUTCOMES.get(attempt.outcome, (attempt.outcome, ""))[0]
            method = METHODS.get(attempt.method, (attempt.method, ""))[0]
            entries.append(
                Entry(
                    at=attempt.at,
                    kind="revisit",
                    title=f"{case}回访记录 · {method} · {outcome}",
                    detail=mask_words(attempt.words),
                    link=link,
                    by=attempt.by.name,
                )
            )
    return entries


def register() -> None:
    timeline.register("followups.revisits", revisit_entries)
