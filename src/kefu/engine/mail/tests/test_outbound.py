"""CASE-2 e-mail out (and NTF-1's outbox rules): replies to external addresses are written in the
caller's transaction, sent once by the worker through a real SMTP server (aiosmtpd) with threading
headers and a UTF-8 Chinese subject, and retried with backoff while the server is down."""

from datetime import timedelta

import pytest
from django.db import transaction

from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.errors import Invalid
from kefu.core.models import AuditEvent
from kefu.engine.mail import actions, actions_outbound
from kefu.engine.mail.api import OutboundMail, OutboundState, send_external
from kefu.engine.mail.tests.conftest import SERVICE
from kefu.engine.notifications.retrying import MAX_ATTEMPTS, RETRY_AFTER


@pytest.fixture
def staff(admin_user):
    return Actor(user=admin_user, origin="test")


@pytest.mark.django_db
def test_a_reply_reaches_the_customer_with_threading_headers(service, smtp, staff, admin_user):  # CASE-2
    mail = send_external(
        staff,
        to="wang@customer.example.net",
        subject="回复：投诉 [KF-20261130-0001] 热水器漏水",
        body="王先生您好，我们已安排上门维修。",
        html="<p>王先生您好，我们已安排<b>上门维修</b>。</p>",
        obj=admin_user,
        in_reply_to="<m1@customer.example.net>",
        references="<m0@customer.example.net>",
    )
    assert mail.message_id == f"<kefu-mail-{mail.pk}@kefu.example>"
    assert AuditEvent.objects.filter(action="mail.queued", object_id=str(mail.pk)).exists()
    assert smtp.messages == []  # the worker sends, not the caller
    assert actions_outbound.send_due() == {"sent": 1, "retry": 0, "failed": 0}
    (message,) = smtp.messages
    # Django folds a long encoded subject after "Subject:"; the decoded text is exact but for that space
    assert message["Subject"].strip() == "回复：投诉 [KF-20261130-0001] 热水器漏水"
    assert "=?utf-8?b?" in smtp.envelopes[0]["message"].as_string().split("Subject:", 1)[1][:20]
    assert message.get_body(("plain",)).get_content_charset() == "utf-8"
    assert message["Message-ID"] == mail.message_id
    assert message["In-Reply-To"] == "<m1@customer.example.net>"
    assert message["References"] == "<m0@customer.example.net> <m1@customer.example.net>"
    assert message["From"] == SERVICE and message["Reply-To"] == SERVICE
    assert message["To"] == "wang@customer.example.net"
    assert message.get_body(("plain",)).get_content().strip() == "王先生您好，我们已安排上门维修。"
    assert (
        message.get_body(("html",)).get_content().strip() == "<p>王先生您好，我们已安排<b>上门维修</b>。</p>"
    )
    mail.refresh_from_db()
    assert mail.status == OutboundState.SENT and mail.attempts == 1 and mail.related == admin_user
    assert actions_outbound.send_due() == {"sent": 0, "retry": 0, "failed": 0}
    assert len(smtp.messages) == 1


@pytest.mark.django_db
def test_a_rolled_back_action_sends_nothing(service, smtp, staff):  # CASE-2
    with pytest.raises(RuntimeError), transaction.atomic():
        send_external(staff, to=["c@example.net"], subject="你好", body="正文")
        raise RuntimeError("the action failed after queuing the reply")
    assert not OutboundMail.objects.exists()
    assert actions_outbound.send_due() == {"sent": 0, "retry": 0, "failed": 0}
    assert smtp.messages == []


@pytest.mark.django_db
def test_smtp_down_is_retried_with_backoff_and_fails_after_the_last_attempt(
    service, smtp, staff, frozen
):  # CASE-2
    mail = send_external(staff, to=["c@example.net"], subject="回访", body="您好")
    smtp.stop()
    assert actions_outbound.send_due()["retry"] == 1
    mail.refresh_from_db()
    assert mail.status == OutboundState.PENDING and mail.attempts == 1 and mail.last_error
    assert mail.next_attempt_at == clock.now() + RETRY_AFTER[0]
    assert actions_outbound.send_due() == {"sent": 0, "retry": 0, "failed": 0}  # backing off
    clock.advance(RETRY_AFTER[0])
    smtp.start()
    assert actions_outbound.send_due()["sent"] == 1
    assert [m["Message-ID"] for m in smtp.messages] == [mail.message_id]

    other = send_external(staff, to=["d@example.net"], subject="回访", body="您好")
    smtp.stop()
    for wait in RETRY_AFTER:
        assert actions_outbound.send_due()["retry"] == 1
        clock.advance(wait)
    assert actions_outbound.send_due()["failed"] == 1
    other.refresh_from_db()
    assert other.status == OutboundState.FAILED and other.attempts == MAX_ATTEMPTS
    clock.advance(timedelta(days=1))
    assert actions_outbound.send_due() == {"sent": 0, "retry": 0, "failed": 0}
    # an administrator sends it again once the server is back
    smtp.start()
    actions.retry_outbound(staff, other.pk)
    assert actions_outbound.send_due()["sent"] == 1
    other.refresh_from_db()
    assert other.status == OutboundState.SENT and other.attempts == 1


@pytest.mark.django_db
def test_bad_addresses_and_empty_messages_are_refused(service, staff):  # CASE-2
    for kwargs, field in [
        ({"to": "not-an-address", "subject": "s", "body": "b"}, "to"),
        ({"to": [], "subject": "s", "body": "b"}, "to"),
        ({"to": "a@example.net", "cc": ["bad"], "subject": "s", "body": "b"}, "cc"),
        ({"to": "a@example.net", "subject": " ", "body": "b"}, "subject"),
        ({"to": "a@example.net", "subject": "s", "body": ""}, "body"),
    ]:
        with pytest.raises(Invalid) as caught:
            send_external(staff, **kwargs)
        assert field in caught.value.fields
    assert not OutboundMail.objects.exists()
