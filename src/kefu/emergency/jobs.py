"""The emergency app's sweeps: the complaint-surge detector (EMG-5) every second — the alert must
reach the command centre within seconds of the threshold case. One round costs one range read of the
cases' `received_at` index over the window (plus one read per subsidiary that reaches the threshold)."""

from datetime import timedelta

from kefu.core.worker import register_sweep
from kefu.emergency.actions import surges

SURGE_SWEEP_EVERY = timedelta(seconds=1)  # 本系统默认值: the worker's own round; the alert target is < 5 s


def register_jobs() -> None:
    register_sweep("emergency.surges", SURGE_SWEEP_EVERY)(surges.sweep)
