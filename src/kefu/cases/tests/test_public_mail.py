"""CASE-2 e-mail in and out of cases, over real SMTP on 127.0.0.1 (kefu's listener in, aiosmtpd out):
a mail opens a case and is confirmed with the status link, the agent's public reply goes out threaded,
the customer's answer joins the same case, and a bare case number from a stranger opens a new case."""

from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP

import pytest

from kefu.cases import actions
from kefu.cases.models import Case, CaseState, Comment
from kefu.core import clock
from kefu.engine.mail import actions_inbound, actions_outbound
from kefu.engine.mail.api import ingest
from kefu.engine.mail.testing import smtp  # noqa: F401 — fixture, through `wire`
from kefu.engine.mail.tests.conftest import SERVICE, mailbox, service  # noqa: F401 — fixtures, through `wire`

CUSTOMER = "wang@customer.example.net"


@pytest.fixture
def wire(request, settings):
    """The demo, kefu's SMTP listener (in) and an aiosmtpd sink (out) on 127.0.0.1; realty receives
    the mail. The clock is frozen at an instant no demo snapshot was taken under, so the demo is loaded
    for real: a snapshot replay cannot run outside a transaction (tests/db_snapshot.py)."""
    clock.freeze(datetime(2026, 3, 2, 2, 0, 1, tzinfo=UTC))
    settings.KEFU_PUBLIC_DEFAULT_UNIT = "hc-realty"
    demo = request.getfixturevalue("demo")
    request.getfixturevalue("groups")
    fixtures = ("act", "mailbox", "smtp")
    return (demo, *(request.getfixturevalue(name) for name in fixtures))


def mail(subject, body, *, message_id, sender=CUSTOMER, in_reply_to=""):
    message = EmailMessage()
    message.set_content(body)
    message["From"] = f"王先生 <{sender}>"
    message["To"] = SERVICE
    message["Subject"] = subject
    message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    return message.as_bytes(policy=SMTP)


@pytest.mark.django_db(transaction=True)  # the listener stores the mail from its own thread
def test_case2_mail_round_trip_threads_into_one_case(  # CASE-2
    wire,
):
    demo, act, inbox, outbox = wire
    inbox.send(mail("投诉：物业维修拖延", "报修一周无人上门。", message_id="<c1@customer.example.net>"))
    assert actions_inbound.dispatch_due()["handled"] == 1
    case = Case.objects.get()
    assert case.channel == "email" and case.family == "complaint" and case.title == "投诉：物业维修拖延"
    assert case.contact_email == CUSTOMER and case.contact_name == "王先生"
    assert case.owner == demo["wujing"]  # the complaints group (ROUTE-1)

    assert actions_outbound.send_due()["sent"] == 1  # the confirmation, with the status link
    (confirmation,) = outbox.messages
    assert f"[{case.number}]" in confirmation["Subject"]
    assert confirmation["In-Reply-To"] == "<c1@customer.example.net>"
    assert f"/service/status/{case.number}/?s=" in confirmation.get_body(("plain",)).get_content()

    actions.comment(act("wujing"), case, "王先生您好，明天上午安排维修。", public=True)
    actions.comment(act("wujing"), case, "内部：联系工程部", public=False)
    assert actions_outbound.send_due()["sent"] == 1  # only the public reply goes out
    reply = outbox.messages[-1]
    assert reply["Subject"].strip().startswith(f"[{case.number}]")
    assert reply["In-Reply-To"] == "<c1@customer.example.net>"
    assert "明天上午安排维修" in reply.get_body(("plain",)).get_content()
    assert Comment.objects.get(case=case, public=True, from_customer=False).message_id == reply["Message-ID"]

    answer = mail(
        "Re: 物业维修",
        "好的，上午在家。",
        message_id="<c2@customer.example.net>",
        in_reply_to=reply["Message-ID"],
    )
    inbox.send(answer)
    assert actions_inbound.dispatch_due()["handled"] == 1
    assert Case.objects.count() == 1
    joined = Comment.objects.get(case=case, from_customer=True)
    assert joined.body == "好的，上午在家。" and joined.message_id == "<c2@customer.example.net>"

    actions.comment(act("wujing"), case, "已维修完毕。", public=True)
    actions_outbound.send_due()
    assert outbox.messages[-1]["In-Reply-To"] == "<c2@customer.example.net>"  # the customer's last message


def test_case2_a_number_alone_joins_only_from_the_cases_own_address(  # CASE-2
    demo, groups, frozen, settings, act
):
    settings.KEFU_PUBLIC_DEFAULT_UNIT = "hc-realty"
    ingest(mail("咨询交房时间", "3 号楼何时交房？", message_id="<a1@customer.example.net>"))
    actions_inbound.dispatch_due()
    case = Case.objects.get()
    assert case.family == "consultation"
    owner = act(case.owner.user.username)
    actions.act(owner, case, "accept")
    actions.act(owner, case, "wait", data={"customer_reply": "请提供房号"})
    ingest(mail(f"房号 {case.number}", "3-1201", message_id="<a2@customer.example.net>"))
    stranger = mail(
        f"关于 {case.number} 的建议",
        "建议增加车位",
        message_id="<x1@other.example>",
        sender="x@other.example",
    )
    ingest(stranger)
    assert actions_inbound.dispatch_due()["handled"] == 2
    case.refresh_from_db()
    assert case.state == CaseState.INVESTIGATING  # the customer's answer resumed the waiting case
    assert Comment.objects.filter(case=case, from_customer=True, body="3-1201").exists()
    other = Case.objects.exclude(pk=case.pk).get()
    assert other.family == "suggestion" and other.contact_email == "x@other.example"
    assert not Comment.objects.filter(case=case, body__contains="车位").exists()
