"""FUP-2 on PostgreSQL with real parallel connections: the daily cap holds when senders race for one
customer, and parallel workers post each message once."""

import threading

import pytest
from django.db import connection, connections

from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.crypto import blind_index
from kefu.core.errors import Conflict
from kefu.customers.models import Customer
from kefu.engine.outbound import actions
from kefu.engine.outbound.models import MessageState, OutboundMessage
from kefu.engine.outbound.tests.conftest import PHONE
from kefu.org.models import Unit, UnitKind


def _in_parallel(n, work):
    start, results = threading.Barrier(n, timeout=30), []

    def run():
        try:
            start.wait()
            results.append(work())
        except Conflict as error:
            results.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.pg_only
@pytest.mark.django_db(transaction=True)
def test_racing_senders_and_workers(sms, frozen):  # FUP-2 outbound.daily_per_customer
    if connection.vendor != "postgresql":
        pytest.skip("parallel connections: PostgreSQL")
    unit = Unit.objects.create(kind=UnitKind.choices[0][0], name="测试公司", code="outbound-race")
    now = clock.now()
    customer = Customer.objects.create(
        name="陈建国", phone=PHONE, phone_index=blind_index(PHONE), unit=unit, created_at=now, updated_at=now
    )
    system = Actor.system("test")

    def send():
        return actions.send(system, customer, channel="sms", body="您好", purpose="revisit").pk

    results = _in_parallel(6, send)
    assert sorted(map(str, results)).count("outbound_daily_cap") == 3
    assert OutboundMessage.objects.filter(customer=customer).count() == 3
    outcomes = _in_parallel(3, actions.send_due)
    assert sum(outcome["sent"] for outcome in outcomes) == 3
    keys = [headers["Idempotency-Key"] for headers, _ in sms.requests]
    assert len(keys) == 3 and len(set(keys)) == 3
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {MessageState.SENT}
