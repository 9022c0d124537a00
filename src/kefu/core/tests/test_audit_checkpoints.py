"""SEC-6 against someone with database access: a keyed chain and signed checkpoints outside the database."""

import hashlib
import hmac
import importlib
import logging
from dataclasses import replace
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection

from kefu import cli
from kefu.core import audit, checkpoints
from kefu.core.actions import create_token
from kefu.core.actor import Actor
from kefu.core.models import AuditChainHead, AuditEvent
from kefu.core.worker import SWEEPS, Worker

MIGRATION = importlib.import_module("kefu.core.migrations.0003_keyed_audit_chain_token_expiry")


@pytest.fixture
def checkpoint_file(settings):
    return settings.AUDIT_CHECKPOINT_FILE  # each test has its own (conftest.py)


def _set_row(seq: int, **columns) -> None:
    """What an attacker with a database login does: plain SQL, no application code."""
    assignments = ", ".join(f"{name} = %s" for name in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE core_auditevent SET {assignments} WHERE seq = %s",
            [*columns.values(), seq],
        )


def _rechain_from(seq: int, link) -> None:
    """Recompute every hash from row `seq` to the end with `link(prev_hash, fields)`, and the head."""
    prev = AuditEvent.objects.get(seq=seq - 1).hash if seq > 1 else audit.GENESIS
    for event in AuditEvent.objects.filter(seq__gte=seq).order_by("seq"):
        new_hash = link(prev, audit.hashed_fields(event))
        _set_row(event.seq, prev_hash=prev, hash=new_hash)
        prev = new_hash
    AuditChainHead.objects.filter(pk=1).update(last_hash=prev)


def _edit_row(seq: int) -> None:
    _set_row(seq, actor_name="someone-else")


def test_truncated_tail_with_the_head_rewritten_is_found_by_a_checkpoint(demo, checkpoint_file):  # SEC-6
    checkpoint = checkpoints.publish()
    cut = checkpoint.seq - 5
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE seq > %s", [cut])
    AuditChainHead.objects.filter(pk=1).update(last_seq=cut, last_hash=AuditEvent.objects.get(seq=cut).hash)
    assert audit.verify().ok  # the database alone cannot tell: the chain and its head agree
    result = audit.verify(checkpoints.published())
    assert not result.ok and result.broken_seq == cut + 1
    assert "removed" in result.problem

    # the product goes on writing past the cut: the row at the checkpoint's seq is not the one signed
    admin = demo["admin"].user
    for n in range(8):
        create_token(Actor(user=admin, origin="test"), user=admin, name=f"after-cut-{n}")
    audit.seal_pending()
    assert audit.verify().ok
    result = audit.verify(checkpoints.published())
    assert not result.ok and result.broken_seq == checkpoint.seq and "rewritten" in result.problem


def test_edited_row_with_every_later_hash_recomputed_without_the_key_is_found(demo):  # SEC-6
    victim = AuditEvent.objects.order_by("seq")[10].seq
    _edit_row(victim)

    def unkeyed(prev, fields):  # the chain function before the key (anyone can compute it)
        return MIGRATION._legacy_hash(prev, fields)

    def guessed_key(prev, fields):
        message = (prev + audit._canonical(fields)).encode()
        return hmac.new(b"a guessed key", message, hashlib.sha256).hexdigest()

    for link in (unkeyed, guessed_key):
        _rechain_from(victim, link)
        result = audit.verify()
        assert not result.ok and result.broken_seq == victim
        assert result.problem == "content does not match its hash"
    # control: whoever holds the key (not the database) can seal an edit — the key is what protects
    _rechain_from(victim, audit.chain_hash)
    assert audit.verify().ok


def test_a_forged_checkpoint_is_rejected(demo, settings, capsys):  # SEC-6
    good = checkpoints.make()
    assert good.signed() and audit.verify([good]).ok
    beyond = replace(good, seq=good.seq + 50)  # claims rows that never existed, signature reused
    result = audit.verify([beyond])
    assert not result.ok and result.broken_seq is None and "signature" in result.problem
    settings.AUDIT_KEY = "a key that is not this installation's"
    other_key = checkpoints.make()
    settings.AUDIT_KEY = ""
    assert not other_key.signed() and not audit.verify([other_key]).ok
    capsys.readouterr()
    assert cli.main(["audit", "verify", "--checkpoint", beyond.line]) == 1
    assert "REJECTED" in capsys.readouterr().err


