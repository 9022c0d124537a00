"""FUP-2 outbound messages: one interface for e-mail and text messages to customers, delivered by the
worker — text messages through a real HTTP SMS gateway on loopback (signed requests, 2xx / 4xx / 5xx /
timeouts, receipts by signed callback), e-mail through the SMTP outbox; opt-out (退订), the daily cap,
the contact window and the no-third-party flag; exactly once when a worker dies mid-batch."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.core import clock, decisions
from kefu.core.errors import Conflict, DomainError, Invalid, NotFound
from kefu.core.models import AuditEvent
from kefu.customers import actions as customer_actions
from kefu.engine.mail import actions_outbound as mail_outbound
from kefu.engine.notifications import actions as notification_actions
from kefu.engine.notifications.retrying import CLAIM_LEASE
from kefu.engine.outbound import actions, gateway, queries
from kefu.engine.outbound.models import MessageState, OptOut, OutboundMessage, Receipt
from kefu.engine.outbound.tests.conftest import PHONE, SECRET

pytestmark = pytest.mark.django_db


def text(staff, to, **kwargs):
    kwargs.setdefault("body", "陈先生您好，您的工单已处理完毕。")
    return actions.send(staff, to, channel="sms", purpose="revisit", **kwargs)


def test_a_text_is_posted_signed_and_accepted_on_2xx(sms, customer, staff):  # FUP-2
    message = text(staff, customer)
    assert sms.requests == []  # the worker sends, not the caller
    assert actions.send_due()["sent"] == 1
    ((headers, body),) = sms.requests
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Kefu-Signature"] == expected
    assert headers["Idempotency-Key"] == str(message.key)
    assert json.loads(body) == {"id": str(message.key), "to": PHONE, "text": f"{message.body} 回复TD退订"}
    message.refresh_from_db()
    assert message.status == MessageState.SENT and message.provider_id == "gw-1" and message.attempts == 1
    assert actions.send_due()["sent"] == 0 and len(sms.requests) == 1
    # SEC-1: the number is neither in the row's columns nor in the audit row in clear
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT recipient, recipient_index FROM outbound_outboundmessage WHERE id = %s", [message.pk]
        )
        assert PHONE not in " ".join(cursor.fetchone())
    (event,) = AuditEvent.objects.filter(action="outbound.queued", object_id=str(message.pk))
    assert PHONE not in json.dumps(event.after) and event.after["to"].startswith("fp:")


def test_5xx_and_a_timeout_are_retried_with_a_doubling_wait(sms, customer, staff):  # FUP-2
    sms.script = [503, "timeout", 200]
    message = text(staff, customer)
    assert actions.send_due()["retry"] == 1
    message.refresh_from_db()
    assert message.status == MessageState.PENDING and "503" in message.last_error
    assert message.next_attempt_at == clock.now() + timedelta(seconds=60)
    assert actions.send_due()["retry"] == 0  # not before its time
    clock.advance(timedelta(seconds=60))
    assert actions.send_due()["retry"] == 1  # the timeout
    message.refresh_from_db()
    assert message.next_attempt_at == clock.now() + timedelta(seconds=120)
    clock.advance(timedelta(seconds=120))
    assert actions.send_due()["sent"] == 1
    message.refresh_from_db()
    assert message.status == MessageState.SENT and message.attempts == 3 and len(sms.requests) == 3


def test_5xx_gives_up_after_the_last_attempt(sms, customer, staff, settings):  # FUP-2
    settings.KEFU_SMS_MAX_ATTEMPTS = 2
    sms.script = [500, 502]
    message = text(staff, customer)
    assert actions.send_due()["retry"] == 1
    clock.advance(timedelta(minutes=1))
    assert actions.send_due()["failed"] == 1
    clock.advance(timedelta(days=1))
    assert actions.send_due()["sent"] == 0
    message.refresh_from_db()
    assert message.status == MessageState.FAILED and len(sms.requests) == 2 and sms.delivered == {}


def test_4xx_fails_without_retry(sms, customer, staff):  # FUP-2
    sms.script = [400]
    message = text(staff, customer)
    assert actions.send_due()["failed"] == 1
    clock.advance(timedelta(days=1))
    actions.send_due()
    message.refresh_from_db()
    assert message.status == MessageState.FAILED and "400" in message.last_error and len(sms.requests) == 1


def _callback(client, path, payload, *, secret=SECRET):
    body = json.dumps(payload).encode()
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return client.post(path, body, content_type="application/json", headers={"X-Kefu-Signature": signature})


def test_a_receipt_is_checked_and_a_duplicate_changes_nothing(sms, customer, staff, client):  # FUP-2
    message = text(staff, customer)
    actions.send_due()
    path = "/outbound/sms/receipts/"
    forged = _callback(client, path, {"id": str(message.key), "status": "delivered"}, secret="wrong")
    assert forged.status_code == 403 and forged.json()["error"]["code"] == "bad_signature"
    first = _callback(client, path, {"id": str(message.key), "status": "delivered"})
    assert first.status_code == 200 and first.json() == {"changed": True}
    message.refresh_from_db()
    at = message.receipt_at
    clock.advance(timedelta(minutes=5))
    for status in ("delivered", "undelivered"):
        again = _callback(client, path, {"id": str(message.key), "status": status})
        assert again.status_code == 200 and again.json() == {"changed": False}
    message.refresh_from_db()
    assert message.receipt == Receipt.DELIVERED and message.receipt_at == at
    assert AuditEvent.objects.filter(action="outbound.receipt", object_id=str(message.pk)).count() == 1
    assert _callback(client, path, {"id": "not-a-key", "status": "delivered"}).status_code == 404
    bad = client.post(
        path, b"x", content_type="application/json", headers={"X-Kefu-Signature": gateway.sign(b"x")}
    )
    assert bad.status_code == 400 and bad.json()["error"]["message"]


def test_an_opted_out_customer_gets_nothing(sms, customer, staff, client):  # FUP-2
    queued = text(staff, customer)
    # the link in a message: GET only asks (a link scanner opts nobody out), POST records it
    path = actions.unsubscribe_url(customer).split("8000", 1)[1]
    page = client.get(path)
    assert page.status_code == 200 and "退订" in page.content.decode()
    assert not OptOut.objects.filter(customer=customer).exists()
    assert client.post(path).status_code == 200
    assert OptOut.objects.get(customer=customer).source == "link"
    assert client.get("/outbound/unsubscribe/forged/").status_code == 404
    assert actions.send_due()["cancelled"] == 1  # queued before the opt-out: not sent
    queued.refresh_from_db()
    assert queued.status == MessageState.CANCELLED and sms.requests == []
    assert [d.outcome for d in decisions.for_object(queued)] == [
        "客户已退订，不再发送 / cancelled: the customer opted out"
    ]
    with pytest.raises(Conflict) as refused:
        text(staff, customer)
    assert refused.value.code == "opted_out"


def test_the_td_keyword_opts_out(sms, customer, staff, client):  # FUP-2
    reply = _callback(client, "/outbound/sms/replies/", {"from": "+86 139-1234-5678", "text": " td "})
    assert reply.status_code == 200 and reply.json() == {"opted_out": 1}
    assert OptOut.objects.get(customer=customer).source == "keyword"
    other = _callback(client, "/outbound/sms/replies/", {"from": PHONE, "text": "谢谢"})
    assert other.json() == {"opted_out": 0}
    with pytest.raises(Conflict):
        text(staff, customer)


def test_the_daily_cap_refuses_the_next_message_that_day(
    sms, customer, staff
):  # FUP-2 outbound.daily_per_customer
    for _ in range(3):
        text(staff, customer)
    with pytest.raises(Conflict) as refused:
        text(staff, customer)
    assert refused.value.code == "outbound_daily_cap" and "本系统默认值" in refused.value.zh
    assert OutboundMessage.objects.filter(customer=customer).count() == 3
    later = text(staff, customer, due_at=clock.now() + timedelta(days=1))  # the next day counts anew
    assert later.day == clock.today() + timedelta(days=1)


def test_outside_the_contact_window_a_send_is_refused_or_waits(sms, customer, staff):  # FUP-2
    customer_actions.update_customer(staff, customer, contact_window="12:00–14:00")
    # 10:00 in Shanghai: an immediate message is refused with the rule
    with pytest.raises(DomainError) as refused:
        text(staff, customer)
    assert refused.value.code == "contact_window" and "FUP-2" in refused.value.zh
    assert refused.value.status == 409 and refused.value.extra == {"rule": "FUP-2"}
    # a message due now waits for the window
    waiting = text(staff, customer, due_at=clock.now())
    assert clock.local(waiting.next_attempt_at).strftime("%H:%M") == "12:00"
    assert actions.send_due()["sent"] == 0 and sms.requests == []
    clock.advance(timedelta(hours=2))
    assert actions.send_due()["sent"] == 1
    assert sms.bodies()[0]["id"] == str(waiting.key)
    clock.advance(timedelta(hours=2, minutes=30))  # 14:30: closed again
    assert text(staff, customer, due_at=clock.now()).next_attempt_at.date() > clock.now().date()


def test_a_window_that_closed_before_the_worker_came_puts_the_message_back(sms, customer, staff):  # FUP-2
    customer_actions.update_customer(staff, customer, contact_window="09:00-11:00")
    message = text(staff, customer)
    clock.advance(timedelta(hours=2))  # 12:00: the worker was late
    assert actions.send_due()["waiting"] == 1 and sms.requests == []
    message.refresh_from_db()
    assert message.status == MessageState.PENDING and message.attempts == 0
    (decision,) = decisions.for_object(message)
    assert decision.rule == "FUP-2" and decision.outcome.endswith("waits for the contact window")
    assert clock.local(message.next_attempt_at).strftime("%d %H:%M") == "03 09:00"


def test_no_third_party_contact_is_honoured(sms, customer, staff):  # FUP-2
    customer_actions.update_customer(staff, customer, no_third_party_contact=True)
    other = customer_actions.add_contact(
        staff, customer, name="邻居", phone="13700001111", is_key_person=False
    )
    key = customer_actions.add_contact(
        staff, customer, name="陈太太", phone="13700002222", is_key_person=True
    )
    with pytest.raises(DomainError) as refused:
        text(staff, other)
    assert refused.value.code == "no_third_party_contact" and "FUP-2" in refused.value.zh
    text(staff, key)
    customer_actions.update_customer(staff, customer, no_third_party_contact=False)
    text(staff, other)
    assert actions.send_due()["sent"] == 2
    assert sorted(body["to"] for body in sms.bodies()) == ["13700001111", "13700002222"]


def test_an_email_goes_through_the_smtp_outbox_once(smtp, customer, staff):  # FUP-2
    contact = customer_actions.add_contact(staff, customer, name="沈助理", email="shen@customer.example.net")
    message = actions.send(
        staff, contact, channel="email", subject="回访", body="您好，请对本次服务评价。", purpose="survey"
    )
    assert actions.send_due()["sent"] == 1
    assert actions.send_due()["sent"] == 0
    message.refresh_from_db()
    assert message.mail is not None and message.mail.related == message
    assert mail_outbound.send_due()["sent"] == 1
    (mail,) = smtp.messages
    assert mail["To"] == "shen@customer.example.net"
    content = mail.get_body(("plain",)).get_content()
    assert "您好，请对本次服务评价。" in content and "/outbound/unsubscribe/" in content


def test_a_worker_killed_mid_batch_sends_each_message_once(sms, customer, staff, monkeypatch):  # FUP-2
    messages = [text(staff, customer, body=f"第{i}条") for i in range(3)]
    real_post = gateway.post
    calls = []

    def dies_after_the_second_post(*args):
        result = real_post(*args)
        calls.append(args[0])
        if len(calls) == 2:
            raise SystemExit("worker killed after the gateway's 2xx, before `sent` was stored")
        return result

    monkeypatch.setattr(gateway, "post", dies_after_the_second_post)
    with pytest.raises(SystemExit):
        actions.send_due()
    monkeypatch.setattr(gateway, "post", real_post)
    states = dict(OutboundMessage.objects.values_list("pk", "status"))
    assert list(states.values()).count(MessageState.SENT) == 1  # the first; the second and third are claimed
    assert actions.send_due()["sent"] == 0  # their claims stand until the lease lapses
    clock.advance(CLAIM_LEASE)
    assert actions.send_due()["sent"] == 2
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {MessageState.SENT}
    # the second was posted twice with the same key; the gateway sent it once: each message reached the phone once
    keys = [headers["Idempotency-Key"] for headers, _ in sms.requests]
    assert len(keys) == 4 and len(set(keys)) == 3
    assert set(sms.delivered) == {str(m.key) for m in messages}


def test_a_second_worker_cannot_claim_a_claimed_message(sms, customer, staff):  # FUP-2
    text(staff, customer)
    first = notification_actions.claim(OutboundMessage, 10)
    assert len(first) == 1 and notification_actions.claim(OutboundMessage, 10) == []


def test_send_statement_count(sms, customer, staff):  # FUP-2: statements per write
    text(staff, customer)  # warms the policy and content-type caches
    with CaptureQueriesContext(connection) as queries:
        text(staff, customer)
    writes = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    # lock the customer, opt-out, policy (version, subsidiary, override), day count, insert, audit
    assert len(writes) <= 8, "\n".join(w[:150] for w in writes)


def test_send_checks_the_target_customers_scope(sms, customer, demo, actor_of):  # ORG-3 FUP-2
    with pytest.raises(NotFound):
        text(actor_of(demo["gaofeng"]), customer)  # a water-company manager, a realty customer
    with pytest.raises(NotFound):
        queries.messages_of(actor_of(demo["gaofeng"]), customer)
    assert not OutboundMessage.objects.exists()


def test_bad_input_is_a_clear_error(sms, customer, staff):  # FUP-2
    with pytest.raises(Invalid) as error:
        actions.send(staff, customer, channel="fax", body="x", purpose="revisit")
    assert error.value.code == "outbound_channel"
    with pytest.raises(Invalid) as error:
        actions.send(staff, customer, channel="email", subject="回访", body="x", purpose="revisit")
    assert error.value.code == "outbound_no_address" and error.value.zh == "收件人没有有效的电子邮箱"
    with pytest.raises(Invalid):
        text(staff, customer, body=" ")
    contact = customer_actions.add_contact(staff, customer, name="沈助理", email="not-an-address")
    with pytest.raises(Invalid) as error:
        actions.send(staff, contact, channel="email", subject="回访", body="x", purpose="revisit")
    assert error.value.code == "outbound_no_address"
    customer_actions.update_customer(staff, customer, contact_window="中午")
    with pytest.raises(Invalid) as error:
        text(staff, customer)
    assert error.value.code == "contact_window_unreadable"
    assert not OutboundMessage.objects.exists()


def test_the_worker_runs_the_sweep():  # FUP-2
    from kefu.core.worker import SWEEPS

    assert SWEEPS["outbound.send"].run is actions.send_due


def test_an_email_the_outbox_refuses_fails_and_the_batch_goes_on(sms, customer, staff, monkeypatch):  # FUP-2
    contact = customer_actions.add_contact(staff, customer, name="沈助理", email="shen@customer.example.net")
    refused = actions.send(staff, contact, channel="email", subject="回访", body="您好", purpose="survey")
    texted = text(staff, customer)

    def refuses(*args, **kwargs):
        raise Invalid("mail_address", "邮件地址无效或缺失", "An e-mail address is missing or not valid")

    monkeypatch.setattr(actions, "send_external", refuses)
    assert actions.send_due() == {"sent": 1, "retry": 0, "failed": 1, "waiting": 0, "cancelled": 0, "lost": 0}
    refused.refresh_from_db()
    texted.refresh_from_db()
    assert (
        refused.status == MessageState.FAILED and refused.mail is None and "not valid" in refused.last_error
    )
    assert texted.status == MessageState.SENT
