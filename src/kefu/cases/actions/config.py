"""Configuration of the cases module (CASE-1, ROUTE-1): a subsidiary's own case kinds with their
fields, and the skill groups that take cases. Permission `case.configure` over the unit concerned.

A subsidiary's kind with the code of a shipped kind replaces the shipped one for that subsidiary
only (`queries.intake.kind_for`, `queries.intake.kinds_for`). Shipped kinds are not edited here. Deactivating a
kind keeps its cases; it is only no longer offered for new ones.
"""

import re

from django.db import IntegrityError, transaction

from kefu.cases.models import CaseKind, Family, Office, SkillGroup
from kefu.cases.queries.routing import subsidiary_path
from kefu.core import audit
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid, PermissionDenied
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Unit, UnitKind

SLUG = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
CODE = re.compile(r"^[a-z][a-z0-9_-]{0,49}$")
FIELD_TYPES = ("text", "number", "date", "choice")
FIELDS_MAX = 30
CHOICES_MAX = 50
LABEL_MAX = 100
NAME_MAX = 100
FIELD_KEYS = {"name", "label", "type", "required", "choices"}


def _bad(code: str, zh: str, en: str, field: str) -> Invalid:
    return Invalid(code, zh, en, {field: code})


def _may_configure(actor: Actor, unit: Unit) -> None:
    if not access.record_in_scope(actor, "case.configure", unit=unit, owner_id=None):
        raise PermissionDenied(
            "您无权配置该单位的工单类型与技能组",
            "You may not configure case kinds and skill groups of this unit",
            code="case_configure_forbidden",
        )


def _only(data: dict, allowed: set[str]) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise _bad(
            "case_config_unknown",
            f"不能修改：{', '.join(unknown)}",
            f"Cannot change: {', '.join(unknown)}",
            unknown[0],
        )


def _insert(model, exists: Conflict, **values):
    """A new row whose (unit, code) must be free; a concurrent twin answers the same Conflict."""
    if model.objects.filter(unit=values["unit"], code=values["code"]).exists():
        raise exists
    try:
        with transaction.atomic():
            return model.objects.create(**values)
    except IntegrityError:
        raise exists from None


def _text(value, field: str, label: tuple[str, str], *, required: bool = True, limit: int = NAME_MAX) -> str:
    if value is not None and not isinstance(value, str):
        raise _bad("case_config_invalid", f"「{label[0]}」须为文本", f"{label[1]} must be text", field)
    text = (value or "").strip()
    if required and not text:
        raise _bad("case_config_required", f"请填写「{label[0]}」", f"{label[1]} is required", field)
    if len(text) > limit:
        raise _bad(
            "case_config_too_long",
            f"「{label[0]}」不能超过 {limit} 个字符",
            f"{label[1]} may have at most {limit} characters",
            field,
        )
    return text


def _code(value, field: str = "code") -> str:
    code = (value or "").strip() if isinstance(value, str) else ""
    if not CODE.fullmatch(code):
        raise _bad(
            "case_config_code",
            "代码须以小写字母开头，只含小写字母、数字、下划线或连字符，最多 50 个字符",
            "The code starts with a lower-case letter and has only a-z, 0-9, _ or -, at most 50 characters",
            field,
        )
    return code


def _choice_of(value, choices, field: str, label: tuple[str, str]) -> str:
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise _bad(
            "case_config_choice",
            f"「{label[0]}」无效，可选：{allowed}",
            f"Invalid {label[1]}; one of: {allowed}",
            field,
        )
    return value


def _flag(value, field: str, label: tuple[str, str]) -> bool:
    if not isinstance(value, bool):
        raise _bad(
            "case_config_invalid", f"「{label[0]}」须为是或否", f"{label[1]} must be true or false", field
        )
    return value


