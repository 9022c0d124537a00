"""The only functions that change the policy pack (POL-1, POL-2). Each checks permission and rules,
writes and audits in one transaction."""

from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path

from django.db import IntegrityError, transaction

from kefu.core import audit, clock, memo
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, DomainError, Invalid, PermissionDenied
from kefu.engine.policy import pack
from kefu.engine.policy.api import (
    SHANGHAI,
    entries_of,
    format_value,
    is_laxer,
    lookup,
    unknown_key,
)
from kefu.engine.policy.models import PolicyEntry, PolicyOverride, PolicyVersion
from kefu.org import access

# The first version loaded applies to every record, however old (it is the baseline).
BASELINE = datetime(2000, 1, 1, tzinfo=UTC)
ENTRY_FIELDS = [
    "key",
    "rule",
    "module",
    "name_zh",
    "name_en",
    "value",
    "unit",
    "kind",
    "calendar",
    "stricter",
    "clause",
    "source_seed",
    "source_document",
    "default_not_from_seeds",
    "related_rules",
]


def _rows(version: PolicyVersion) -> list[dict]:
    return [
        {**{f: getattr(row, f) for f in ENTRY_FIELDS}, "edited": row.edited}
        for row in version.entries.order_by("key")
    ]


def _create_version(
    rows: list[dict], *, effective_from, source, note, actor: Actor, file_sha=""
) -> PolicyVersion:
    latest = PolicyVersion.objects.select_for_update(of=("self",)).order_by("-number").first()
    number = latest.number + 1 if latest else 1
    try:
        with transaction.atomic():
            version = PolicyVersion.objects.create(
                number=number,
                effective_from=effective_from,
                loaded_at=clock.now(),
                source=source[:200],
                file_sha256=file_sha,
                digest=pack.digest(rows),
                note=note[:500],
                created_by=actor.user,
            )
    except IntegrityError as exc:  # another writer took this number first (unique): one winner
        raise Conflict(
            "policy_concurrent_change",
            "制度参数刚被他人修改，请刷新后重试",
            "The policy pack was just changed by someone else; reload and try again",
        ) from exc
    PolicyEntry.objects.bulk_create(
        [PolicyEntry(version=version, **{**row, "edited": row.get("edited", False)}) for row in rows]
    )
    memo.forget("policy.versions")  # the rest of this request sees it too
    return version


def _effective(value, *, earliest: datetime | None) -> datetime:
    """A date means its start in Asia/Shanghai; never before now (no retroactive change) nor before
    the latest version's start (versions are ordered in time)."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=SHANGHAI)
    elif isinstance(value, date):
        moment = datetime.combine(value, time.min, tzinfo=SHANGHAI)
    else:
        raise Invalid("policy_effective_invalid", "生效日期无效", "Invalid effective date")
    now = clock.now()
    if moment.astimezone(SHANGHAI).date() < now.astimezone(SHANGHAI).date():
        raise Invalid(
            "policy_effective_in_past",
            "生效日期不能早于今天：已办理的记录按当时的制度判断",
            "The effective date cannot be before today: past records keep the rules of their time",
            fields={"effective_from": ["before today"]},
        )
    moment = max(moment, now)
    if earliest is not None and moment < earliest:
        raise Invalid(
            "policy_effective_before_latest",
            f"生效日期不能早于最新版本的生效时间 {earliest.astimezone(SHANGHAI):%Y-%m-%d %H:%M}",
            f"The effective date cannot be before the latest version's start {earliest:%Y-%m-%d %H:%M} UTC",
            fields={"effective_from": ["before the latest version"]},
        )
    return moment


# ── loading the pack file ───────────────────────────────────────────────────────────────────────


def load_pack(
    actor: Actor, path: Path | str | None = None, *, effective_from=None, note: str = ""
) -> tuple[PolicyVersion, bool]:
    """Load a pack file as a new version — only when its content differs from the last file loaded.

    Values an administrator set since (edited entries) are carried over: the file does not silently
    undo a decision taken in the product. Returns (version, created).
    """
    entries, sha, name = pack.read(path)
    with transaction.atomic():
        latest = PolicyVersion.objects.select_for_update(of=("self",)).order_by("-number").first()
        last_file = PolicyVersion.objects.exclude(file_sha256="").order_by("-number").first()
        if last_file is not None and last_file.file_sha256 == sha:
            return latest, False
        if latest is None:
            moment = BASELINE if effective_from is None else _effective(effective_from, earliest=None)
        else:
            moment = _effective(effective_from or clock.now(), earliest=latest.effective_from)
        rows = [{**e, "edited": False} for e in entries]
        if latest is not None:
            edited = {r["key"]: r for r in _rows(latest) if r["edited"]}
            for row in rows:
                if row["key"] in edited:
                    row["value"] = edited[row["key"]]["value"]
                    row["edited"] = True
        version = _create_version(
            rows,
            effective_from=moment,
            source=f"{name} sha256 {sha[:16]}",
            note=note,
            actor=actor,
            file_sha=sha,
        )
        audit.record(
            actor,
            "policy.load",
            version,
            after={"version": version.number, "file": name, "sha256": sha, "entries": len(rows)},
            reason=note,
        )
    return version, True


def ensure_loaded() -> PolicyVersion:
    """The current version, loading the shipped pack first if the database has none (fresh or flushed)."""
    version = PolicyVersion.objects.order_by("-number").first()
    if version is not None:
        return version
    try:
        version, _ = load_pack(Actor.system("policy bootstrap"))
    except Conflict:  # another process loaded it at the same moment
        version = PolicyVersion.objects.order_by("-number").first()
    return version


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
            or ensure_loaded()
        )
        current = entries_of(latest).get(key)
        if current is None:
            raise unknown_key(key)
        number = _parse_value(current, value)
        if number == Decimal(current.value):
            raise Invalid(
                "policy_unchanged",
                f"{key} 的值已经是 {current.display('zh-hans')}",
                f"{key} is already {current.display('en')}",
                fields={"value": ["unchanged"]},
            )
        moment = _effective(effective_from, earliest=latest.effective_from)
        rows = _rows(latest)
        for row in rows:
            if row["key"] == key:
                row["value"] = number
                row["edited"] = True
        who = actor.name
        version = _create_version(
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
        moment = _effective(effective_from, earliest=None)
        group = lookup(key, at=moment)
        number = _parse_value(group, value)
        # POL-2: "其相关标准和要求不低于集团制度" — compared with the group value in force then and with
        # any later version already scheduled, whichever is stricter.
        scheduled = entries_of(latest).get(key) if latest is not None else None
        for reference in (group, scheduled):
            if reference is not None and is_laxer(number, reference.value, reference.stricter):
                raise DomainError(
                    "policy_override_laxer",
                    f"{unit.name} 的 {key} 只能更严格：集团值为 {format_value(reference.value, group.unit, 'zh-hans')}，"
                    f"提交 {format_value(number, group.unit, 'zh-hans')}",
                    f"{unit.name} may only make {key} stricter: the group value is "
                    f"{format_value(reference.value, group.unit, 'en')}, submitted "
                    f"{format_value(number, group.unit, 'en')}",
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
