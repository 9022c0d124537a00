"""The leave demo (LV-1…LV-5): 赵敏's approved leave took her out of routing and handed her open
complaint to 孙丽 (last week); 孙丽's rest day waits for 李娜 with its working-day clock."""

from kefu.cases.models import Case
from kefu.cases.queries import routing
from kefu.engine.workflow import api as workflow
from kefu.workforce.demo_leave import load_leave
from kefu.workforce.models import LeaveRequest, LeaveState


def test_demo_leave(demo, groups, admin_actor, frozen):  # LV-5, LV-2
    loaded = load_leave(admin_actor)
    away = LeaveRequest.objects.get(pk=loaded["approved"])
    assert away.state == LeaveState.APPROVED and away.handed_over_at is not None
    complaint = Case.objects.get(title="交房延期投诉")
    assert complaint.owner == demo["sunli"]
    assert not routing.is_available(demo["zhaomin"], away.starts_at + (away.ends_at - away.starts_at) / 2)
    assert routing.is_available(demo["zhaomin"])  # back now
    pending = LeaveRequest.objects.get(pk=loaded["pending"])
    step = workflow.pending_approval(pending).steps.get(status=workflow.StepStatus.PENDING)
    assert workflow.clocks(step).filter(state=workflow.TimerState.RUNNING).exists()
    assert load_leave(admin_actor) == {"leave": 0}