def _field_choices(spec: dict, where: str, n: int) -> list[str]:
    raw = spec.get("choices")
    if spec.get("type") != "choice":
        if raw not in (None, [], ""):
            raise _bad(
                "case_field_choices_unexpected",
                f"第 {n} 个字段：只有「选项」类型的字段可以设置可选值",
                f"Field {n}: only a field of type choice has choices",
                f"{where}.choices",
            )
        return []
    if not isinstance(raw, list) or not raw:
        raise _bad(
            "case_field_choices_required",
            f"第 {n} 个字段：「选项」类型须列出可选值",
            f"Field {n}: a choice field needs its choices",
            f"{where}.choices",
        )
    if len(raw) > CHOICES_MAX:
        raise _bad(
            "case_field_choices_many",
            f"第 {n} 个字段：可选值最多 {CHOICES_MAX} 个",
            f"Field {n}: at most {CHOICES_MAX} choices",
            f"{where}.choices",
        )
    choices = []
    for value in raw:
        text = value.strip() if isinstance(value, str) else ""
        if not text or len(text) > LABEL_MAX:
            raise _bad(
                "case_field_choice_invalid",
                f"第 {n} 个字段：可选值须为 1 到 {LABEL_MAX} 个字符的文本",
                f"Field {n}: each choice is text of 1 to {LABEL_MAX} characters",
                f"{where}.choices",
            )
        if text in choices:
            raise _bad(
                "case_field_choice_duplicate",
                f"第 {n} 个字段：可选值「{text}」重复",
                f"Field {n}: the choice “{text}” appears twice",
                f"{where}.choices",
            )
        choices.append(text)
    return choices