def test_audit_checkpoint_and_verify_commands(demo, checkpoint_file, capsys):  # SEC-6
    capsys.readouterr()
    assert cli.main(["audit", "checkpoint"]) == 0
    printed = capsys.readouterr().out.strip()
    checkpoint = checkpoints.parse(printed)
    assert checkpoint.signed() and checkpoint.seq == AuditEvent.objects.order_by("-id").first().seq
    assert checkpoint_file.read_text().splitlines() == [printed]  # the log gets it too: see the worker test
    assert cli.main(["audit", "verify"]) == 0  # default: the data-dir checkpoint file
    assert "1 signed checkpoints matched" in capsys.readouterr().out
    assert cli.main(["audit", "verify", "--checkpoint", printed]) == 0
    assert cli.main(["audit", "verify", "--checkpoint", str(checkpoint_file)]) == 0
    # an operator's copy of a log line works too
    assert cli.main(["audit", "verify", "--checkpoint", f"2026-03-02 INFO kefu.audit: {printed}"]) == 0
    capsys.readouterr()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE seq > %s", [checkpoint.seq - 3])
    AuditChainHead.objects.filter(pk=1).update(
        last_seq=checkpoint.seq - 3, last_hash=AuditEvent.objects.get(seq=checkpoint.seq - 3).hash
    )
    assert cli.main(["audit", "verify"]) == 1
    assert f"seq={checkpoint.seq - 2}" in capsys.readouterr().err
    assert cli.main(["audit", "verify", "--checkpoint", str(checkpoint_file.with_name("none"))]) == 2
    assert cli.main(["audit", "verify", "--checkpoint", "kefu-audit-checkpoint v1 seq=x"]) == 2


@pytest.mark.django_db(transaction=True)  # the worker closes stale connections between rounds
def test_the_worker_publishes_checkpoints_to_the_file_and_the_log(settings, checkpoint_file, caplog):  # SEC-6
    caplog.set_level(logging.INFO, logger="kefu.audit")
    sweep = SWEEPS["audit.checkpoint"]
    assert sweep.every == timedelta(minutes=settings.KEFU_AUDIT_CHECKPOINT_MINUTES)
    sweep.last_run = None
    Worker(interval=0).tick()
    lines = checkpoint_file.read_text().splitlines()
    assert len(lines) == 1
    checkpoint = checkpoints.parse(lines[0])
    assert checkpoint.signed() and lines[0] in caplog.text
    assert audit.verify(checkpoints.published()).ok


def test_an_intact_unkeyed_chain_is_resealed_at_upgrade(demo):  # SEC-6
    _rechain_from(1, MIGRATION._legacy_hash)  # the chain as the previous release wrote it
    assert not audit.verify().ok
    MIGRATION.reseal_audit_chain(apps, None)
    assert audit.verify().ok


def test_a_broken_unkeyed_chain_is_not_resealed(demo):  # SEC-6
    _rechain_from(1, MIGRATION._legacy_hash)
    victim = AuditEvent.objects.order_by("seq")[5].seq
    _edit_row(victim)
    with pytest.raises(RuntimeError, match=f"row {victim}"):
        MIGRATION.reseal_audit_chain(apps, None)
    assert AuditEvent.objects.get(seq=1).hash == MIGRATION._legacy_hash(
        audit.GENESIS, audit.hashed_fields(AuditEvent.objects.get(seq=1))
    )


def test_a_deliberate_wipe_sets_the_old_checkpoints_aside(demo, checkpoint_file):  # SEC-6
    checkpoints.publish()
    kept = checkpoints.set_aside()  # what `kefu demo reset --yes` does after the flush
    assert kept.exists() and not checkpoint_file.exists() and checkpoints.published() == []
    assert checkpoints.set_aside() is None
