"""Decision records (POL-3): every automated outcome says which rule, which policy version, which
inputs and which clause produced it. Pages show them with `{% load decisions %}{% why obj %}`.
"""

import json
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.contenttypes.models import ContentType

from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.models import Decision

# appended to a value the policies do not give, wherever a decision shows it (stored, like the value, in zh-Hans)
DEFAULT_MARK = "（本系统默认值）"


def _json_safe(inputs: dict) -> dict:
    """Dates, decimals and the like become text so that the record reads back exactly as written."""
    return json.loads(json.dumps(inputs or {}, ensure_ascii=False, default=str))


def record(
    obj,
    *,
    rule: str,
    outcome: str,
    inputs: dict,
    policy_version: int | None,
    clause: str,
    actor: Actor | None = None,
    source: str = "",
) -> Decision:
    """Write one decision about `obj`. Call it inside the action's transaction; `actor` None = system."""
    user = actor.user if actor is not None else None
    row = Decision(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        rule=rule,
        outcome=outcome[:300],
        inputs=_json_safe(inputs),
        policy_version=policy_version,
        clause=clause or "",
        source=source[:300],
        made_at=clock.now(),
        actor=user,
    )
    pending = _pending.get()
    if pending is not None:
        pending.append(row)
    else:
        row.save()
    return row


_pending: ContextVar[list | None] = ContextVar("kefu_decisions", default=None)


@contextmanager
def batch():
    """Decisions recorded inside the block are written together, in one INSERT, when it ends without
    an error (issue 11: an intake records three or four). Yields the list of them, in order; nested
    blocks join the outer one. Nothing inside the block may read them back from the database."""
    pending = _pending.get()
    if pending is not None:
        yield pending
        return
    rows: list[Decision] = []
    token = _pending.set(rows)
    try:
        yield rows
    finally:
        _pending.reset(token)
    if rows:
        Decision.objects.bulk_create(rows)


def applied_text(entry) -> str:
    """A policy value as a decision shows it: "7 天", or "4 小时（本系统默认值）" for a number the policies
    do not give."""
    return entry.display("zh-hans") + (
        DEFAULT_MARK if getattr(entry, "default_not_from_seeds", False) else ""
    )


def record_from_entry(obj, entry, *, outcome: str, inputs: dict, actor: Actor | None = None) -> Decision:
    """`record()` with rule, version, clause and source taken from a policy `Entry` (kefu.engine.policy.api).

    The entry's key and value are added to the inputs, so the panel shows the number that was applied.
    A number the policies do not give is marked 本系统默认值 and quotes no clause nor document: a quote
    is shown only where it holds the number (issue 13).
    """
    default = getattr(entry, "default_not_from_seeds", False)
    source = " · ".join(p for p in (entry.source.get("seed", ""), entry.source.get("document", "")) if p)
    applied = {entry.key: applied_text(entry)}
    if getattr(entry, "overridden", False):
        applied["override"] = entry.override_unit_name
    return record(
        obj,
        rule=entry.rule,
        outcome=outcome,
        inputs={**applied, **(inputs or {})},
        policy_version=entry.version,
        clause="" if default else entry.clause,
        actor=actor,
        source="" if default else source,
    )


def for_object(obj):
    """The decisions about `obj`, oldest first."""
    return Decision.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")


def rows(obj) -> list[dict]:
    """The decision records about `obj` ("为什么", POL-3), oldest first, as plain data (the API's
    `kefu.core.schemas.DecisionOut`)."""
    return [
        {
            "rule": d.rule,
            "outcome": d.outcome,
            "inputs": d.inputs if isinstance(d.inputs, dict) else {"value": d.inputs},
            "policy_version": d.policy_version,
            "clause": d.clause,
            "made_at": d.made_at,
        }
        for d in for_object(obj)
    ]


__all__ = ["DEFAULT_MARK", "applied_text", "batch", "for_object", "record", "record_from_entry", "rows"]
