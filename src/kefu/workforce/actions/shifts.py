"""Shift templates per team (WFM-1): 早班/中班/晚班 and custom ones; a template whose end is at or
before its start crosses midnight. Set by the 排班管理员 (rota.manage over the team)."""

from datetime import time

from django.db import transaction

from kefu.core import audit
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, NotFound
from kefu.org import access
from kefu.org.models import Unit
from kefu.workforce.models import ShiftTemplate

MANAGE = "rota.manage"


def require_team(actor: Actor, unit: Unit) -> None:
    """The actor manages rotas over `unit` (a team or department in their scope); else 404."""
    access.require(actor, MANAGE)
    if not access.write_in_scope(actor, MANAGE, unit=unit, owner_id=None):
        raise NotFound("班组", "team")


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
