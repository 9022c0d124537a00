"""Changing the policy pack (POL-1, POL-2): a group value as a new version, a subsidiary's stricter
override. Each checks permission and rules, writes and audits in one transaction."""

from decimal import Decimal

from django.db import transaction

from kefu.core import audit, clock, memo
from kefu.core.actor import Actor
from kefu.core.errors import DomainError, Invalid, PermissionDenied
from kefu.engine.policy import api, pack
from kefu.engine.policy.actions import loading
from kefu.engine.policy.models import PolicyOverride, PolicyVersion
from kefu.org import access

# ── changing a group value ──────────────────────────────────────────────────────────────────────


def _require_manage(actor: Actor) -> None:
    if not access.can(actor, "policy.manage"):
        raise PermissionDenied(
            "只有制度管理员可以修改制度参数", "Only policy administrators may change the pack"
        )


def _parse_value(entry, value) -> Decimal:
    try:
        number = pack.to_decimal(value)
    except pack.PackError as exc:
        raise Invalid(
            "policy_value_invalid", "请输入数字", "Enter a number", fields={"value": ["not a number"]}
        ) from exc
    problem = None
    if number < 0:
        problem = ("不能为负数", "cannot be negative")
    elif entry.kind in (pack.COUNT, pack.WORKING_DAYS) and number != number.to_integral_value():
        problem = ("必须是整数", "must be a whole number")
    elif entry.kind == pack.PERCENTAGE and number > 100:
        problem = ("不能超过 100%", "cannot exceed 100%")
    elif entry.unit == "months" and number != number.to_integral_value():
        problem = ("月数必须是整数", "months must be a whole number")
    elif pack.point_problem(entry.unit, number):
        problem = pack.point_problem(entry.unit, number)
    elif number.as_tuple().exponent < -4 or abs(number) >= Decimal(10) ** 12:
        problem = ("数值超出范围", "out of range")
    if problem:
        raise Invalid(
            "policy_value_invalid",
            f"{entry.key} 的值{problem[0]}",
            f"The value of {entry.key} {problem[1]}",
            fields={"value": [problem[1]]},
        )
    return number


def set_value(actor: Actor, key: str, value, *, effective_from, reason: str) -> PolicyVersion:
    """A new group value for `key` from `effective_from`: the next version, copying everything else."""
    _require_manage(actor)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(
            "policy_reason_required",
            "请填写修改原因",
            "A reason is required",
            fields={"reason": ["required"]},
        )
    with transaction.atomic():
        latest = (
            PolicyVersion.objects.select_for_update(of=("self",)).order_by("-number").first()
            or loading.ensure_loaded()
        )
        current = api.entries_of(latest).get(key)
        if current is None:
            raise api.unknown_key(key)
        number = _parse_value(current, value)
        if number == Decimal(current.value):
            raise Invalid(
                "policy_unchanged",
                f"{key} 的值已经是 {current.display('zh-hans')}",
                f"{key} is already {current.display('en')}",
                fields={"value": ["unchanged"]},
            )
        moment = loading.effective(effective_from, earliest=latest.effective_from)
        rows = loading.rows_of(latest)
        for row in rows:
            if row["key"] == key:
                row["value"] = number
                row["edited"] = True
        who = actor.name
        version = loading.create_version(
            rows, effective_from=moment, source=f"edit of {key} by {who}", note=reason, actor=actor
        )
        audit.record(
            actor,
            "policy.set_value",
            version,
            before={"key": key, "value": str(current.value), "version": latest.number},
            after={
                "key": key,
                "value": str(number.normalize()),
                "version": version.number,
                "effective_from": moment.isoformat(),
            },
            reason=reason,
        )
    return version


# ── subsidiary overrides (POL-2) ────────────────────────────────────────────────────────────────


def set_override(actor: Actor, unit, key: str, value, effective_from, reason: str) -> PolicyOverride:
    """A subsidiary's own value for `key` — refused unless at least as strict as the group value."""
    _require_manage(actor)
    if not access.unit_in_scope(actor, "policy.manage", unit):
        raise PermissionDenied("该子公司不在您的管理范围内", "That subsidiary is outside your data scope")
    if unit.kind != "subsidiary":
        raise Invalid(
            "policy_override_not_subsidiary",
            "只有子公司可以设定自己的制度参数",
            "Only a subsidiary may set its own policy values",
            fields={"unit": ["not a subsidiary"]},
        )
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(
            "policy_reason_required", "请填写原因", "A reason is required", fields={"reason": ["required"]}
        )
    with transaction.atomic():
        latest = PolicyVersion.objects.order_by("-number").first()
        moment = loading.effective(effective_from, earliest=None)
        group = api.lookup(key, at=moment)
        number = _parse_value(group, value)
        # POL-2: "其相关标准和要求不低于集团制度" — compared with the group value in force then and with
        # any later version already scheduled, whichever is stricter.
        scheduled = api.entries_of(latest).get(key) if latest is not None else None
        for reference in (group, scheduled):
            if reference is not None and api.is_laxer(number, reference.value, reference.stricter):
                raise DomainError(
                    "policy_override_laxer",
                    f"{unit.name} 的「{group.name_zh}」只能更严格：集团值为 {api.format_value(reference.value, group.unit, 'zh-hans')}，"
                    f"提交 {api.format_value(number, group.unit, 'zh-hans')}",
                    f"{unit.name} may only make “{group.name_en}” ({key}) stricter: the group value is "
                    f"{api.format_value(reference.value, group.unit, 'en')}, submitted "
                    f"{api.format_value(number, group.unit, 'en')}",
                    fields={"value": ["laxer than the group value"]},
                    extra={"group_value": str(reference.value), "rule": "POL-2"},
                )
        override = PolicyOverride.objects.create(
            unit=unit,
            key=key,
            value=number,
            effective_from=moment,
            created_at=clock.now(),
            created_by=actor.user,
            reason=reason[:500],
        )
        memo.forget("policy.overrides")
        audit.record(
            actor,
            "policy.set_override",
            override,
            after={
                "unit": unit.pk,
                "key": key,
                "value": str(number.normalize()),
                "group_value": str(group.value),
                "effective_from": moment.isoformat(),
            },
            reason=reason,
        )
    return override
