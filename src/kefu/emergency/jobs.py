"""The emergency app's sweeps: the complaint-surge detector (EMG-5) every second — the alert must
reach the command centre within seconds of the threshold case. One round costs one range read of the
cases' `received_at` index over the window (plus one read per subsidiary that reaches the threshold).
The incident clock (EMG-4) every few seconds: missed activations (recorded once) and alert repeats."""

from datetime import timedelta

from kefu.core.worker import register_sweep
from kefu.emergency.actions import incidents, surges

SURGE_SWEEP_EVERY = timedelta(seconds=1)  # 本系统默认值: the worker's own round; the alert target is < 5 s
# 本系统默认值: the incident clock's round — a missed 30-minute activation is escalated within seconds
INCIDENT_SWEEP_EVERY = timedelta(seconds=5)


def register_jobs() -> None:
    register_sweep("emergency.surges", SURGE_SWEEP_EVERY)(surges.sweep)
    register_sweep("emergency.incidents", INCIDENT_SWEEP_EVERY)(incidents.sweep)  # EMG-4
