"""`send_many` (CARE-1 greetings in batches): the checks of `send`, set-based — an opted-out customer,
a customer without a number and the daily cap refuse their item only; the others are queued and
audited, in a fixed number of statements whatever the batch's size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.core.actor import Actor
from kefu.core.errors import DomainError
from kefu.core.models import AuditEvent
from kefu.customers import actions as customer_actions
from kefu.engine.outbound import actions
from kefu.engine.outbound.models import MessageState, OutboundMessage

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("test")


def _customers(demo, actor_of, n, *, phone=True):
    me = actor_of(demo["wangfang"])
    return [
        customer_actions.create_customer(me, name=f"客户{i}", phone=f"1391234{i:04d}" if phone else "")
        for i in range(n)
    ]


def test_a_batch_refuses_item_by_item_and_queues_the_rest(demo, actor_of, frozen):  # FUP-2 CARE-1
    first, opted, cap = _customers(demo, actor_of, 3)
    (no_phone,) = _customers(demo, actor_of, 1, phone=False)
    actions.opt_out(SYSTEM, opted, source="staff")
    for _ in range(3):  # the cap (3 a day, 本系统默认值) reached already
        actions.send(SYSTEM, cap, channel="sms", body="您好", purpose="revisit")
    results = actions.send_many(
        SYSTEM,
        [(first, "中秋快乐"), (opted, "中秋快乐"), (cap, "中秋快乐"), (no_phone, "中秋快乐")],
        channel="sms",
        purpose="greeting",
    )
    queued, *refused = results
    assert isinstance(queued, OutboundMessage) and queued.pk and queued.status == MessageState.PENDING
    assert [r.code for r in refused] == ["opted_out", "outbound_daily_cap", "outbound_no_address"]
    assert all(isinstance(r, DomainError) for r in refused)
    stored = OutboundMessage.objects.get(pk=queued.pk)
    assert stored.body == "中秋快乐" and stored.purpose == "greeting"
    row = AuditEvent.objects.get(action="outbound.queued", object_id=str(queued.pk))
    assert "1391234" not in str(row.after)  # the number only as a fingerprint


def test_the_statements_do_not_grow_with_the_batch(demo, actor_of, frozen):  # CARE-1
    customers = _customers(demo, actor_of, 12)
    counted = []
    for part in (customers[:3], customers[3:]):
        with CaptureQueriesContext(connection) as run:
            actions.send_many(SYSTEM, [(c, "您好") for c in part], channel="sms", purpose="greeting")
        counted.append(len(run))
    assert counted[0] == counted[1], counted
