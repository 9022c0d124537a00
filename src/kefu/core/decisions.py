"""Decision records (POL-3): every automated outcome says which rule, which policy version, which
inputs and which clause produced it. Pages show them with `{% load decisions %}{% why obj %}`.
"""

import json
import re
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import translation

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
    # the key stays as the API reads it; the entry's name is what the panel shows beside it
    applied = {"policy_name": entry.name_zh, entry.key: applied_text(entry)}
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
    # the actor's person (org's reverse one-to-one `employee`): the panel names them, not the login
    return Decision.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor__employee")


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


# --- how a decision reads on a page ("为什么": 依据 rule + clause, 输入, 结论; issue 13) -------------------
# An input key or a coded value → (中文, English). Apps describe their own keys and codes next to where they
# record decisions (`describe(...)`); what no one described reads as a generic word, never the raw key.
_INPUT_LABELS: dict[str, tuple[str, str]] = {
    "policy_name": ("制度条目", "policy entry"),
    "policy_value": ("适用数值", "value applied"),
    "override": ("本单位另行规定", "unit override"),
    "started_at": ("开始时间", "started at"),
    "due_at": ("截止时间", "due at"),
    "checked_at": ("检查时间", "checked at"),
    "checked_on": ("检查日期", "checked on"),
    "breached_at": ("超时时间", "breached at"),
    "warn_at": ("预警时间", "warning at"),
    "registered_at": ("报备时间", "registered at"),
    "deposit_at": ("交定金时间", "deposit at"),
    "protected_until": ("保护至", "protected until"),
    "confidential_until": ("保密至", "confidential until"),
    "first_contact_due": ("首次联系截止", "first contact due"),
    "window_start": ("统计起", "from"),
    "window_end": ("统计止", "to"),
    "from": ("起算日", "from"),
    "day": ("日期", "day"),
    "amount": ("金额", "amount"),
    "annual_amount": ("年交易额", "annual amount"),
    "threshold": ("审批限额", "threshold"),
    "calendar": ("日历", "calendar"),
    "clock": ("时限", "clock"),
    "escalation_level": ("升级级别", "escalation level"),
    "from_level": ("原级别", "from level"),
    "to_level": ("升至级别", "to level"),
    "skipped": ("越过", "skipped"),
    "trigger": ("触发条件", "trigger"),
    "steps": ("审批步骤", "approval steps"),
    "approvals": ("审批数", "approvals"),
    "articles": ("文章", "articles"),
    "notified": ("已通知", "notified"),
    "borrower": ("借阅人", "borrower"),
    "permission": ("权限", "permission"),
    "registered_by": ("登记人", "registered by"),
    "delegator": ("委托人", "delegator"),
    "chosen": ("选定", "chosen"),
    "requested": ("指定", "requested"),
    "load": ("在办数", "load"),
    "evidence": ("凭证", "evidence"),
    "kind": ("类型", "kind"),
    "earlier": ("此前工单", "earlier case"),
    "basis": ("判定依据", "basis"),
    "customer": ("客户", "customer"),
    "category": ("类别", "category"),
    "product": ("产品", "product"),
    "zh": ("原因", "reason"),
}
_VALUE_LABELS: dict[str, dict[str, tuple[str, str]]] = {}
_VALUES_ANY_KEY: dict[str, tuple[str, str]] = {
    "office": ("办公日历", "office calendar"),
    "24x7": ("全天候", "24×7"),
}
# recorded for the API and audits, repeated on the panel by the applied value and the entry's name
HIDDEN_INPUTS = {"policy_key", "value", "unit", "tried", "en"}
GENERIC_INPUT = ("其他依据", "other input")
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_MONEY = {"amount", "threshold", "annual_amount"}


def describe(*, inputs: dict | None = None, values: dict | None = None) -> None:
    """Name an app's decision inputs and coded values: `inputs={"due_at": ("截止时间", "due at")}`,
    `values={"priority": {"urgent": ("紧急", "urgent")}}` (a model's `choices` works too)."""
    _INPUT_LABELS.update(inputs or {})
    for key, codes in (values or {}).items():
        _VALUE_LABELS.setdefault(key, {}).update(
            {
                code: label if isinstance(label, tuple) else (label, label)
                for code, label in dict(codes).items()
            }
        )


def _pick(pair) -> str:
    zh, en = pair
    return str(en if (translation.get_language() or "").startswith("en") else zh)


def in_language(zh, en) -> str:
    """One of a pair of words, in the page's (or the message's) language."""
    return _pick((zh, en))


def described(key: str) -> bool:
    """Whether an app named this input key (`describe`): the audit log names such a field by it."""
    return key in _INPUT_LABELS


def input_label(key: str) -> str:
    if key in _INPUT_LABELS:
        return _pick(_INPUT_LABELS[key])
    if re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)+", key):  # a policy entry's key, as older records hold it
        return _pick(_INPUT_LABELS["policy_value"])
    if _CJK.search(key):  # already written for people: "审批 / chain"
        return outcome_text(key)
    return _pick(GENERIC_INPUT)


def input_value(key: str, value) -> str:
    """A value as people read it: local time to the minute, 元, 是/否, — for nothing; codes in words."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _pick(("是", "yes") if value else ("否", "no"))
    if isinstance(value, list | tuple):
        return "、".join(input_value(key, v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{input_label(k)}：{input_value(k, v)}" for k, v in value.items())
    if isinstance(value, datetime):
        return f"{clock.local(value):%Y-%m-%d %H:%M}"
    text = str(value)
    if _ISO_TIME.match(text):
        return input_value(key, datetime.fromisoformat(text.replace("Z", "+00:00")))
    if key in _MONEY:
        return f"{text} 元"
    if text in ("True", "False"):
        return input_value(key, text == "True")
    if text in _VALUE_LABELS.get(key, {}):
        return _pick(_VALUE_LABELS[key][text])
    if text in _VALUES_ANY_KEY:
        return _pick(_VALUES_ANY_KEY[text])
    return text


def display_inputs(inputs) -> list[tuple[str, str]]:
    """(label, value) rows of a decision's inputs, in the order they were recorded."""
    items = inputs.items() if isinstance(inputs, dict) else [("value", inputs)]
    return [(input_label(k), input_value(k, v)) for k, v in items if k not in HIDDEN_INPUTS]


def outcome_text(outcome: str) -> str:
    """The outcome (or a reason) in the page's language where it was stored as "中文 / English" or
    "English / 中文". Text a person wrote with a " / " in it (both halves Chinese, or more than two
    halves) is left whole."""
    if " / " not in outcome:
        return outcome
    parts = sorted(outcome.split(" / "), key=lambda part: len(_CJK.findall(part)) / max(len(part), 1))
    ratios = [len(_CJK.findall(part)) / max(len(part), 1) for part in parts]
    if len(parts) != 2 or ratios[0] >= 0.5 or ratios[1] <= ratios[0]:
        return outcome
    return parts[0] if _pick(("zh", "en")) == "en" else parts[-1]


__all__ = [
    "DEFAULT_MARK",
    "applied_text",
    "batch",
    "describe",
    "described",
    "display_inputs",
    "for_object",
    "in_language",
    "input_label",
    "input_value",
    "outcome_text",
    "record",
    "record_from_entry",
    "rows",
]
