"""NTF-1: notify() writes the inbox row and the outbox in the caller's transaction; the worker's sweep
sends each e-mail once through a real SMTP server, retries with backoff, and gives up after 5 tries."""

from datetime import timedelta

import pytest
from django.db import transaction

from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.errors import DomainError
from kefu.core.worker import SWEEPS
from kefu.engine.notifications import actions
from kefu.engine.notifications.api import notify
from kefu.engine.notifications.models import Delivery, DeliveryStatus, Notification


def _timer_context():
    return {
        "object": "投诉 TS-0042",
        "timer": "首次响应",
        "due_at": clock.now() + timedelta(hours=2),
        "rule": "CAS-3",
        "clause": "接到投诉后2小时内响应",
    }


def test_sweep_is_registered_with_the_worker():  # NTF-1
    assert SWEEPS["notifications.deliver"].run is actions.deliver_due
    assert SWEEPS["notifications.deliver"].every == timedelta(seconds=5)


def test_email_in_each_recipients_language_through_real_smtp(people, smtp, frozen):  # NTF-1
    created = notify([people["zh"], people["en"]], "timer.warning", _timer_context(), link="/cases/42/")
    assert [n.language for n in created] == ["zh-hans", "en"]
    assert smtp.messages == []  # nothing leaves before the worker runs
    assert actions.deliver_due() == {"sent": 2, "retry": 0, "failed": 0}

    by_to = {str(m["To"]): m for m in smtp.messages}
    assert set(by_to) == {"zhang@example.com", "emma@example.com"}
    chinese = by_to["zhang@example.com"]
    # 10:00 UTC+8 plus two hours; formatted in Beijing time
    assert chinese["Subject"].strip() == "【即将超时】投诉 TS-0042：首次响应将于 2026-03-02 12:00 到期"
    text = chinese.get_content()
    assert "「首次响应」时限将于 2026-03-02 12:00（北京时间）到期" in text
    assert "依据：CAS-3 ——「接到投诉后2小时内响应」" in text
    assert "https://kefu.example/cases/42/" in text
    assert chinese.get_content_charset() == "utf-8"
    assert str(chinese["From"]) == "kefu@kefu.example"
    english = by_to["emma@example.com"]
    assert english["Subject"].strip() == "[Due soon] 投诉 TS-0042: 首次响应 is due at 2026-03-02 12:00"
    assert 'The "首次响应" deadline of 投诉 TS-0042 falls due' in english.get_content()
    deliveries = {d.address: d for d in Delivery.objects.all()}
    for address, message in by_to.items():
        delivery = deliveries[address]
        assert message["Message-ID"] == f"<kefu-{delivery.pk}@kefu.example>"
        assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 1
        assert delivery.sent_at == clock.now()
    # the inbox row carries the same rendered text
    inbox = Notification.objects.get(recipient=people["zh"])
    assert inbox.subject == chinese["Subject"].strip() and inbox.read_at is None


def test_employee_email_is_used_and_opt_out_is_respected(demo, smtp):  # NTF-1
    employee = demo["lina"]
    employee.user.email = "private@example.com"
    employee.user.save()
    notify([employee.user], "test.message", {"name": employee.name})
    actions.deliver_due()
    assert [str(m["To"]) for m in smtp.messages] == [employee.email]
    assert smtp.messages[0]["Subject"].strip() == "kefu 测试消息"
    assert f"{employee.name}，您好" in smtp.messages[0].get_content()

    actions.save_preference(Actor(user=employee.user, origin="test"), language="zh-hans", email_enabled=False)
    notify([employee.user], "test.message", {"name": employee.name})
    assert Notification.objects.filter(recipient=employee.user).count() == 2
    assert Delivery.objects.count() == 1  # the inbox still has it; no e-mail for an opted-out person


def test_nothing_is_kept_when_the_callers_transaction_rolls_back(people):  # NTF-1
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        notify([people["zh"]], "test.message", {"name": "张"})
        # inside the transaction the inbox row and the outbox row exist at once
        assert Notification.objects.filter(recipient=people["zh"]).count() == 1
        assert Delivery.objects.filter(status=DeliveryStatus.PENDING).count() == 1
        raise Boom
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()


def test_sweep_sends_once_and_a_second_sweep_sends_nothing(people, smtp, frozen):  # NTF-1
    notify([people["zh"]], "test.message", {"name": "张"})
    assert actions.deliver_due()["sent"] == 1
    assert actions.deliver_due() == {"sent": 0, "retry": 0, "failed": 0}
    clock.advance(timedelta(days=1))
    assert actions.deliver_due() == {"sent": 0, "retry": 0, "failed": 0}
    assert len(smtp.messages) == 1


