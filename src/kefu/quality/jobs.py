"""The quality app's schedules: on the first of each month the QC groups are checked (QC-1) —
last month's minimum number of activities, then inactivity beyond the pack's limit."""

from kefu.engine.schedules.registry import Schedule, register

QC_CHECK = Schedule("quality.qc_check", "monthly:1", run="kefu.quality.actions.qcgroups.monthly")


def register_jobs() -> None:
    register(QC_CHECK)