def clean_fields(raw) -> list[dict]:
    """CASE-1: a kind's own fields, checked: a list of {name, label, type, required, choices}; names
    are unique slugs, the type one of text/number/date/choice, choices only (and always) for choice."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise _bad("case_fields_invalid", "字段须为列表", "The fields must be a list", "fields")
    if len(raw) > FIELDS_MAX:
        raise _bad(
            "case_fields_many",
            f"每种工单类型最多 {FIELDS_MAX} 个字段",
            f"A kind has at most {FIELDS_MAX} fields",
            "fields",
        )
    clean, seen = [], set()
    for index, spec in enumerate(raw):
        n, where = index + 1, f"fields.{index}"
        if not isinstance(spec, dict):
            raise _bad("case_field_invalid", f"第 {n} 个字段格式无效", f"Field {n} is not an object", where)
        unknown = sorted(set(spec) - FIELD_KEYS)
        if unknown:
            raise _bad(
                "case_field_unknown_key",
                f"第 {n} 个字段有未知的属性：{', '.join(unknown)}",
                f"Field {n} has unknown keys: {', '.join(unknown)}",
                where,
            )
        name = spec.get("name")
        if not isinstance(name, str) or not SLUG.fullmatch(name):
            raise _bad(
                "case_field_name",
                f"第 {n} 个字段：名称须以小写字母开头，只含小写字母、数字和下划线（如 account_no），最多 50 个字符",
                f"Field {n}: the name starts with a lower-case letter and has only a-z, 0-9 and _ "
                "(e.g. account_no), at most 50 characters",
                f"{where}.name",
            )
        if name in seen:
            raise _bad(
                "case_field_name_duplicate",
                f"字段名称「{name}」重复",
                f"The field name “{name}” appears twice",
                f"{where}.name",
            )
        seen.add(name)
        label = _text(spec.get("label"), f"{where}.label", (f"第 {n} 个字段的显示名", f"Field {n}'s label"))
        kind = spec.get("type", "text")
        if kind not in FIELD_TYPES:
            raise _bad(
                "case_field_type",
                f"第 {n} 个字段：类型须为 {'、'.join(FIELD_TYPES)} 之一",
                f"Field {n}: the type is one of {', '.join(FIELD_TYPES)}",
                f"{where}.type",
            )
        required = _flag(
            spec.get("required", False),
            f"{where}.required",
            (f"第 {n} 个字段的必填", f"Field {n}'s required"),
        )
        row = {"name": name, "label": label, "type": kind, "required": required}
        choices = _field_choices({**spec, "type": kind}, where, n)
        if kind == "choice":
            row["choices"] = choices
        clean.append(row)
    return clean


def _kind_values(data: dict, *, creating: bool) -> dict:
    values = {}
    if "family" in data or creating:
        values["family"] = _choice_of(data.get("family"), Family, "family", ("类别", "family"))
    if "name" in data or creating:
        values["name"] = _text(data.get("name"), "name", ("名称", "name"))
    if "name_en" in data:
        values["name_en"] = _text(
            data.get("name_en"), "name_en", ("英文名称", "English name"), required=False
        )
    if "fields" in data:
        values["fields"] = clean_fields(data.get("fields"))
    if "ordering" in data:
        ordering = data.get("ordering")
        if not isinstance(ordering, int) or isinstance(ordering, bool) or not 0 <= ordering <= 32767:
            raise _bad(
                "case_config_ordering",
                "排序须为 0 到 32767 的整数",
                "Ordering is a whole number 0–32767",
                "ordering",
            )
        values["ordering"] = ordering
    if "active" in data:
        values["active"] = _flag(data.get("active"), "active", ("启用", "active"))
    return values


def _snapshot_kind(kind: CaseKind) -> dict:
    return {
        "code": kind.code,
        "family": kind.family,
        "name": kind.name,
        "name_en": kind.name_en,
        "fields": kind.fields,
        "active": kind.active,
        "ordering": kind.ordering,
    }


def create_kind(actor: Actor, *, unit: Unit, **data) -> CaseKind:
    """CASE-1: a subsidiary's own kind; with a shipped kind's code it replaces that kind there."""
    _may_configure(actor, unit)
    if unit.kind != UnitKind.SUBSIDIARY:
        raise _bad(
            "case_kind_unit",
            "工单类型按子公司配置：请选择一家子公司",
            "Case kinds are configured per subsidiary: choose a subsidiary",
            "unit",
        )
    code = _code(data.pop("code", None))
    values = _kind_values(data, creating=True)
    exists = Conflict(
        "case_kind_exists",
        f"{unit.name} 已有代码为「{code}」的工单类型",
        f"{unit.name} already has a kind “{code}”",
    )
    with transaction.atomic():
        kind = _insert(CaseKind, exists, unit=unit, code=code, **values)
        audit.record(actor, "cases.kind_create", kind, after=_snapshot_kind(kind))
    return kind


def update_kind(actor: Actor, kind: CaseKind, **data) -> CaseKind:
    """Change a subsidiary's kind (its code and unit stay); `active=False` retires it, its cases stay."""
    if kind.unit_id is None:
        raise PermissionDenied(
            "随系统提供的工单类型不能修改：请为子公司新建同代码的类型以替换它",
            "A shipped kind is not edited: create a subsidiary kind with its code to replace it",
            code="case_kind_shipped",
        )
    _may_configure(actor, kind.unit)
    _only(data, {"family", "name", "name_en", "fields", "ordering", "active"})
    values = _kind_values(data, creating=False)
    with transaction.atomic():
        kind = CaseKind.objects.select_for_update(of=("self",)).get(pk=kind.pk)
        before = _snapshot_kind(kind)
        for name, value in values.items():
            setattr(kind, name, value)
        kind.save()
        event = "cases.kind_deactivate" if before["active"] and not kind.active else "cases.kind_update"
        audit.record(actor, event, kind, before=before, after=_snapshot_kind(kind))
    return kind


def deactivate_kind(actor: Actor, kind: CaseKind) -> CaseKind:
    return update_kind(actor, kind, active=False)


# --- skill groups (ROUTE-1) ---------------------------------------------------------------------


