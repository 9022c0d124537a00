"""The survey link a case's customer gets (CSAT-1) — a building block below the cases actions.

When a case closes (`cases.actions.intake.act` calls `on_closed` in its transaction, as it calls
`tasks.on_resolved` on resolution) the case gets its survey: a random token of which only the
SHA-256 is stored, valid for `csat.survey_link_valid_days` (本系统默认值), answered at
/survey/<token>/ or on the case's status page. The link goes out through the outbound gateway
(`engine.outbound.actions.send`): by e-mail when the customer has an address, else by text message,
within the customer's contact window (a message outside it waits for it) and never after 退订 —
whatever the gateway refuses is recorded as a decision and the link stays on the status page.

A case closed on a revisit answer (satisfaction source: revisit) gets no link: that answer is the
case's survey answer already (recorded by `surveys.from_revisit`), and asking again the same day
would only weary the customer. A case closed any other way — on the status page, by staff, or as
未回访 after an unreachable revisit — gets the link. A case closed again after a reopen gets a new
token (the old link stops working); its earlier answers are kept.

This module never calls back into the cases actions (no import cycle): answering is `surveys`.
"""

import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from kefu.cases.models import Case, SatisfactionSource
from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import DomainError
from kefu.engine.outbound import actions as outbound
from kefu.engine.outbound.models import Channel
from kefu.engine.policy import api as policy
from kefu.followups.models import Questionnaire, Survey
from kefu.followups.queries import surveys as survey_queries

VALID = "csat.survey_link_valid_days"
PURPOSE = "满意度调查"
CLAUSE = "满意度调查可以通过电话访谈、问卷调查等方式进行。"
SOURCE = "000 · 客户服务部门客户投诉处理与满意度调查制度"


def survey_path(token: str) -> str:
    return reverse("followups:survey", args=[token])


def issue(actor: Actor, case: Case) -> tuple[Survey, str]:
    """Give `case` its survey with a fresh token (returned once, stored hashed)."""
    now = clock.now()
    token = secrets.token_urlsafe(24)
    valid = policy.lookup(VALID, at=now, unit=case.unit)
    questionnaire = survey_queries.current_questionnaire(case.unit)
    if questionnaire.pk is None:  # no group default (a flushed database): create it, once
        questionnaire, _ = Questionnaire.objects.get_or_create(
            unit=None, version=1, defaults={"items": questionnaire.items, "created_at": now}
        )
    fields = {
        "unit": case.unit,
        "agent_id": case.owner_id,
        "questionnaire": questionnaire,
        "token_hash": survey_queries.token_hash(token),
        "issued_at": now,
        "expires_at": valid.due(now),
        "channel": "",
    }
    with transaction.atomic():
        survey = Survey.objects.select_for_update(of=("self",)).filter(case=case).first()
        if survey is None:
            survey = Survey.objects.create(case=case, **fields)
        else:
            for name, value in fields.items():
                setattr(survey, name, value)
            survey.save(update_fields=[f.removesuffix("_id") for f in fields])
        audit.record(
            actor,
            "followups.survey.issue",
            survey,
            after={"case_number": case.number, "survey_expires": survey.expires_at.isoformat()},
        )
    return survey, token


def _send(actor: Actor, survey: Survey, case: Case, token: str) -> str:
    customer = case.customer
    if customer is None:
        return ""
    channel = Channel.EMAIL if (getattr(customer, "email", "") or "").strip() else Channel.SMS
    link = f"{settings.KEFU_SITE_URL}{survey_path(token)}"
    outbound.send(
        actor,
        customer,
        channel=channel,
        subject=f"满意度调查：{case.title}"[:60],
        body=(
            f"您好，您的工单 {case.number}「{case.title}」已办结。请花一分钟告诉我们您是否满意"
            f"（链接 {clock.local(survey.expires_at):%Y年%m月%d日} 前有效）：{link}"
        ),
        purpose=PURPOSE,
        due_at=clock.now(),  # outside the contact window the message waits for it (FUP-2)
        obj=survey,
    )
    return channel


def on_closed(actor: Actor, case: Case) -> Survey | None:
    """CSAT-1: a case closed; unless it closed on a revisit answer, issue its survey and send the link."""
    if case.satisfaction_source == SatisfactionSource.REVISIT:
        return None
    survey, token = issue(actor, case)
    entry = policy.lookup(VALID, at=survey.issued_at, unit=case.unit)
    try:
        with transaction.atomic():
            channel = _send(actor, survey, case, token)
    except DomainError as refused:
        channel, why = "", refused.zh
    else:
        why = ""
    if channel:
        Survey.objects.filter(pk=survey.pk).update(channel=channel)
        survey.channel = channel
    how = {Channel.EMAIL: "已通过邮件发送调查链接", Channel.SMS: "已通过短信发送调查链接"}.get(
        channel, "调查链接显示在工单查询页" + (f"（未发送：{why}）" if why else "（客户未建档，无法发送）")
    )
    decisions.record_from_entry(
        survey,
        entry,
        outcome=f"工单结案，{how}；链接有效期至{clock.local(survey.expires_at):%Y-%m-%d %H:%M}",
        inputs={"case_number": case.number, "survey_channel": channel or "status_page"},
        actor=actor,
    )
    return survey
