"""Response levels (EMG-3): a subsidiary's own levels replace the system's defaults Ⅰ–Ⅳ (本系统默认值);
configured by emergency.plan.manage over the subsidiary."""

from django.db import transaction

from kefu.core import audit
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, PermissionDenied
from kefu.emergency.models import Level
from kefu.emergency.queries import levels as queries
from kefu.emergency.queries.plans import MANAGE
from kefu.org import access
from kefu.org.models import Unit

MAX_LEVELS = 10


def set_levels(actor: Actor, unit: Unit, rows: list[dict]) -> list[Level]:
    """EMG-3: replace the subsidiary's levels with `rows` (code, name, description), most severe first."""
    home = queries.home(unit)
    access.require_write(actor, MANAGE)
    if not access.write_in_scope(actor, MANAGE, unit=home, owner_id=None):
        raise PermissionDenied(
            "只有本公司的预案管理人员可以设置响应级别",
            "Only a plan manager of the subsidiary may do this",
            code="emergency_forbidden",
        )
    clean, seen = [], set()
    for row in rows or []:
        code = str(row.get("code") or "").strip()
        name = str(row.get("name") or "").strip()
        description = str(row.get("description") or "").strip()
        if not code and not name:
            continue
        if not code or not name or len(code) > 10 or len(name) > 50 or len(description) > 300:
            raise Invalid(
                "emergency_level",
                "每个级别须填写代号（10字以内）和名称（50字以内）",
                "Each level needs a code and a name",
                {"levels": "invalid"},
            )
        if code in seen:
            raise Invalid(
                "emergency_level_twice",
                f"级别代号 {code} 重复",
                "A level code is used twice",
                {"levels": "duplicate"},
            )
        seen.add(code)
        clean.append((code, name, description))
    if not clean or len(clean) > MAX_LEVELS:
        raise Invalid(
            "emergency_levels_count",
            f"请设置 1 至 {MAX_LEVELS} 个级别",
            "Give 1 to 10 levels",
            {"levels": "count"},
        )
    with transaction.atomic():
        before = list(Level.objects.filter(unit=home).order_by("position").values_list("code", "name"))
        Level.objects.filter(unit=home).delete()
        made = Level.objects.bulk_create(
            Level(unit=home, code=c, name=n, description=d, position=i) for i, (c, n, d) in enumerate(clean)
        )
        audit.record(
            actor,
            "emergency.levels.set",
            home,
            before={"levels": [list(r) for r in before]},
            after={"levels": [[c, n] for c, n, _ in clean]},
        )
    return made
