"""A refused transition names what is missing in words, never by the field's code (issue 13)."""

import re

from django.apps import apps

from kefu.engine.workflow import declare


def test_every_required_field_of_every_lifecycle_has_a_chinese_name():
    assert apps.ready and declare._LIFECYCLES  # the apps' lifecycle modules registered theirs
    unnamed = [
        f"{lifecycle.model}.{name} ({move.name})"
        for lifecycle in declare._LIFECYCLES.values()
        for move in lifecycle.transitions
        for name in move.required
        if name not in lifecycle.labels
    ]
    assert not unnamed, unnamed


def test_timer_and_approval_states_read_in_chinese():
    # issue 13: "approval states Pending/Approved" — every state a page or a reason shows is in words
    from django.utils import translation

    from kefu.engine.workflow.models import ApprovalStatus, StepStatus, TimerState

    with translation.override("zh-hans"):
        labels = {str(c.label) for enum in (ApprovalStatus, StepStatus, TimerState) for c in enum}
    assert not [label for label in labels if re.search("[A-Za-z]", label)], labels
    with translation.override("zh-hans"):
        assert str(StepStatus.PENDING.label) == "待审批" and str(ApprovalStatus.APPROVED.label) == "已批准"
