"""Response levels (EMG-3): a subsidiary's configured levels, else the system's defaults Ⅰ–Ⅳ
(本系统默认值, not from the seeds)."""

from kefu.emergency import presets
from kefu.emergency.models import Level
from kefu.engine.policy import api as policy
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
