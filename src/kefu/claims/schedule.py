"""CLM-12: the daily check for units that submitted nothing (不得出现瞒报、漏报、谎报)."""

from kefu.engine.schedules import registry as schedules
from kefu.engine.schedules.registry import Schedule

DAILY_CHECK = Schedule(
    "claims.daily_submissions",
    "daily",
    run="kefu.claims.actions.daily.flag_missing",
    calendar="office",
    working_day=True,
)

schedules.register(DAILY_CHECK)
