"""SEC-1: the daily purge of mail content past `mail.copy_retention` (see actions_retention)."""

from datetime import time

from kefu.engine.schedules import registry as schedules
from kefu.engine.schedules.registry import Schedule

PURGE = Schedule("mail.purge", "daily", run="kefu.engine.mail.actions_retention.purge_due", at=time(3, 0))

schedules.register(PURGE)
