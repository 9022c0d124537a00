"""Response levels (EMG-3): a subsidiary's configured levels, else the system's defaults Ⅰ–Ⅳ
(本系统默认值, not from the seeds)."""

from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.emergency import presets
from kefu.emergency.models import Level
from kefu.engine.policy import api as policy
from kefu.org import access
from kefu.org.models import Unit


def home(unit: Unit) -> Unit:
    """The unit whose levels apply: the subsidiary (the unit itself for the group office)."""
    return policy.subsidiary_of(unit) or unit


def levels_for(unit: Unit) -> list[Level]:
    """The levels in force for `unit`; the defaults (unsaved, `is_default`) when none are configured."""
    found = list(Level.objects.filter(unit=home(unit)).order_by("position", "pk"))
    for level in found:
        level.is_default = False
    if found:
        return found
    defaults = []
    for position, (code, name, description) in enumerate(presets.DEFAULT_LEVELS):
        level = Level(unit=home(unit), code=code, name=name, position=position, description=description)
        level.is_default = True
        defaults.append(level)
    return defaults


def visible(actor: Actor, unit: Unit) -> list[Level]:
    """The levels of `unit`'s subsidiary for a reader of emergency plans or bodies over it; 404 otherwise."""
    codes = ("emergency.view", "emergency.plan.manage", "emergency.body.manage")
    if not any(access.unit_in_scope(actor, code, home(unit)) for code in codes):
        raise NotFound("响应级别", "response levels")
    return levels_for(unit)
