"""The customer timeline's 回访, 满意度调查 and 关怀 entries (CUS-9), registered from apps.ready():
- each revisit of the customer the viewer may see (when it was opened, by which plan or campaign) and
  each of its attempts (《回访记录表》 lines: outcome and the customer's words, phone numbers and e-mail
  addresses masked);
- each satisfaction survey of the customer's cases the viewer may see (case.view, or their own as the
  agent served — the satisfaction pages' rule) and its current answer (words masked);
- each greeting (节日/生日慰问) of a campaign the viewer's care.view reaches (the care pages' rule).
Each source is a fixed number of queries whatever the number of rows."""

from django.db.models import Prefetch
from django.urls import reverse

from kefu.core import clock
from kefu.customers import timeline
from kefu.customers.timeline import Entry
from kefu.followups.labels import METHODS, OUTCOMES, TRIGGERS
from kefu.followups.models import GreetingDelivery, Survey, SurveyAnswer
from kefu.followups.queries import care
from kefu.followups.queries import tasks as queries
from kefu.followups.queries.campaigns import mask_words
from kefu.org import access

LIMIT = 50  # newest first: the timeline shows at most this many of each source


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


def survey_entries(actor, customer) -> list:
    """CUS-9 满意度调查: the surveys of the customer's cases the viewer may see, and their answers."""
    found = access.scoped(
        Survey.objects.filter(case__customer=customer),
        actor,
        "case.view",
        unit_path="unit__path",
        owner="agent_id",
    )
    current = SurveyAnswer.objects.filter(current=True).select_related("by")
    surveys = found.select_related("case").prefetch_related(
        Prefetch("answers", queryset=current, to_attr="now")
    )
    entries = []
    for survey in surveys.order_by("-issued_at", "-pk")[:LIMIT]:
        link = survey.case.get_absolute_url()
        entries.append(
            Entry(
                at=survey.issued_at,
                kind="survey",
                title=f"{survey.case.number} · 满意度调查已发出",
                link=link,
            )
        )
        for answer in survey.now:
            entries.append(
                Entry(
                    at=answer.at,
                    kind="survey",
                    title=f"{survey.case.number} · 满意度评价：{answer.get_overall_display()}",
                    detail=mask_words(answer.words),
                    link=link,
                    by=answer.by.name if answer.by_id else "",
                )
            )
    return entries


def greeting_entries(actor, customer) -> list:
    """CUS-9 关怀: the customer's greetings of campaigns the viewer's care.view reaches."""
    found = care.scoped(
        GreetingDelivery.objects.filter(customer=customer), actor, unit_path="campaign__unit__path"
    ).select_related("campaign")
    return [
        Entry(
            at=greeting.done_at or greeting.created_at,
            kind="greeting",
            title=f"{greeting.campaign.title} · {greeting.campaign.get_channel_display()} · "
            f"{greeting.get_state_display()}",
            link=reverse("followups:care_greeting", args=[greeting.campaign_id]),
        )
        for greeting in found.order_by("-created_at", "-pk")[:LIMIT]
    ]


def register() -> None:
    timeline.register("followups.revisits", revisit_entries)
    timeline.register("followups.surveys", survey_entries)
    timeline.register("followups.greetings", greeting_entries)
