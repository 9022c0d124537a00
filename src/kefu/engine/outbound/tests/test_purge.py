"""SEC-8 + FUP-2: when a customer is destroyed, the messages sent (or queued) to them keep no personal
data — the archive's destruction calls the outbound gateway's own purge in its transaction."""

import pytest
from django.db import connection

from kefu.core.actor import Actor
from kefu.core.models import AuditEvent
from kefu.customers.actions import destruction
from kefu.customers.models import Customer
from kefu.engine.outbound import actions
from kefu.engine.outbound.models import MessageState, OutboundMessage
from kefu.engine.outbound.tests.conftest import PHONE

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(customer):
    """The outbound tests' customer, as a category B one (category A is never destroyed)."""
    Customer.objects.filter(pk=customer.pk).update(audience="B")
    customer.refresh_from_db()
    return customer


def test_sec8_destroying_a_customer_purges_their_outbound_messages(sms, customer, staff):
    sent = actions.send(
        staff, customer, channel="sms", purpose="revisit", body="陈先生您好，回访一下水压问题。"
    )
    assert actions.send_due()["sent"] == 1
    queued = actions.send(staff, customer, channel="sms", purpose="revisit", body="第二条：请回电。")
    destruction.wipe_customer(Actor.system("test"), customer, reason="销毁申请")
    for message in (sent, queued):
        message.refresh_from_db()
        assert (message.recipient, message.body, message.subject, message.recipient_index) == ("", "", "", "")
    assert sent.status == MessageState.SENT and queued.status == MessageState.CANCELLED
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT recipient, recipient_index, body, subject, last_error FROM outbound_outboundmessage "
            "WHERE customer_id = %s",
            [customer.pk],
        )
        rows = " ".join(str(v) for row in cursor.fetchall() for v in row)
    assert PHONE not in rows and "水压" not in rows and rows.strip() == ""
    assert actions.send_due()["sent"] == 0  # the queued one never leaves
    purge = AuditEvent.objects.get(action="outbound.purged", object_id=str(customer.pk))
    assert purge.after == {"messages": 2}
    assert (
        AuditEvent.objects.get(action="customer.destroy", object_id=str(customer.pk)).after[
            "outbound_messages"
        ]
        == 2
    )


def test_sec8_a_customer_without_messages_is_destroyed_as_before(customer):
    destruction.wipe_customer(Actor.system("test"), customer)
    assert not OutboundMessage.objects.filter(customer=customer).exists()
    assert not AuditEvent.objects.filter(action="outbound.purged").exists()
