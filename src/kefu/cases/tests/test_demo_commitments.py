"""`kefu demo load` shows issue 18's commitments: a missed expected time escalated (CASE-8), calls
judged against the rings (SLA-1)."""

from kefu.cases.demo import load_cases
from kefu.cases.demo_commitments import load_commitments
from kefu.cases.models import CallRecord, Case, HandoffState
from kefu.core.decisions import for_object
from kefu.engine.workflow import api as workflow


def test_demo_commitments_case8_sla1(demo, admin_actor):  # CASE-8, SLA-1
    load_cases(admin_actor)
    result = load_commitments(admin_actor)
    assert result["calls"] == 2
    assert set(CallRecord.objects.values_list("within", flat=True)) == {True, False}
    case = Case.objects.get(handoffs__pk=result["handoff"])
    assert case.handoffs.get().state == HandoffState.DEFERRED
    assert any(d.rule == "CASE-8" and "超时" in d.outcome for d in for_object(case))
    assert [t.state for t in workflow.clocks(case, names=("expected",))] == ["breached"]
    assert load_commitments(admin_actor) == {"calls": 0}  # a second load adds nothing
