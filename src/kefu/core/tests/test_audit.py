"""SEC-6: every action leaves an attributable, hash-chained audit row; tampering is found."""

import threading

import pytest
from django.db import connection, connections

from kefu import cli
from kefu.core import audit
from kefu.core.actions import create_token
from kefu.core.actor import Actor
from kefu.core.models import AuditEvent
from kefu.org import actions


@pytest.mark.django_db
def test_actions_record_actor_object_before_after_and_origin(demo, admin_actor):  # SEC-6
    zhaomin = demo["zhaomin"]
    actions.update_employee(admin_actor, zhaomin, email="new@example.invalid")
    event = AuditEvent.objects.order_by("-id").first()
    assert event.action == "org.employee.update"
    assert (event.object_type, event.object_id) == ("org.employee", str(zhaomin.pk))
    assert event.actor_name == "admin" and event.origin == "test"
    assert event.before["email"] == "zhaomin@demo.kefu.invalid"
    assert event.after["email"] == "new@example.invalid"


@pytest.mark.django_db
def test_personal_data_never_enters_the_log_in_clear(demo, admin_actor):  # SEC-6 / SEC-1
    actions.update_employee(admin_actor, demo["zhaomin"], phone="13999990000")
    event = AuditEvent.objects.order_by("-id").first()
    assert "13999990000" not in str(event.after) and "13801020003" not in str(event.before)
    assert event.after["phone"] != event.before["phone"]


@pytest.mark.django_db
def test_sensitive_reads_are_recorded(demo, admin_actor):  # SEC-6 / SEC-5
    audit.record_read(admin_actor, demo["zhaomin"], fields=["phone"], purpose="核实身份")
    event = AuditEvent.objects.order_by("-id").first()
    assert (
        event.action == "read.sensitive"
        and event.reason == "核实身份"
        and event.after == {"fields": ["phone"]}
    )


@pytest.mark.django_db
def test_chain_verifies_then_sql_tampering_is_found_and_named(demo, capsys):  # SEC-6
    assert audit.verify().ok
    assert cli.main(["audit", "verify"]) == 0
    victim = AuditEvent.objects.order_by("seq")[10]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET actor_name = %s WHERE seq = %s", ["someone-else", victim.seq]
        )
    result = audit.verify()
    assert not result.ok and result.broken_seq == victim.seq
    capsys.readouterr()
    assert cli.main(["audit", "verify"]) == 1
    assert f"seq={victim.seq}" in capsys.readouterr().err


@pytest.mark.django_db
def test_rewriting_a_row_with_a_fresh_hash_breaks_the_next_link(demo):  # SEC-6
    rows = list(AuditEvent.objects.order_by("seq")[:6])
    victim = rows[3]
    victim.after = {"forged": True}
    forged_hash = audit.chain_hash(victim.prev_hash, audit.hashed_fields(victim))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET after = %s, hash = %s WHERE seq = %s",
            ['{"forged": true}', forged_hash, victim.seq],
        )
    assert audit.verify().broken_seq == rows[4].seq


@pytest.mark.django_db
def test_deleted_rows_are_found(demo):  # SEC-6
    last = AuditEvent.objects.order_by("-id").first().seq
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE seq = %s", [5])
    result = audit.verify()
    assert not result.ok and result.broken_seq == 5
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE seq >= %s", [5])
    result = audit.verify()
    assert not result.ok and "removed" in result.problem and last > 5


@pytest.mark.django_db(transaction=True)
def test_parallel_writers_and_sealers_keep_one_unbroken_chain(django_user_model):  # SEC-6
    # a flush by an earlier transactional test re-seeds the policy pack, with its own audit event
    before = AuditEvent.objects.count()
    users = [
        django_user_model.objects.create_user(f"writer{i}", password="x-long-password") for i in range(6)
    ]
    errors = []
    writing = threading.Event()

    def write(user):
        try:
            for n in range(5):
                create_token(Actor(user=user, origin="thread"), user=user, name=f"t{n}")
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    def seal():  # sealers run while the writers write
        try:
            while not writing.is_set():
                audit.seal_pending(limit=4)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    sealers = [threading.Thread(target=seal) for _ in range(2)]
    threads = [threading.Thread(target=write, args=(u,)) for u in users]
    for t in sealers + threads:
        t.start()
    for t in threads:
        t.join()
    writing.set()
    for t in sealers:
        t.join()
    assert errors == []
    audit.seal_pending()
    result = audit.verify()
    assert result.ok and result.checked == before + 30 and result.unsealed == 0
    assert sorted(AuditEvent.objects.values_list("seq", flat=True)) == list(range(1, before + 31))
