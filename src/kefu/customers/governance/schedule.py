"""SEC-1: the daily purge of import workbooks and error reports past `customers.import_copy_retention`
(see actions/imports.py)."""

from datetime import time

from kefu.engine.schedules import registry as schedules
from kefu.engine.schedules.registry import Schedule

PURGE = Schedule(
    "customer_governance.import_purge",
    "daily",
    run="kefu.customers.governance.actions.imports.purge_due",
    at=time(3, 10),
)

schedules.register(PURGE)
