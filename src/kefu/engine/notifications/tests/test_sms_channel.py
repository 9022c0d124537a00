"""Issue 17 / NTF-1: staff notifications also go out as text messages, through the HTTP SMS gateway
(a real server on loopback), where one is configured: the `sms` channel of the notifications engine
(kefu.engine.outbound.staff_texts). One signed text per person with a mobile, none without one or
after opting out; 5xx retried with the notifications' schedule, 4xx failed at once; no number in clear
in the delivery row; no channel at all without a gateway."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client

from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.crypto import blind_index
from kefu.core.errors import DomainError
from kefu.core.models import AuditEvent
from kefu.engine.notifications import actions, channels
from kefu.engine.notifications.api import notify, present
from kefu.engine.notifications.models import Delivery, DeliveryStatus
from kefu.engine.outbound import staff_texts
from kefu.engine.outbound.tests.conftest import SECRET

ALL = ("inbox", "email", "sms")


@pytest.fixture
def lina(demo, frozen):
    """A demo employee with a mobile on file (13801020002)."""
    return demo["lina"]


def _tell(*users):
    return notify(list(users), "test.message", {"name": "李娜"}, channels=ALL, link="/emergency/incidents/")


def _set_phone(employee, phone):
    employee.phone = phone
    employee.phone_index = blind_index(phone) if phone else ""
    employee.save()


def test_a_person_with_a_mobile_gets_one_signed_text(lina, sms, smtp):  # issue 17, NTF-1
    (notification,) = _tell(lina.user)
    assert sms.requests == []  # the worker sends, not the caller
    assert actions.deliver_due() == {"sent": 2, "retry": 0, "failed": 0}  # the e-mail and the text
    assert len(smtp.messages) == 1
    ((headers, body),) = sms.requests
    text = Delivery.objects.get(notification=notification, channel="sms")
    assert (
        headers["X-Kefu-Signature"] == "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    )
    assert headers["Idempotency-Key"] == staff_texts.key(text) == f"kefu-notification-{text.pk}"
    assert json.loads(body) == {"id": staff_texts.key(text), "to": "13801020002", "text": "kefu 测试消息"}
    assert text.status == DeliveryStatus.SENT and text.attempts == 1 and text.sent_at == clock.now()
    assert actions.deliver_due() == {"sent": 0, "retry": 0, "failed": 0}
    assert len(sms.requests) == 1  # once


def test_no_text_without_a_mobile_or_after_opting_out(demo, lina, sms, smtp):  # issue 17, NTF-1
    other = demo["zhaomin"]
    _set_phone(other, "")
    _tell(lina.user, other.user)
    assert Delivery.objects.filter(channel="sms").count() == 1  # lina only; both still get the e-mail
    assert Delivery.objects.filter(channel="email").count() == 2
    actions.deliver_due()
    assert [json.loads(body)["to"] for _, body in sms.requests] == ["13801020002"]

    actions.save_preference(
        Actor(user=lina.user, origin="test"), language="zh-hans", email_enabled=True, sms_enabled=False
    )
    (notification,) = _tell(lina.user)
    assert list(notification.deliveries.values_list("channel", flat=True)) == ["email"]
    assert notification.in_inbox  # the inbox still has it


def test_a_5xx_is_retried_on_the_notifications_schedule_with_the_same_key(lina, sms, smtp):  # issue 17, NTF-1
    sms.script = [503, "timeout"]
    _tell(lina.user)
    text = Delivery.objects.get(channel="sms")
    assert actions.deliver_due() == {"sent": 1, "retry": 1, "failed": 0}  # the e-mail; the text (503)
    text.refresh_from_db()
    assert text.status == DeliveryStatus.PENDING and "503" in text.last_error
    assert text.next_attempt_at == clock.now() + actions.RETRY_AFTER[0]
    assert actions.deliver_due() == {"sent": 0, "retry": 0, "failed": 0}  # not before its time
    clock.advance(actions.RETRY_AFTER[0])
    actions.deliver_due()  # the timeout
    text.refresh_from_db()
    assert text.status == DeliveryStatus.PENDING and text.attempts == 2
    clock.advance(actions.RETRY_AFTER[1])
    actions.deliver_due()
    text.refresh_from_db()
    assert text.status == DeliveryStatus.SENT and text.attempts == 3 and text.last_error == ""
    assert {headers["Idempotency-Key"] for headers, _ in sms.requests} == {staff_texts.key(text)}
    assert list(sms.delivered) == [staff_texts.key(text)]  # one text reached the phone


def test_a_4xx_fails_at_once(lina, sms, smtp):  # issue 17, NTF-1
    sms.script = [400]
    _tell(lina.user)
    assert actions.deliver_due() == {"sent": 1, "retry": 0, "failed": 1}
    text = Delivery.objects.get(channel="sms")
    assert text.status == DeliveryStatus.FAILED and text.attempts == 1 and "400" in text.last_error
    assert text.next_attempt_at is None
    clock.advance(timedelta(days=1))
    actions.deliver_due()
    assert len(sms.requests) == 1


def test_a_mobile_removed_before_sending_fails_the_text_without_posting(lina, sms, smtp):  # issue 17
    _tell(lina.user)
    _set_phone(lina, "")
    assert actions.deliver_due() == {"sent": 1, "retry": 0, "failed": 1}
    assert sms.requests == []
    assert "no mobile" in Delivery.objects.get(channel="sms").last_error


def test_no_number_in_clear_in_the_delivery_row(lina, sms, smtp):  # issue 17, SEC-1
    sms.script = [500]
    _tell(lina.user)
    actions.deliver_due()
    text = Delivery.objects.get(channel="sms")
    assert text.address == f"employee:{lina.pk}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM notifications_delivery WHERE channel = 'sms'")
        (row,) = cursor.fetchall()
    assert "13801020002" not in " ".join(str(value) for value in row)
    assert "500" in text.last_error  # the error is kept, without the number


def test_no_sms_channel_without_a_gateway(lina, settings):  # issue 17, NTF-1
    settings.KEFU_SMS_URL = ""
    settings.KEFU_SMS_SECRET = "a-secret"
    assert channels.get("sms") is None and "sms" not in channels.names()
    assert present(*ALL) == ("inbox", "email")
    with pytest.raises(DomainError) as raised:
        _tell(lina.user)
    assert raised.value.code == "notification_channel_unknown"
    (notification,) = notify([lina.user], "test.message", {"name": "李娜"}, channels=present(*ALL))
    assert list(notification.deliveries.values_list("channel", flat=True)) == ["email"]
    # a URL without the secret that signs requests is no gateway either
    settings.KEFU_SMS_URL = "http://127.0.0.1:9/sms"
    settings.KEFU_SMS_SECRET = ""
    assert channels.get("sms") is None
    settings.KEFU_SMS_SECRET = "a-secret"
    assert isinstance(channels.get("sms"), staff_texts.SmsChannel) and "sms" in channels.names()
    assert present(*ALL) == ALL


def test_the_text_opt_out_on_the_profile_page(lina, sms, settings):  # issue 17, NTF-1
    client = Client()
    client.force_login(lina.user)
    page = client.get("/profile/").content.decode()
    assert 'name="sms_enabled"' in page
    client.post("/inbox/preferences/", {"language": "zh-hans", "email_enabled": "on"})
    lina.user.refresh_from_db()
    assert lina.user.notification_preference.sms_enabled is False
    event = AuditEvent.objects.get(action="notifications.preference")
    assert event.before["sms_enabled"] is True and event.after["sms_enabled"] is False

    settings.KEFU_SMS_URL = ""  # no gateway: no choice offered, and saving keeps the stored one
    assert 'name="sms_enabled"' not in client.get("/profile/").content.decode()
    client.post("/inbox/preferences/", {"language": "en", "email_enabled": "on"})
    preference = type(lina.user.notification_preference).objects.get(user=lina.user)
    assert preference.language == "en" and preference.sms_enabled is False