def _families(value) -> list[str]:
    if not isinstance(value, list):
        raise _bad("case_group_families", "受理类别须为列表", "The families must be a list", "families")
    chosen = []
    for family in value:
        _choice_of(family, Family, "families", ("受理类别", "family"))
        if family not in chosen:
            chosen.append(family)
    return chosen


def _members(unit: Unit, value) -> list[Employee]:
    """ROUTE-1: members are active employees inside the group's subsidiary."""
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        raise _bad(
            "case_group_members", "成员须为员工编号列表", "Members must be a list of employee ids", "members"
        )
    ids = sorted(set(value))
    people = list(Employee.objects.filter(pk__in=ids).select_related("unit"))
    found = {p.pk for p in people}
    missing = [i for i in ids if i not in found]
    if missing:
        raise _bad(
            "case_group_member_unknown",
            f"员工不存在：{', '.join(map(str, missing))}",
            f"No such employees: {', '.join(map(str, missing))}",
            "members",
        )
    path = subsidiary_path(unit)
    for person in people:
        if person.status != EmploymentStatus.ACTIVE:
            raise _bad(
                "case_group_member_inactive",
                f"{person.name} 不是在职员工，不能加入技能组",
                f"{person.name} is not an active employee and cannot join a skill group",
                "members",
            )
        if not person.unit.path.startswith(path):
            raise _bad(
                "case_group_member_outside",
                f"{person.name} 不属于本技能组所在的公司，不能加入",
                f"{person.name} works outside the group's subsidiary and cannot join it",
                "members",
            )
    return people


def _group_values(unit: Unit, data: dict, *, creating: bool) -> tuple[dict, list[Employee] | None]:
    values = {}
    if "name" in data or creating:
        values["name"] = _text(data.get("name"), "name", ("名称", "name"))
    if "office" in data or creating:
        values["office"] = _choice_of(
            data.get("office", Office.FRONT), Office, "office", ("前台/后台", "office")
        )
    if "families" in data or creating:
        values["families"] = _families(data.get("families", []))
    if "active" in data:
        values["active"] = _flag(data.get("active"), "active", ("启用", "active"))
    members = _members(unit, data["members"]) if "members" in data else None
    return values, members


def _snapshot_group(group: SkillGroup) -> dict:
    return {
        "unit": group.unit_id,
        "code": group.code,
        "name": group.name,
        "office": group.office,
        "families": group.families,
        "active": group.active,
        "members": sorted(group.members.values_list("pk", flat=True)),
    }


def create_group(actor: Actor, *, unit: Unit, **data) -> SkillGroup:
    """ROUTE-1: a skill group of a unit (a team or department of a subsidiary) taking some families."""
    _may_configure(actor, unit)
    code = _code(data.pop("code", None))
    data.setdefault("members", [])
    values, members = _group_values(unit, data, creating=True)
    exists = Conflict(
        "case_group_exists",
        f"{unit.name} 已有代码为「{code}」的技能组",
        f"{unit.name} already has a group “{code}”",
    )
    with transaction.atomic():
        group = _insert(SkillGroup, exists, unit=unit, code=code, **values)
        group.members.set(members)
        audit.record(actor, "cases.group_create", group, after=_snapshot_group(group))
    return group


def update_group(actor: Actor, group: SkillGroup, **data) -> SkillGroup:
    """Rename, change office, families, members or retire a skill group (its cases stay)."""
    _may_configure(actor, group.unit)
    _only(data, {"name", "office", "families", "members", "active"})
    values, members = _group_values(group.unit, data, creating=False)
    with transaction.atomic():
        group = SkillGroup.objects.select_for_update(of=("self",)).select_related("unit").get(pk=group.pk)
        before = _snapshot_group(group)
        for name, value in values.items():
            setattr(group, name, value)
        group.save()
        if members is not None:
            group.members.set(members)
        audit.record(actor, "cases.group_update", group, before=before, after=_snapshot_group(group))
    return group
