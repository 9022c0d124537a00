"""SEC-6 without a shared lock: writers insert unsealed audit rows, one sealer at a time chains them."""

import threading
import time
from datetime import timedelta
from itertools import pairwise

import pytest
from django.conf import settings
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from tests.concurrency.support import pg_only

from kefu import cli
from kefu.core import audit, clock, worker
from kefu.core.actor import Actor
from kefu.core.models import AuditChainHead, AuditEvent
from kefu.core.worker import SWEEPS, Worker


def _hold(work, ready: threading.Event, release: threading.Event, errors: list) -> threading.Thread:
    """Run `work()` in a transaction on its own connection and keep it open until `release`."""

    def run():
        try:
            with transaction.atomic():
                work()
                ready.set()
                release.wait(10)
        except Exception as exc:  # surfaced by the caller
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _lock_timeout(value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = '{value}'")


def _write(actor: Actor, n: int = 1, action: str = "test.write") -> list[AuditEvent]:
    return [audit.record(actor, action, object_type="test.thing", object_id=str(i)) for i in range(n)]


@pytest.mark.django_db
def test_record_is_one_insert_that_touches_no_shared_row(admin_actor):  # SEC-6
    with CaptureQueriesContext(connection) as queries:
        event = audit.record(admin_actor, "test.write", object_type="test.thing", object_id="1")
    statements = [q["sql"] for q in queries.captured_queries]
    assert len(statements) == 1 and statements[0].startswith("INSERT")
    assert "core_auditchainhead" not in statements[0]
    event.refresh_from_db()
    assert event.seq is None and event.hash == "" and event.prev_hash == ""


@pytest.mark.django_db
def test_the_sealer_chains_the_backlog_in_batches_and_moves_the_head(admin_actor):  # SEC-6
    audit.seal_pending()
    head = AuditChainHead.objects.get(pk=1)
    events = _write(admin_actor, 7)
    assert audit.backlog().count == 7
    assert audit.seal_batch(limit=3) == 3
    assert audit.backlog().count == 4
    assert audit.seal_pending(limit=3) == 4  # 3 + 1: stops at the first short batch
    assert audit.seal_pending() == 0
    sealed = list(AuditEvent.objects.filter(pk__in=[e.pk for e in events]).order_by("id"))
    assert [e.seq for e in sealed] == list(range(head.last_seq + 1, head.last_seq + 8))
    assert sealed[0].prev_hash == head.last_hash
    assert all(later.prev_hash == earlier.hash for earlier, later in pairwise(sealed))
    head.refresh_from_db()
    assert (head.last_seq, head.last_hash) == (sealed[-1].seq, sealed[-1].hash)
    result = audit.verify()
    assert result.ok and result.unsealed == 0


@pytest.mark.django_db
def test_verify_checks_sealed_rows_and_reports_the_backlog(admin_actor, frozen, capsys):  # SEC-6
    audit.seal_pending()
    _write(admin_actor, 2)
    checked = audit.verify().checked
    clock.advance(timedelta(seconds=90))
    _write(admin_actor, 1)
    result = audit.verify()
    assert result.ok and result.checked == checked and result.unsealed == 3
    assert result.unsealed_since == frozen
    capsys.readouterr()
    assert cli.main(["audit", "verify"]) == 0
    assert "3 newer rows not sealed yet, the oldest waiting 90 s" in capsys.readouterr().out
    assert cli.main(["audit", "seal"]) == 0
    assert "sealed 3 rows, 0 left unsealed" in capsys.readouterr().out
    result = audit.verify()
    assert result.ok and result.checked == checked + 3 and result.unsealed == 0


@pytest.mark.django_db
def test_tampering_with_a_sealed_row_is_still_found(admin_actor):  # SEC-6
    _write(admin_actor, 5)
    audit.seal_pending()
    victim = AuditEvent.objects.order_by("-seq")[2]
    AuditEvent.objects.filter(pk=victim.pk).update(reason="edited")
    result = audit.verify()
    assert not result.ok and result.broken_seq == victim.seq


@pytest.mark.django_db
def test_a_head_ahead_of_the_chain_means_rows_were_removed(admin_actor):  # SEC-6
    _write(admin_actor, 3)
    audit.seal_pending()
    last = AuditEvent.objects.order_by("-seq").first()
    last.delete()
    result = audit.verify()
    assert not result.ok and result.broken_seq == last.seq and "removed" in result.problem


@pytest.mark.django_db
def test_audit_page_and_a_records_history_show_unsealed_rows(demo, client):  # SEC-6
    from kefu.customers.models import Customer
    from kefu.customers.timeline import collect

    customer = Customer.objects.order_by("pk").first()
    admin = Actor(user=demo["admin"].user, origin="test")
    audit.record(admin, "customer.contact_add", customer, after={"name": "李先生"})
    assert audit.backlog().count == 1
    client.force_login(demo["admin"].user)
    body = client.get("/audit/?action=customer.contact_add").content.decode()
    assert "customer.contact_add" in body and "待封存" in body
    entries = [e for e in collect(admin, customer) if e.kind == "audit"]
    assert any("李先生" in e.detail for e in entries)


@pytest.mark.django_db
def test_healthz_warns_when_the_backlog_is_older_than_the_pack_allows(client, admin_actor, frozen):  # SEC-6
    from kefu.engine.policy import api as policy

    bound = policy.lookup("security.audit_seal_backlog")
    assert bound.rule == "SEC-6" and bound.default_not_from_seeds
    audit.seal_pending()
    assert client.get("/healthz").json()["audit"]["status"] == "ok"
    _write(admin_actor, 2)
    clock.advance(bound.duration())
    assert client.get("/healthz").json()["audit"]["status"] == "ok"  # at the bound: still in time
    clock.advance(timedelta(seconds=1))
    response = client.get("/healthz")
    body = response.json()["audit"]
    assert response.status_code == 200  # a warning, not an outage: writes still work
    assert body["status"] == "warning" and body["unsealed"] == 2
    assert body["oldest_unsealed_age_seconds"] == bound.duration().total_seconds() + 1
    audit.seal_pending()
    assert client.get("/healthz").json()["audit"]["status"] == "ok"


@pytest.mark.django_db(transaction=True)  # the worker closes stale connections between rounds
def test_the_worker_seals_every_few_seconds_and_at_once_after_a_burst(admin_user, monkeypatch):  # SEC-6
    actor = Actor(user=admin_user, origin="test")
    sweep = SWEEPS["audit.seal"]
    assert sweep.every == timedelta(seconds=settings.KEFU_AUDIT_SEAL_SECONDS)
    assert list(SWEEPS).index("audit.seal") < list(SWEEPS).index("audit.checkpoint")
    audit.seal_pending()
    monkeypatch.setattr(audit, "SEAL_BATCH", 2)
    monkeypatch.setattr(worker, "SEAL_BATCHES_PER_ROUND", 2)
    mine = _write(actor, 5)

    def unsealed() -> int:
        return AuditEvent.objects.filter(pk__in=[e.pk for e in mine], seq__isnull=True).count()

    sweep.last_run = None
    Worker(interval=0).tick()
    assert unsealed() == 1 and sweep.last_run is None  # a full share sealed: again in the next round
    Worker(interval=0).tick()
    assert unsealed() == 0
    sweep.last_run = time.monotonic()
    mine = _write(actor, 1)
    Worker(interval=0).tick()  # within KEFU_AUDIT_SEAL_SECONDS of the last round: not yet
    assert unsealed() == 1
    audit.seal_pending()
    assert audit.verify().ok


@pg_only
def test_writers_never_wait_for_each_other_nor_for_the_sealer(admin_user):  # SEC-6
    actor = Actor(user=admin_user, origin="test")
    audit.seal_pending()
    errors: list = []
    writer_ready, sealer_ready, release = threading.Event(), threading.Event(), threading.Event()
    # a request that wrote its audit row and is still running Python, holding its transaction open
    slow = _hold(lambda: _write(actor, 1, "test.slow"), writer_ready, release, errors)
    try:
        assert writer_ready.wait(10)
        _lock_timeout("500ms")  # waiting on any lock fails instead of hanging
        with transaction.atomic():
            _write(actor, 3, "test.fast")
        assert AuditEvent.objects.filter(action="test.fast").count() == 3  # committed beside the open one
        assert audit.seal_pending() == 3  # the sealer does not wait for it, nor seal it uncommitted
        # a sealer at work (holding the head): writers still write, a second sealer leaves at once
        sealer = _hold(lambda: audit._lock_head(), sealer_ready, release, errors)
        assert sealer_ready.wait(10)
        with transaction.atomic():
            _write(actor, 2, "test.fast")
        assert audit.seal_batch() is None
        assert audit.seal_pending() == 0
    finally:
        release.set()
        slow.join()
        _lock_timeout("0")
    sealer.join()
    assert errors == []
    assert audit.seal_pending() == 3 and audit.verify().ok


@pg_only
def test_a_lower_id_committed_after_higher_ids_were_sealed_is_sealed_not_skipped(admin_user):  # SEC-6
    actor = Actor(user=admin_user, origin="test")
    audit.seal_pending()
    errors: list = []
    ready, release = threading.Event(), threading.Event()
    late: list[AuditEvent] = []
    slow = _hold(lambda: late.extend(_write(actor, 1, "test.late")), ready, release, errors)
    assert ready.wait(10)
    early = _write(actor, 2, "test.early")
    assert late[0].pk < early[0].pk  # the id was taken first, the commit comes last
    assert audit.seal_pending() == 2
    release.set()
    slow.join()
    assert errors == []
    assert audit.seal_pending() == 1
    rows = {e.action: e for e in AuditEvent.objects.filter(action__startswith="test.")}
    assert rows["test.late"].seq == max(e.seq for e in rows.values())  # sealed after, in commit order
    result = audit.verify()
    assert result.ok and result.unsealed == 0


@pg_only
def test_sealers_in_parallel_seal_every_row_exactly_once(admin_user):  # SEC-6
    actor = Actor(user=admin_user, origin="test")
    audit.seal_pending()
    before = AuditEvent.objects.count()
    start, stop, errors = threading.Barrier(6), threading.Event(), []
    sealed = []

    def write():
        try:
            start.wait()
            for _ in range(20):
                _write(actor, 5)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    def seal():
        try:
            start.wait()
            while not stop.is_set():
                sealed.append(audit.seal_pending(limit=7) or 0)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    writers = [threading.Thread(target=write) for _ in range(3)]
    sealers = [threading.Thread(target=seal) for _ in range(3)]
    for thread in writers + sealers:
        thread.start()
    for thread in writers:
        thread.join()
    stop.set()
    for thread in sealers:
        thread.join()
    assert errors == []
    sealed.append(audit.seal_pending())
    assert sum(sealed) == 300  # every row sealed once, by exactly one of the sealers
    assert sorted(AuditEvent.objects.values_list("seq", flat=True)) == list(range(1, before + 301))
    result = audit.verify()
    assert result.ok and result.checked == before + 300 and result.unsealed == 0
