"""Append-only, hash-chained audit log (SEC-6).

`record()` is called by actions inside their transaction; it locks the chain head so that rows are
chained one writer at a time, across processes. `verify()` walks the chain and names the first row
whose hash, link or sequence does not hold.
"""

import hashlib
import json
from dataclasses import dataclass

from django.db import transaction

from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.crypto import EncryptedTextField, fingerprint
from kefu.core.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def row_hash(prev_hash: str, fields: dict) -> str:
    return hashlib.sha256((prev_hash + _canonical(fields)).encode()).hexdigest()


def _hashed_fields(event: AuditEvent) -> dict:
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
            prev_hash=head.last_hash,
        )
        event.hash = row_hash(event.prev_hash, _hashed_fields(event))
        event.save(force_insert=True)
        head.last_seq = event.seq
        head.last_hash = event.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return event


def record_read(actor: Actor, obj, *, fields: list[str], purpose: str = "") -> AuditEvent:
    """Audit a read of sensitive data (SEC-5): who, what, when, why."""
    return record(actor, "read.sensitive", obj, after={"fields": sorted(fields)}, reason=purpose)


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    problem: str = ""


def verify(batch: int = 5000) -> VerifyResult:
    """Walk the chain in order; report the first row whose content, link or position is wrong."""
    prev_hash = GENESIS
    expected_seq = 1
    checked = 0
    last_seq = 0
    while True:
        rows = list(AuditEvent.objects.filter(seq__gte=expected_seq).order_by("seq")[:batch])
        if not rows:
            break
        for event in rows:
            if event.seq != expected_seq:
                return VerifyResult(
                    False, checked, expected_seq, f"row {expected_seq} is missing (next is {event.seq})"
                )
            if event.prev_hash != prev_hash:
                return VerifyResult(False, checked, event.seq, "link to the previous row is broken")
            if row_hash(event.prev_hash, _hashed_fields(event)) != event.hash:
                return VerifyResult(False, checked, event.seq, "content does not match its hash")
            prev_hash = event.hash
            expected_seq += 1
            checked += 1
            last_seq = event.seq
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq != last_seq or head.last_hash != prev_hash):
        return VerifyResult(
            False, checked, last_seq + 1, f"rows after {last_seq} were removed (head is at {head.last_seq})"
        )
    return VerifyResult(True, checked)


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
