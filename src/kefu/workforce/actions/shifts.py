"""Shift templates per team (WFM-1): 早班/中班/晚班 and custom ones; a template whose end is at or
before its start crosses midnight. Set by the 排班管理员 (rota.manage over the team)."""

from datetime import datetime, time

from django.db import transaction

from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid, NotFound
from kefu.org import access
from kefu.org.models import Employee, Unit
from kefu.workforce.models import ShiftTemplate
from kefu.workforce.queries import rotas as rota_queries

MANAGE = "rota.manage"


def require_team(actor: Actor, unit: Unit) -> None:
    """The actor manages rotas over `unit` (a team or department in their scope); else 404."""
    access.require(actor, MANAGE)
    if not access.write_in_scope(actor, MANAGE, unit=unit, owner_id=None):
        raise NotFound("班组", "team")


def require_rest(employee: Employee, starts_at: datetime, ends_at: datetime, *, ignore=()) -> None:
    """WFM-1: refuse a shift for `employee` that overlaps another of theirs or leaves them less than
    the pack's minimum rest (call-in, swap, substitute cover all go through here)."""
    clash = rota_queries.too_close(employee, starts_at, ends_at, ignore=ignore)
    if clash is not None:
        when = f"{clock.local(clash.starts_at):%m-%d %H:%M}–{clock.local(clash.ends_at):%H:%M}"
        raise Conflict(
            "workforce_rest_between_shifts",
            f"{employee.name}在 {when} 已有班次，两个班次之间须留足最少休息时间（WFM-1）",
            f"{employee.name} has a shift at {when}: two shifts need the minimum rest between them (WFM-1)",
        )


def save_template(
    actor: Actor, unit: Unit, *, code: str, name: str, starts: time, ends: time, active: bool = True
) -> ShiftTemplate:
    """Create or change the team's shift template `code`."""
    require_team(actor, unit)
    code, name = (code or "").strip(), (name or "").strip()
    if not code or not name:
        raise Invalid(
            "workforce_template",
            "请填写班次代码和名称",
            "Give the shift a code and a name",
            {"code" if not code else "name": "required"},
        )
    if starts == ends:
        raise Invalid(
            "workforce_template_span",
            "班次的开始与结束时间不能相同",
            "A shift cannot start and end at the same time",
            {"ends": "invalid"},
        )
    with transaction.atomic():
        template, created = ShiftTemplate.objects.select_for_update(of=("self",)).get_or_create(
            unit=unit, code=code, defaults={"name": name, "starts": starts, "ends": ends, "active": active}
        )
        before = None
        if not created:
            before = audit.snapshot(template, ["name", "starts", "ends", "active"])
            template.name, template.starts, template.ends, template.active = name, starts, ends, active
            template.save(update_fields=["name", "starts", "ends", "active"])
        audit.record(
            actor,
            "workforce.template.save",
            template,
            before=before,
            after=audit.snapshot(template, ["code", "name", "starts", "ends", "active"]),
        )
    return template
