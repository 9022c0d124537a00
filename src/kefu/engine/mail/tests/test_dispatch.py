"""CASE-2 e-mail in: received mail is handed to the registered handler by the worker's sweep, retried
with backoff when the handler fails, marked failed after the last attempt, and handled exactly once
even when several workers sweep at the same moment."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connections

from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.models import AuditEvent
from kefu.core.worker import SWEEPS
from kefu.engine.mail import actions, actions_inbound
from kefu.engine.mail.api import InboundState, ingest, register_handler
from kefu.engine.mail.tests.conftest import SERVICE, chinese_mail
from kefu.engine.notifications.retrying import MAX_ATTEMPTS, RETRY_AFTER


def test_the_worker_runs_the_dispatch_and_send_sweeps():  # CASE-2
    assert {"mail.dispatch", "mail.send"} <= set(SWEEPS)


@pytest.mark.django_db
def test_the_handler_gets_the_mail_once_and_its_result_is_kept(service, handler, admin_user):  # CASE-2
    handler.effect = lambda inbound: admin_user  # "the case it created"
    mail = ingest(chinese_mail(), envelope_from="c@example.net", envelope_to=[SERVICE])
    assert actions_inbound.dispatch_due() == {"handled": 1, "retry": 0, "failed": 0}
    assert actions_inbound.dispatch_due() == {"handled": 0, "retry": 0, "failed": 0}
    mail.refresh_from_db()
    assert handler.calls == [mail.message_id]
    assert mail.state == InboundState.HANDLED and mail.handler == "test" and mail.attempts == 1
    assert mail.result == admin_user and mail.handled_at is not None


@pytest.mark.django_db
def test_a_failing_handler_is_retried_with_backoff_then_marked_failed(service, handler, frozen):  # CASE-2
    handler.fail = True
    handler.effect = lambda inbound: get_user_model().objects.create_user(f"u{len(handler.calls)}")
    mail = ingest(chinese_mail(), envelope_from="c@example.net", envelope_to=[SERVICE])
    for attempt, wait in enumerate(RETRY_AFTER, start=1):
        assert actions_inbound.dispatch_due()["retry"] == 1
        mail.refresh_from_db()
        assert mail.state == InboundState.RECEIVED and mail.attempts == attempt
        assert mail.error == "RuntimeError: handler broke"
        assert mail.next_attempt_at == clock.now() + wait
        clock.advance(wait - timedelta(seconds=1))
        assert actions_inbound.dispatch_due() == {"handled": 0, "retry": 0, "failed": 0}  # not yet due
        clock.advance(timedelta(seconds=1))
    assert actions_inbound.dispatch_due()["failed"] == 1
    mail.refresh_from_db()
    assert (
        mail.state == InboundState.FAILED and mail.attempts == MAX_ATTEMPTS and mail.next_attempt_at is None
    )
    assert len(handler.calls) == MAX_ATTEMPTS
    assert not get_user_model().objects.filter(username__startswith="u").exists()  # effects rolled back
    assert AuditEvent.objects.filter(action="mail.failed", object_id=str(mail.pk)).exists()
    clock.advance(timedelta(days=1))
    assert actions_inbound.dispatch_due() == {"handled": 0, "retry": 0, "failed": 0}  # failed stays failed


@pytest.mark.django_db
def test_an_administrator_retries_a_failed_message(service, handler, admin_user, frozen):  # CASE-2
    mail = ingest(chinese_mail(), envelope_from="c@example.net", envelope_to=[SERVICE])
    mail.state = InboundState.FAILED
    mail.attempts = MAX_ATTEMPTS
    mail.save()
    actions.retry_inbound(Actor(user=admin_user, origin="test"), mail.pk)
    assert actions_inbound.dispatch_due()["handled"] == 1
    mail.refresh_from_db()
    assert mail.state == InboundState.HANDLED and mail.attempts == 1
    assert AuditEvent.objects.filter(action="mail.retry", object_id=str(mail.pk)).exists()


@pytest.mark.django_db
def test_without_a_handler_mail_waits_and_an_address_bound_handler_wins(service, monkeypatch):  # CASE-2
    monkeypatch.setattr(actions_inbound, "_HANDLERS", {})
    mail = ingest(chinese_mail(), envelope_from="c@example.net", envelope_to=["help@example.com"])
    assert actions_inbound.dispatch_due()["retry"] == 1
    mail.refresh_from_db()
    assert "no mail handler" in mail.error
    calls = []
    register_handler("cases", lambda m: calls.append("cases"))
    register_handler("help", lambda m: calls.append("help"), addresses=["Help@example.com"])
    mail.next_attempt_at = clock.now()
    mail.save()
    assert actions_inbound.dispatch_due()["handled"] == 1
    assert calls == ["help"]


WORKERS = 4
MESSAGES = 24


@pytest.mark.django_db(transaction=True)
def test_parallel_sweeps_hand_each_message_to_the_handler_exactly_once(service, handler):  # CASE-2
    # real parallel connections (threads with their own connection); FOR UPDATE SKIP LOCKED on PostgreSQL
    for n in range(MESSAGES):
        ingest(chinese_mail(message_id=f"<p{n}@x>"), envelope_from="c@example.net", envelope_to=[SERVICE])
    handler.effect = lambda inbound: get_user_model().objects.create_user(inbound.message_id.strip("<>"))
    start = threading.Barrier(WORKERS)
    errors = []

    def work():
        try:
            start.wait()
            while any(actions_inbound.dispatch_due(limit=2).values()):
                pass
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert Counter(handler.calls) == Counter({f"<p{n}@x>": 1 for n in range(MESSAGES)})
    assert get_user_model().objects.filter(username__startswith="p").count() == MESSAGES
    from kefu.engine.mail.models import InboundMail

    assert InboundMail.objects.filter(state=InboundState.HANDLED, attempts=1).count() == MESSAGES
