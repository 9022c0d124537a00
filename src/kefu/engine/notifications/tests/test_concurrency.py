"""NTF-1: several workers sweeping at the same moment send each message exactly once.

Real parallel connections (threads, each with its own database connection); on PostgreSQL the claim
uses FOR UPDATE SKIP LOCKED, on SQLite writers queue on the database lock. Either way the SMTP server
must receive every message once.
"""

import threading
from collections import Counter

import pytest
from django.db import connections

from kefu.engine.notifications import actions
from kefu.engine.notifications.api import notify
from kefu.engine.notifications.models import Delivery, DeliveryStatus

WORKERS = 4
MESSAGES = 30


@pytest.mark.django_db(transaction=True)
def test_parallel_sweeps_send_each_message_exactly_once(django_user_model, smtp):  # NTF-1
    users = [
        django_user_model.objects.create_user(f"p{i}", f"p{i}@example.com", "x-long-password")
        for i in range(MESSAGES)
    ]
    notify(users, "test.message", {"name": "同事"})
    start = threading.Barrier(WORKERS)
    sent_by_worker = Counter()
    errors = []

    def work(n):
        try:
            start.wait()
            while True:
                result = actions.deliver_due(limit=3)  # small batches: the workers interleave
                if not any(result.values()):
                    break
                sent_by_worker[n] += result["sent"]
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    received = Counter(str(m["To"]) for m in smtp.messages)
    assert received == Counter({f"p{i}@example.com": 1 for i in range(MESSAGES)})
    assert len({m["Message-ID"] for m in smtp.messages}) == MESSAGES
    assert sum(sent_by_worker.values()) == MESSAGES
    assert Delivery.objects.filter(status=DeliveryStatus.SENT, attempts=1).count() == MESSAGES
    # a later round finds nothing to do
    assert actions.deliver_due() == {"sent": 0, "retry": 0, "failed": 0}
    assert len(smtp.messages) == MESSAGES
