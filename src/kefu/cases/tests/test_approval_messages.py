"""Issue 13 · approval messages (WF-4, CASE-4): the requester hears the result only when the whole
chain has ended; each step before that says, in Chinese, which step (its label), who decided it and
what remains — never an internal step id, an empty subject or a missing approver."""

from decimal import Decimal

from django.test import Client

from kefu.cases.actions import complaints as actions_complaints
from kefu.cases.models import CompensationState
from kefu.cases.tests.test_handling import _decide
from kefu.engine.notifications.models import Notification


def _inbox(user):
    return list(Notification.objects.filter(recipient=user, template__startswith="approval.").order_by("pk"))


def _clean(text: str) -> None:
    assert "「」" not in text and "cases.compensation" not in text and "cs_manager" not in text
    assert "由  " not in text and "由 批准" not in text and "None" not in text


def test_issue13_approval_messages_two_step_compensation(proposed_complaint, act, demo):  # WF-4 CASE-4
    case = proposed_complaint
    requester = demo["wujing"].user
    compensation = actions_complaints.request_compensation(act("wujing"), case, Decimal("5000"), "整体更换")

    _decide(act, "wangfang", compensation)  # step 1 of 2: 客服经理 approves
    compensation.refresh_from_db()
    assert compensation.state == CompensationState.PENDING
    (progress,) = _inbox(requester)
    assert "审批结果" not in progress.subject and "已批准" not in progress.subject
    assert "客服经理审批" in progress.subject and "公司领导审批" in progress.subject
    assert "「客服经理审批」环节由 王芳 批准" in progress.body
    assert "尚待审批：公司领导审批" in progress.body
    _clean(progress.subject + progress.body)
    client = Client()
    client.force_login(requester)
    page = client.get("/inbox/").content.decode()
    assert "审批进度" in page and "【审批结果】" not in page

    _decide(act, "zhangwei", compensation)  # step 2 of 2: 公司领导 approves — the chain ends
    compensation.refresh_from_db()
    assert compensation.state == CompensationState.APPROVED
    progress_again, result = _inbox(requester)
    assert progress_again.pk == progress.pk  # nothing more was said about step 1
    assert result.subject.startswith("【审批结果】客户赔偿审批") and result.subject.endswith("已批准")
    assert "客服经理审批：王芳 批准" in result.body and "公司领导审批：张伟 批准" in result.body
    _clean(result.subject + result.body)
    assert "【审批结果】" in client.get("/inbox/").content.decode()


def test_issue13_approval_rejected_at_the_last_step_is_the_result(
    proposed_complaint, act, demo
):  # WF-4 CASE-4
    case = proposed_complaint
    requester = demo["wujing"].user
    compensation = actions_complaints.request_compensation(act("wujing"), case, Decimal("5000"), "整体更换")
    _decide(act, "wangfang", compensation)
    _decide(act, "zhangwei", compensation, "reject", "金额过高")
    compensation.refresh_from_db()
    assert compensation.state == CompensationState.REJECTED
    result = _inbox(requester)[-1]
    assert result.template == "approval.decided" and result.subject.endswith("被驳回")
    assert "在「公司领导审批」环节由 张伟 驳回" in result.body and "意见：金额过高" in result.body
    assert "客服经理审批：王芳 批准" in result.body
    _clean(result.subject + result.body)
