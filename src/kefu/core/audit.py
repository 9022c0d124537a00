"""Append-only, keyed hash chain of audit rows (SEC-6).

`record()` is called by actions inside their transaction; it locks the chain head so that rows are
chained one writer at a time, across processes. Each row's hash is an HMAC-SHA256, under a key that is
not in the database (`crypto.audit_key`), of the previous row's hash and the row's content: someone
who can write the database cannot recompute a valid chain after editing a row. What they can still do
— cut the tail and rewrite the head — is caught by signed checkpoints kept outside the database
(`kefu.core.checkpoints`). `verify()` walks the chain, compares it with the checkpoints it is given
and names the first row whose hash, link or sequence does not hold.
"""

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.crypto import EncryptedTextField, audit_key, fingerprint
from kefu.core.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def chain_hash(prev_hash: str, fields: dict) -> str:
    """The keyed link of one row: HMAC-SHA256(audit key, previous hash + canonical row content).

    A pure function of the previous hash and the row, so that whoever chains rows — `record()` today,
    a sealer chaining committed rows in batches tomorrow — computes the same value.
    """
    message = (prev_hash + _canonical(fields)).encode()
    return hmac.new(audit_key("chain"), message, hashlib.sha256).hexdigest()


def seal(event, prev_hash: str) -> str:
    """Link `event` (an AuditEvent, possibly a migration's historical one) after `prev_hash`."""
    event.prev_hash = prev_hash
    event.hash = chain_hash(prev_hash, hashed_fields(event))
    return event.hash


def hashed_fields(event) -> dict:
    return {
        "seq": event.seq,
        "at": event.at.isoformat(),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "on_behalf_of": event.on_behalf_of,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "before": event.before,
        "after": event.after,
        "origin": event.origin,
        "reason": event.reason,
    }


def _json_safe(value):
    """Round-trip through JSON so that what we hash is exactly what the database returns."""
    return None if value is None else json.loads(_canonical(value))


def record(
    actor: Actor,
    action: str,
    obj=None,
    *,
    before=None,
    after=None,
    reason: str = "",
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEvent:
    """Append one event. Must run inside the caller's transaction (the action's)."""
    if obj is not None:
        object_type = object_type or f"{obj._meta.app_label}.{obj._meta.model_name}"
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            seq=head.last_seq + 1,
            at=clock.now(),
            actor=actor.user,
            actor_name=actor.name,
            on_behalf_of=actor.on_behalf_of.get_username() if actor.on_behalf_of is not None else "",
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            object_repr=object_repr[:300],
            before=_json_safe(before),
            after=_json_safe(after),
            origin=actor.origin[:200],
            reason=reason[:500],
        )
        seal(event, head.last_hash)
        event.save(force_insert=True)
        head.last_seq = event.seq
        head.last_hash = event.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return event


def record_read(actor: Actor, obj, *, fields: list[str], purpose: str = "") -> AuditEvent:
    """Audit a read of sensitive data (SEC-5): who, what, when, why."""
    return record(actor, "read.sensitive", obj, after={"fields": sorted(fields)}, reason=purpose)


def rows_in_order(model, *, batch: int = 5000):
    """Every row of `model` (AuditEvent, or a migration's historical one) by seq, one query per batch."""
    next_seq = 1
    while True:
        rows = list(model.objects.filter(seq__gte=next_seq).order_by("seq")[:batch])
        if not rows:
            return
        yield from rows
        next_seq = rows[-1].seq + 1


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    problem: str = ""
    checkpoints: int = 0  # how many checkpoints were compared with the chain


def verify(checkpoints: Iterable = (), *, batch: int = 5000) -> VerifyResult:
    """Walk the chain in order; report the first row whose content, link or position is wrong.

    `checkpoints` (kefu.core.checkpoints.Checkpoint) must carry a valid signature, and each must find
    its row with its hash: a checkpoint beyond the chain's end means rows were cut off, one whose hash
    differs means the chain was rewritten.
    """
    expected: dict[int, object] = {}
    for checkpoint in checkpoints:
        if not checkpoint.signed():
            return VerifyResult(
                False,
                0,
                None,
                f"checkpoint seq={checkpoint.seq} at {checkpoint.at} has an invalid signature "
                "(forged, or made with another key)",
            )
        earlier = expected.setdefault(checkpoint.seq, checkpoint)
        if earlier.hash != checkpoint.hash:
            return VerifyResult(
                False,
                0,
                checkpoint.seq,
                f"signed checkpoints of {earlier.at} and {checkpoint.at} disagree on row {checkpoint.seq}: "
                "the chain was rewritten between them",
            )
    prev_hash = GENESIS
    if 0 in expected and expected[0].hash != GENESIS:
        return VerifyResult(False, 0, 1, "checkpoint of the empty chain does not match")
    expected_seq = 1
    checked = 0
    last_seq = 0
    for event in rows_in_order(AuditEvent, batch=batch):
        if event.seq != expected_seq:
            return VerifyResult(
                False, checked, expected_seq, f"row {expected_seq} is missing (next is {event.seq})"
            )
        if event.prev_hash != prev_hash:
            return VerifyResult(False, checked, event.seq, "link to the previous row is broken")
        if not hmac.compare_digest(chain_hash(event.prev_hash, hashed_fields(event)), event.hash):
            return VerifyResult(False, checked, event.seq, "content does not match its hash")
        checkpoint = expected.get(event.seq)
        if checkpoint is not None and checkpoint.hash != event.hash:
            return VerifyResult(
                False,
                checked,
                event.seq,
                f"row differs from the signed checkpoint of {checkpoint.at}: the chain was rewritten",
            )
        prev_hash = event.hash
        expected_seq += 1
        checked += 1
        last_seq = event.seq
    beyond = [seq for seq in expected if seq > last_seq]
    if beyond:
        return VerifyResult(
            False,
            checked,
            last_seq + 1,
            f"the chain ends at row {last_seq} but a signed checkpoint saw row {max(beyond)}: rows were removed",
        )
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq != last_seq or head.last_hash != prev_hash):
        return VerifyResult(
            False, checked, last_seq + 1, f"rows after {last_seq} were removed (head is at {head.last_seq})"
        )
    return VerifyResult(True, checked, checkpoints=len(expected))


def snapshot(obj, fields: list[str]) -> dict:
    """A JSON-able picture of `fields` of `obj`, for before/after.

    Encrypted personal data never enters the log in clear: a short keyed fingerprint shows that it
    changed without revealing it.
    """
    out = {}
    for name in fields:
        value = getattr(obj, name)
        model_field = obj._meta.get_field(name) if name in _field_names(obj) else None
        if isinstance(model_field, EncryptedTextField):
            value = fingerprint(value)
        elif hasattr(value, "pk"):
            value = value.pk
        elif hasattr(value, "all") and callable(value.all):
            value = sorted(v.pk for v in value.all())
        out[name] = value
    return out


def _field_names(obj) -> set[str]:
    return {f.name for f in obj._meta.get_fields()}