def test_smtp_down_retries_with_backoff_then_succeeds(people, smtp, frozen):  # NTF-1
    notify([people["zh"]], "test.message", {"name": "张"})
    smtp.stop()
    start = clock.now()
    assert actions.deliver_due()["retry"] == 1
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    assert delivery.next_attempt_at == start + timedelta(minutes=1)
    assert "Connection" in delivery.last_error or "refused" in delivery.last_error.lower()
    clock.advance(timedelta(seconds=59))
    assert actions.deliver_due()["retry"] == 0  # not due yet
    clock.advance(timedelta(seconds=1))
    assert actions.deliver_due()["retry"] == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.next_attempt_at == clock.now() + timedelta(minutes=5)
    smtp.start()
    clock.advance(timedelta(minutes=4))
    assert actions.deliver_due()["sent"] == 0
    assert smtp.messages == []
    clock.advance(timedelta(minutes=1))
    assert actions.deliver_due()["sent"] == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 3 and delivery.last_error == ""
    assert len(smtp.messages) == 1


def test_five_failures_give_up(people, smtp, frozen):  # NTF-1
    notify([people["zh"]], "test.message", {"name": "张"})
    smtp.stop()
    waits = []
    for attempt in range(1, 6):
        before = clock.now()
        result = actions.deliver_due()
        delivery = Delivery.objects.get()
        assert delivery.attempts == attempt
        if attempt < 5:
            assert result["retry"] == 1 and delivery.status == DeliveryStatus.PENDING
            waits.append(delivery.next_attempt_at - before)
            clock.advance(delivery.next_attempt_at - before)
        else:
            assert result["failed"] == 1
    assert waits == [timedelta(minutes=m) for m in (1, 5, 15, 60)]
    assert delivery.status == DeliveryStatus.FAILED and delivery.next_attempt_at is None
    smtp.start()
    clock.advance(timedelta(days=1))
    assert actions.deliver_due() == {"sent": 0, "retry": 0, "failed": 0}
    assert smtp.messages == []


def test_a_lapsed_claim_is_resent_with_the_same_message_id(people, smtp, frozen):  # NTF-1
    # a worker that claimed a row and died (before recording the outcome) does not block it forever;
    # the resend carries the same Message-ID so that receivers can drop a duplicate
    notify([people["zh"]], "test.message", {"name": "张"})
    claimed = actions.claim(Delivery, 10)
    assert len(claimed) == 1
    assert actions.deliver_due()["sent"] == 0  # still claimed by the "dead" worker
    clock.advance(actions.CLAIM_LEASE)
    assert actions.deliver_due()["sent"] == 1
    delivery = Delivery.objects.get()
    assert delivery.attempts == 2 and delivery.status == DeliveryStatus.SENT
    assert smtp.messages[0]["Message-ID"] == f"<kefu-{delivery.pk}@kefu.example>"


def test_a_stale_worker_cannot_overwrite_a_newer_claim(people, smtp, frozen):  # NTF-1
    notify([people["zh"]], "test.message", {"name": "张"})
    actions.claim(Delivery, 10)
    stale = Delivery.objects.get()
    clock.advance(actions.CLAIM_LEASE)
    actions.deliver_due()  # a second worker reclaims and sends
    actions.finish(stale, RuntimeError("late failure from the first worker"))
    stale.refresh_from_db()
    assert stale.status == DeliveryStatus.SENT and stale.last_error == ""


def test_missing_template_is_refused_at_call_time(people):  # NTF-1
    with pytest.raises(DomainError) as caught:
        notify([people["zh"]], "no.such.template", {})
    assert caught.value.code == "notification_template_missing"
    assert not Notification.objects.exists()


def test_unknown_channel_and_foreign_link_are_refused(people):  # NTF-1
    with pytest.raises(DomainError) as caught:
        notify([people["zh"]], "test.message", {"name": "张"}, channels=("inbox", "pigeon"))
    assert caught.value.code == "notification_channel_unknown"
    for link in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        with pytest.raises(DomainError) as caught:
            notify([people["zh"]], "test.message", {"name": "张"}, link=link)
        assert caught.value.code == "notification_link"
    assert not Notification.objects.exists()


def test_email_only_notification_is_not_in_the_inbox(people, smtp):  # NTF-1
    notify([people["en"]], "test.message", {"name": "Emma"}, channels=("email",))
    notification = Notification.objects.get()
    assert notification.in_inbox is False
    actions.deliver_due()
    assert smtp.messages[0]["Subject"].strip() == "kefu test message"
    assert "Hello Emma," in smtp.messages[0].get_content()


def test_target_object_is_recorded(people, demo):  # NTF-1
    unit = demo["lina"].unit
    (notification,) = notify([people["zh"]], "test.message", {"name": "张"}, obj=unit, channels=("inbox",))
    assert notification.target == unit
    assert not Delivery.objects.exists()
