"""Append-only, keyed hash chain of audit rows (SEC-6), sealed after commit by one sealer at a time.

`record()` is called by actions inside their transaction and only inserts the row, unsealed: writers
never wait for each other on the log. `seal_pending()` — the worker every few seconds, `kefu audit
seal` on demand — takes committed unsealed rows in batches, one sealer at a time (the chain head row
is locked by the sealer only, with SKIP LOCKED), gives each its `seq` and links it to the previous row,
and moves the head: a sequencer that integrates in batches, as Certificate Transparency logs do.

Ids come from a sequence at insert, not at commit: on PostgreSQL a row with a lower id can commit after
rows with higher ids were sealed. The sealer never reasons about ids — each batch is "every committed
row still without a seq, lowest id first" — so a late commit is sealed by the next batch with the next
seq. Sealed order is seq order; nothing is skipped, however late a row commits.

Each row's hash is an HMAC-SHA256, under a key that is not in the database (`crypto.audit_key`), of the
previous row's hash and the row's content: someone who can write the database cannot recompute a valid
chain after editing a row. What they can still do — cut the tail and rewrite the head — is caught by
signed checkpoints kept outside the database (`kefu.core.checkpoints`). `verify()` walks the sealed
chain, compares it with the checkpoints it is given, names the first row whose hash, link or sequence
does not hold, and reports the unsealed backlog (rows are protected from the moment they are sealed).
"""

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Count, Min

from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.crypto import EncryptedTextField, audit_key, fingerprint
from kefu.core.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def chain_hash(prev_hash: str, fields: dict) -> str:
    """The keyed link of one row: HMAC-SHA256(audit key, previous hash + canonical row content).

    A pure function of the previous hash and the row, so that the sealer (chaining committed rows in
    batches) and `verify()` compute the same value.
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
    """Append one event, unsealed: one INSERT in the caller's transaction (the action's), no lock.

    The sealer gives it its `seq` and hash once the transaction has committed; a rolled-back action
    leaves no row, as before.
    """
    if obj is not None:
        object_type = object_type or f"{obj._meta.app_label}.{obj._meta.model_name}"
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    event = AuditEvent(
        seq=None,
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
    event.save(force_insert=True)
    return event


def record_many(actor: Actor, action: str, rows: list[tuple[object, dict]]) -> list[AuditEvent]:
    """`record()` for many objects of one action at once — (obj, after) each — in one INSERT, in the
    caller's transaction (a batch write: the same rows as one `record()` per object)."""
    at = clock.now()
    on_behalf_of = actor.on_behalf_of.get_username() if actor.on_behalf_of is not None else ""
    events = [
        AuditEvent(
            seq=None,
            at=at,
            actor=actor.user,
            actor_name=actor.name,
            on_behalf_of=on_behalf_of,
            action=action,
            object_type=f"{obj._meta.app_label}.{obj._meta.model_name}",
            object_id=str(obj.pk),
            object_repr=str(obj)[:300],
            before=_json_safe(None),
            after=_json_safe(after),
            origin=actor.origin[:200],
            reason="",
        )
        for obj, after in rows
    ]
    AuditEvent.objects.bulk_create(events)
    return events


SEAL_BATCH = 1000  # rows per sealing transaction (本系统默认值: bounds one transaction, not a policy)


def _lock_head():
    """The chain head, locked for this transaction — or None when another sealer holds it."""
    head = AuditChainHead.objects.select_for_update(skip_locked=True, of=("self",)).filter(pk=1).first()
    if head is None and not AuditChainHead.objects.filter(pk=1).exists():
        with transaction.atomic():  # the very first seal (or after a test flush); a race is harmless
            AuditChainHead.objects.get_or_create(pk=1)
        head = AuditChainHead.objects.select_for_update(skip_locked=True, of=("self",)).filter(pk=1).first()
    return head


def _store_seals(rows: list[AuditEvent]) -> None:
    """One UPDATE per row by primary key, sent as one batch (executemany): several times faster
    than bulk_update's CASE over the batch, on both databases."""
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s",  # noqa: S608
            [(e.seq, e.prev_hash, e.hash, e.pk) for e in rows],
        )


def seal_batch(limit: int | None = None) -> int | None:
    """Seal up to `limit` committed unsealed rows, lowest id first, in one transaction.

    Returns how many were sealed, or None when another sealer is at work (it will seal them).
    On SQLite the IMMEDIATE transaction already makes this the only writer.
    """
    limit = limit or SEAL_BATCH
    with transaction.atomic():
        head = _lock_head()
        if head is None:
            return None
        rows = list(AuditEvent.objects.filter(seq__isnull=True).order_by("id")[:limit])
        if not rows:
            return 0
        seq, prev_hash = head.last_seq, head.last_hash
        for event in rows:
            seq += 1
            event.seq = seq
            prev_hash = seal(event, prev_hash)
        _store_seals(rows)
        head.last_seq, head.last_hash = seq, prev_hash
        head.save(update_fields=["last_seq", "last_hash"])
    return len(rows)


def seal_pending(*, limit: int | None = None, max_batches: int | None = None) -> int:
    """Seal the backlog batch by batch until none is left (or `max_batches`), or another sealer is at
    work. Returns how many rows this call sealed."""
    limit = limit or SEAL_BATCH
    total = batches = 0
    while max_batches is None or batches < max_batches:
        sealed = seal_batch(limit)
        batches += 1
        if sealed is None:
            break
        total += sealed
        if sealed < limit:
            break
    return total


@dataclass
class Backlog:
    count: int
    oldest_at: datetime | None

    def age_seconds(self, now: datetime) -> float:
        return 0.0 if self.oldest_at is None else max(0.0, (now - self.oldest_at).total_seconds())


def backlog() -> Backlog:
    """Committed rows not sealed yet: how many, and when the oldest was written (one query)."""
    found = AuditEvent.objects.filter(seq__isnull=True).aggregate(count=Count("id"), oldest=Min("at"))
    return Backlog(found["count"], found["oldest"])


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
    unsealed: int = 0  # rows written but not sealed yet (not covered by the chain until they are)
    unsealed_since: datetime | None = None  # when the oldest of them was written


def verify(checkpoints: Iterable = (), *, batch: int = 5000) -> VerifyResult:
    """Walk the sealed chain in order; report the first row whose content, link or position is wrong,
    and the unsealed backlog.

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
    # the head is read before the walk: a sealer moving it meanwhile only adds rows after it
    head = AuditChainHead.objects.filter(pk=1).values_list("last_seq", "last_hash").first()
    head_hash = GENESIS if head is None or head[0] == 0 else None
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
        if head is not None and event.seq == head[0]:
            head_hash = event.hash
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
    if head is not None and last_seq < head[0]:
        return VerifyResult(
            False, checked, last_seq + 1, f"rows after {last_seq} were removed (head is at {head[0]})"
        )
    if head is not None and head_hash != head[1]:
        return VerifyResult(
            False, checked, head[0], "row differs from the chain head: the chain was rewritten"
        )
    pending = backlog()
    return VerifyResult(
        True, checked, checkpoints=len(expected), unsealed=pending.count, unsealed_since=pending.oldest_at
    )


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
