"""The quality app's schedules and sweeps (QA-1): each Monday the week that ended is sampled for
inspection; every ten minutes the published results whose appeal window has passed become final."""

from datetime import timedelta

from kefu.core.worker import register_sweep
from kefu.engine.schedules.registry import Schedule, register
from kefu.quality.actions import inspections

WEEKLY_SAMPLE = Schedule("quality.weekly_sample", "weekly:MON", run="kefu.quality.actions.sampling.weekly")


def register_jobs() -> None:
    register(WEEKLY_SAMPLE)
    register_sweep("quality.finalize", timedelta(minutes=10))(inspections.finalize_due)
