"""The quality app's schedules and sweeps: each Monday the week that ended is sampled for inspection
and every ten minutes the published results whose appeal window has passed become final (QA-1); on
the first of each month the QC groups are checked — last month's minimum number of activities, then
inactivity beyond the pack's limit (QC-1)."""

from datetime import timedelta

from kefu.core.worker import register_sweep
from kefu.engine.schedules.registry import Schedule, register
from kefu.quality.actions import inspections

WEEKLY_SAMPLE = Schedule("quality.weekly_sample", "weekly:MON", run="kefu.quality.actions.sampling.weekly")
QC_CHECK = Schedule("quality.qc_check", "monthly:1", run="kefu.quality.actions.qcgroups.monthly")


def register_jobs() -> None:
    register(WEEKLY_SAMPLE)
    register(QC_CHECK)
    register_sweep("quality.finalize", timedelta(minutes=10))(inspections.finalize_due)
