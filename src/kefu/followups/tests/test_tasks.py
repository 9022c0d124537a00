"""Revisit plans and the task a plan opens when a case is resolved (FUP-1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.cases import actions
from kefu.cases.models import CaseState
from kefu.core import clock, decisions, memo
from kefu.core.errors import Invalid, NotFound, PermissionDenied
from kefu.customers.models import Customer
from kefu.engine.calendars import api as calendars
from kefu.engine.policy.api import add_months, lookup
from kefu.engine.schedules import actions as schedules
from kefu.engine.workflow import api as workflow
from kefu.followups.actions import plans, tasks
from kefu.followups.models import RevisitTask, TaskState, Trigger
from kefu.org.models import Employee, Role, RoleAssignment

pytestmark = pytest.mark.django_db


def test_resolution_opens_a_revisit_task_for_the_revisit_officer(
    demo, plan, open_case, resolve, frozen
):  # FUP-1
    case = resolve(open_case())
    assert case.state == CaseState.REVISIT  # the case waits in 回访中 for its revisit
    task = RevisitTask.objects.get(case=case)
    assert task.state == TaskState.OPEN and task.plan == plan
    assert task.assignee == demo["zhengkai"]  # the 回访组's 回访专员
    entry = lookup("followups.revisit_after_resolution_within")
    assert entry.default_not_from_seeds and entry.calendar == "office"
    assert task.due_at == calendars.add_working_days("office", frozen, int(entry.value))
    (timer,) = workflow.clocks(task)
    assert timer.due_at == task.due_at and timer.name == "revisit_due"
    assert "郑凯" in decisions.for_object(task).get().outcome


def test_no_plan_no_revisit(demo, open_case, resolve):  # FUP-1
    case = resolve(open_case())
    assert case.state == CaseState.INFORMED
    assert not RevisitTask.objects.exists()


def test_plan_for_other_kinds_leaves_the_case_alone(demo, act, open_case, resolve):  # FUP-1
    plans.set_plan(act("gaofeng"), demo["gaofeng"].unit, Trigger.RESOLUTION, kinds=["repair"])
    assert resolve(open_case()).state == CaseState.INFORMED


def test_assigned_by_load(demo, act, plan, open_case, resolve):  # FUP-1

    other = Employee.objects.get(pk=demo["lvxin"].pk)
    RoleAssignment.objects.create(employee=other, role=Role.objects.get(code="revisit_officer"))
    first = RevisitTask.objects.get(case=resolve(open_case(title="一")))
    second = RevisitTask.objects.get(case=resolve(open_case(title="二")))
    assert {first.assignee_id, second.assignee_id} == {demo["zhengkai"].pk, other.pk}


def test_resolution_with_a_revisit_in_a_bounded_number_of_statements(plan, open_case, act):  # FUP-1

    case, other = open_case(), open_case(title="对照")
    plans.set_plan(act("gaofeng"), plan.unit, Trigger.RESOLUTION, kinds=["consultation"], active=False)
    with memo.scope(), CaptureQueriesContext(connection) as without:  # as in a request (issue 11)
        actions.act(act("lvxin"), other, "inform", data={"customer_reply": "好"})
    plans.set_plan(act("gaofeng"), plan.unit, Trigger.RESOLUTION, kinds=["consultation"])
    with memo.scope(), CaptureQueriesContext(connection) as counted:
        actions.act(act("lvxin"), case, "inform", data={"customer_reply": "已更换减压阀"})
    assert RevisitTask.objects.filter(case=case).exists()
    assert (
        len(counted) - len(without) <= 21
    )  # task, timer, decision, audit, the 回访 move (measured 21; 20 once kind codes are kept)


def test_plans_are_set_by_the_subsidiarys_configurers(demo, act):  # FUP-1
    with pytest.raises(PermissionDenied):
        plans.set_plan(act("zhengkai"), demo["gaofeng"].unit, Trigger.COMPLAINT)
    with pytest.raises(NotFound):  # 高峰 configures 华辰水务, not 华辰置业
        plans.set_plan(act("gaofeng"), demo["wangfang"].unit, Trigger.COMPLAINT)
    with pytest.raises(Invalid):
        plans.set_plan(act("gaofeng"), demo["gaofeng"].unit, Trigger.RESOLUTION, kinds=["nope"])
    with pytest.raises(Invalid):
        plans.set_plan(act("gaofeng"), demo["gaofeng"].unit, Trigger.PERIODIC, tier="gold")
    plan = plans.set_plan(act("gaofeng"), demo["gaofeng"].unit, Trigger.PERIODIC, tier="key")
    again = plans.set_plan(act("gaofeng"), demo["gaofeng"].unit, Trigger.PERIODIC, tier="key", active=False)
    assert again.pk == plan.pk and not again.active
    assert plan.unit.kind == "subsidiary"


def test_periodic_plan_opens_one_revisit_per_customer_per_period(demo, act, frozen):  # FUP-1

    water = demo["gaofeng"].unit
    customers = Customer.objects.filter(unit__path__startswith=plans.policy.subsidiary_of(water).path)
    key = customers.first()
    Customer.objects.filter(pk=key.pk).update(tier="key")
    plans.set_plan(act("gaofeng"), water, Trigger.PERIODIC, tier="key")
    entry = lookup("followups.revisit_key_every")
    assert entry.default_not_from_seeds
    schedules.sweep(frozen)  # the daily schedule's run for today
    (task,) = RevisitTask.objects.filter(customer=key)
    assert task.assignee == demo["zhengkai"] and task.case is None
    keys = customers.filter(tier="key", destroyed_at__isnull=True, merged_into__isnull=True)
    assert RevisitTask.objects.count() == keys.count()  # every customer of that tier, only them
    (timer,) = workflow.clocks(task)
    assert timer.name == "revisit_periodic" and timer.due_at == task.due_at
    assert tasks.periodic() == 0  # not twice in the period
    clock.freeze(add_months(frozen, int(entry.value)))
    assert tasks.periodic() == keys.count()  # the next period's revisits


def test_reopened_before_its_revisit_waits_for_the_same_revisit(demo, act, plan, open_case, resolve):  # FUP-1

    case = resolve(open_case())
    task = RevisitTask.objects.get(case=case)
    case = actions.act(act("lvxin"), case, "reopen", reason="客户来电说仍然水压不足")
    case = actions.act(act("lvxin"), case, "propose", data={"solution": "更换管道"})
    case = resolve(case)
    assert case.state == CaseState.REVISIT
    assert list(RevisitTask.objects.filter(case=case)) == [task]  # one revisit, still open
