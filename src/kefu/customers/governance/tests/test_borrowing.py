"""SEC-4 borrowing (经理及以上, 借阅卡, overdue reminder) and access requests signed by the manager."""

from datetime import timedelta

import pytest

from kefu.core import clock
from kefu.core.decisions import for_object
from kefu.core.errors import NotFound, PermissionDenied
from kefu.core.models import AuditEvent
from kefu.customers.governance import actions, queries
from kefu.customers.governance.models import AccessRequest, RequestState
from kefu.engine.notifications.models import Notification
from kefu.engine.policy.actions import set_value
from kefu.engine.policy.api import lookup
from kefu.org.models import Role, RoleAssignment

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


def test_only_managers_borrow_and_the_borrower_sees_the_full_dossier(demo, actor_of, make_customer):
    # SEC-4: full-dossier borrowing only for 经理及以上; each borrowing recorded; reads audited (SEC-5)
    customer = make_customer("借阅客户", phone=PHONE, address="北京路 8 号")
    due = clock.now() + timedelta(days=3)
    with pytest.raises(PermissionDenied):
        actions.borrow(actor_of(demo["lina"]), customer, purpose="查看", due_at=due)  # 客服主管
    with pytest.raises(NotFound):
        actions.borrow(actor_of(demo["gaofeng"]), customer, purpose="查看", due_at=due)  # other subsidiary
    with pytest.raises(NotFound):
        queries.dossier(actor_of(demo["wangfang"]), customer.pk)  # no open card yet
    card = actions.borrow(actor_of(demo["wangfang"]), customer, purpose="处理投诉需核对地址", due_at=due)
    assert (card.borrower, card.purpose, card.returned_at) == (demo["wangfang"], "处理投诉需核对地址", None)
    dossier = queries.dossier(actor_of(demo["wangfang"]), customer.pk)
    assert dossier["phone"] == PHONE and dossier["address"] == "北京路 8 号"
    read = AuditEvent.objects.get(action="read.sensitive", object_id=str(customer.pk))
    assert "处理投诉需核对地址" in read.reason
    actions.return_borrowing(actor_of(demo["wangfang"]), card)
    card.refresh_from_db()
    assert card.returned_at == clock.now()
    with pytest.raises(NotFound):
        queries.dossier(actor_of(demo["wangfang"]), customer.pk)


def test_overdue_borrowing_notifies_the_borrower_and_superior_once(demo, actor_of, make_customer):
    # SEC-4: the due date is watched; overdue dossiers are reported
    customer = make_customer("借阅客户")
    actions.borrow(
        actor_of(demo["wangfang"]), customer, purpose="核对", due_at=clock.now() + timedelta(days=1)
    )
    assert actions.notify_overdue_borrowings() == 0
    clock.advance(timedelta(days=1, minutes=1))
    assert actions.notify_overdue_borrowings() == 1
    assert actions.notify_overdue_borrowings() == 0
    told = set(
        Notification.objects.filter(subject__contains="逾期").values_list("recipient__username", flat=True)
    )
    assert told == {"wangfang", "liuyang"}
    with pytest.raises(NotFound):
        queries.dossier(actor_of(demo["wangfang"]), customer.pk)  # access ends at the due date


def test_access_request_of_the_general_manager_goes_to_the_group_leadership(demo, actor_of):
    # SEC-4 WF-4 (issue 10 follow-up): 张伟 (集团办公室, top of the line) has no supervisor and no
    # subsidiary 客服经理 above him: the request failed with WF-4.no_approver. Now the group's
    # leadership approves (刘洋 — never 张伟 himself), and the record says why.
    from kefu.core.decisions import for_object

    request = actions.request_access(actor_of(demo["zhangwei"]), kind="statistics", purpose="集团月度统计")
    _approval, steps = queries.approval_steps(request)
    assert [u.username for u in steps[0].approvers.all()] == ["liuyang"]
    (why,) = [d for d in for_object(request) if d.rule == "WF-4"]
    assert "无人可审批" in why.outcome and "集团领导" in why.outcome and "leadership" in why.outcome
    assert (
        why.inputs["常规审批人 / usual approvers"] == "—" and why.inputs["申请人 / requester"] == "zhangwei"
    )
    actions.decide(actor_of(demo["liuyang"]), steps[0].pk, "approve")
    request.refresh_from_db()
    assert request.state == RequestState.APPROVED
    # 刘洋's own request goes to his superior, 张伟
    other = actions.request_access(actor_of(demo["liuyang"]), kind="statistics", purpose="季度统计")
    _approval, steps = queries.approval_steps(other)
    assert [u.username for u in steps[0].approvers.all()] == ["zhangwei"]


def test_access_request_is_approved_by_the_department_manager(demo, actor_of, make_customer):
    # SEC-4: "需各部门经理签字后,向客服部申请查阅"
    request = actions.request_access(actor_of(demo["zhaomin"]), kind="statistics", purpose="月度投诉统计")
    _approval, steps = queries.approval_steps(request)
    approvers = {u.username for u in steps[0].approvers.all()}
    assert approvers == {"lina", "wangfang"}  # her supervisor and the subsidiary's 客服经理
    assert steps[0].deadline_key == "security.archive_access_approval_within"  # SEC-4's own entry (issue 13)
    assert request in queries.access_requests(actor_of(demo["lina"]))  # asked to sign: sees it
    assert request not in queries.access_requests(actor_of(demo["sunli"]))
    with pytest.raises(NotFound):
        actions.decide(actor_of(demo["gaofeng"]), steps[0].pk, "approve")
    actions.decide(actor_of(demo["wangfang"]), steps[0].pk, "approve")
    request.refresh_from_db()
    assert request.state == RequestState.APPROVED
    assert queries.access_request(actor_of(demo["zhaomin"]), request.pk) == request
    with pytest.raises(NotFound):
        queries.access_request(actor_of(demo["lvxin"]), request.pk)
    assert AccessRequest.objects.count() == 1


def test_policy_pack_honesty_sec4_approvals_have_their_own_entry(demo, actor_of):
    # issue 13: SEC-4 approvals no longer reuse LV-2's leave.approval_within — changing the leave deadline
    # leaves the archive's alone; the entry is marked 本系统默认值 (the seeds give no time for SEC-4)
    entry = lookup("security.archive_access_approval_within")
    assert (entry.rule, entry.value, entry.unit, entry.default_not_from_seeds) == (
        "SEC-4",
        1,
        "working_days",
        True,
    )
    RoleAssignment.objects.create(employee=demo["wangfang"], role=Role.objects.get(code="admin"))
    set_value(
        actor_of(demo["wangfang"]),
        "leave.approval_within",
        2,
        effective_from=clock.today(),
        reason="LV-2 放宽",
    )
    request = actions.request_access(actor_of(demo["zhaomin"]), kind="statistics", purpose="月度投诉统计")
    _approval, steps = queries.approval_steps(request)
    assert steps[0].deadline_key == "security.archive_access_approval_within"
    why = [d for d in for_object(request) if d.rule == "SEC-4"][-1]
    assert why.inputs["sign_within"] == "security.archive_access_approval_within = 1 工作日（本系统默认值）"
