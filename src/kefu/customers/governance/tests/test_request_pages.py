"""Detail pages and API of merge, destruction and access requests and of borrowing cards: the approval
steps (who decided, when, comment), the current state and the decisions ("为什么") — SEC-4, SEC-8,
CUS-6, POL-3 — and the SEC-8 self-request routing."""

from datetime import timedelta

import pytest
from django.test import Client

from kefu.core import clock
from kefu.core.actions import create_token
from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.customers.governance import actions, queries
from kefu.customers.governance.models import DestructionLog, RequestState

pytestmark = pytest.mark.django_db
API = "/api/v1/customers/governance"
PAGES = "/customers/governance"


def _bearer(who) -> dict:
    _, secret = create_token(Actor(user=who.user, origin="test"), user=who.user, name="t")
    return {"Authorization": f"Bearer {secret}"}


def _client(demo, who) -> Client:
    client = Client()
    client.force_login(demo[who].user)
    return client


def _steps(obj):
    return queries.approval_steps(obj)[1]


def test_cus6_merge_request_page_shows_steps_state_and_why(demo, actor_of, make_customer):
    survivor = make_customer("张三", owner=demo["zhaomin"], company="甲公司", audience="B")
    duplicate = make_customer("张三", company="甲公司", audience="B", phone="13800000011")
    request = actions.request_merge(actor_of(demo["admin"]), survivor, duplicate, reason="重复录入")
    listing = _client(demo, "wangfang").get(f"{PAGES}/duplicates/").content.decode()
    assert f'href="{PAGES}/duplicates/{request.pk}/"' in listing  # the list links the page

    page = _client(demo, "wangfang").get(f"{PAGES}/duplicates/{request.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "合并审批" in text and "审批中" in text and "为什么" in text and "CUS-6" in text
    assert "审批步骤" in text  # the app's own zh-Hans catalogue
    assert "/customers/governance/steps/" in text  # wangfang may decide here

    step = _steps(request)[0]
    decided = _client(demo, "wangfang").post(
        f"{PAGES}/steps/{step.pk}/decide/",
        {"decision": "approve", "reason": "核实为同一客户", "next": f"{PAGES}/duplicates/{request.pk}/"},
    )
    assert decided.status_code == 302 and decided["Location"] == f"{PAGES}/duplicates/{request.pk}/"
    text = _client(demo, "admin").get(f"{PAGES}/duplicates/{request.pk}/").content.decode()
    assert "wangfang" in text and "核实为同一客户" in text and "已执行" in text  # who, comment, state
    assert "approved → done" in text  # the state changes
    assert f"/customers/governance/customers/{survivor.pk}/claims/" in text

    assert _client(demo, "gaofeng").get(f"{PAGES}/duplicates/{request.pk}/").status_code == 404
    assert _client(demo, "admin").get(f"{PAGES}/duplicates/999999/").status_code == 404

    api = Client().get(f"{API}/merge-requests/{request.pk}", headers=_bearer(demo["wangfang"]))
    body = api.json()
    assert api.status_code == 200 and body["state"] == "done"
    assert body["steps"][0]["decided_by"] == "wangfang" and body["steps"][0]["reason"] == "核实为同一客户"
    assert {d["rule"] for d in body["decisions"]} == {"CUS-6"}
    assert [h["to_state"] for h in body["history"]] == ["approved", "done"]
    gone = Client().get(f"{API}/merge-requests/{request.pk}", headers=_bearer(demo["gaofeng"]))
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "not_found"


def test_sec8_destruction_request_page_shows_the_three_approvals(demo, actor_of, make_customer):
    customer = make_customer("页面销毁", audience="B", phone="13800000088")
    request = actions.request_destruction(actor_of(demo["admin"]), customer, reason="过期")
    listing = _client(demo, "admin").get(f"{PAGES}/destruction/").content.decode()
    assert f'href="{PAGES}/destruction/{request.pk}/"' in listing
    comments = {"songyu": "信息已核对", "wangfang": "同意", "zhangwei": "准予销毁"}
    for who, step in zip(("songyu", "wangfang", "zhangwei"), _steps(request), strict=True):
        actions.decide(actor_of(demo[who]), step.pk, "approve", reason=comments[who])
    page = _client(demo, "zhangwei").get(f"{PAGES}/destruction/{request.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    for label in ("客户信息主管核准", "客服部经理核准", "总经理核准"):
        assert label in text
    for who, comment in comments.items():
        assert who in text and comment in text
    assert "已执行" in text and "SEC-8" in text and "为什么" in text
    api = Client().get(f"{API}/destruction-requests/{request.pk}", headers=_bearer(demo["songyu"])).json()
    assert [s["decided_by"] for s in api["steps"]] == ["songyu", "wangfang", "zhangwei"]
    assert api["state"] == "done" and "SEC-8" in {d["rule"] for d in api["decisions"]}
    assert _client(demo, "zhaomin").get(f"{PAGES}/destruction/{request.pk}/").status_code == 404


def test_sec4_access_request_page_and_api(demo, actor_of):
    request = actions.request_access(actor_of(demo["zhaomin"]), kind="statistics", purpose="月度统计")
    listing = _client(demo, "zhaomin").get(f"{PAGES}/access/").content.decode()
    assert f'href="{PAGES}/access/{request.pk}/"' in listing
    step = _steps(request)[0]
    assert {u.username for u in step.approvers.all()} >= {"lina"}
    actions.decide(actor_of(demo["lina"]), step.pk, "reject", reason="用途不明确")
    text = _client(demo, "zhaomin").get(f"{PAGES}/access/{request.pk}/").content.decode()
    assert "部门经理签字" in text and "lina" in text and "用途不明确" in text and "已驳回" in text
    assert (
        "SEC-4" in text and "security.archive_access_approval_within" in text
    )  # the why names the deadline entry
    api = Client().get(f"{API}/access-requests/{request.pk}", headers=_bearer(demo["zhaomin"])).json()
    assert api["state"] == RequestState.REJECTED and api["steps"][0]["reason"] == "用途不明确"
    assert _client(demo, "lvxin").get(f"{PAGES}/access/{request.pk}/").status_code == 404


def test_sec4_borrowing_card_page_and_api(demo, actor_of, make_customer, frozen):
    customer = make_customer("借阅客户")
    card = actions.borrow(
        actor_of(demo["wangfang"]), customer, purpose="合同复核", due_at=clock.now() + timedelta(days=1)
    )
    listing = _client(demo, "wangfang").get(f"{PAGES}/borrowings/").content.decode()
    assert f'href="{PAGES}/borrowings/{card.pk}/"' in listing
    text = _client(demo, "wangfang").get(f"{PAGES}/borrowings/{card.pk}/").content.decode()
    assert "合同复核" in text and "借出" in text and "SEC-4" in text and "为什么" in text
    clock.advance(timedelta(days=2))
    assert actions.notify_overdue_borrowings() == 1  # an automated outcome: a decision record
    text = _client(demo, "wangfang").get(f"{PAGES}/borrowings/{card.pk}/").content.decode()
    assert "逾期" in text and "overdue" in text
    api = Client().get(f"{API}/borrowings/{card.pk}", headers=_bearer(demo["wangfang"])).json()
    assert api["steps"] == [] and len(api["decisions"]) == 2
    assert _client(demo, "lvxin").get(f"{PAGES}/borrowings/{card.pk}/").status_code == 404
    with pytest.raises(NotFound):
        queries.borrowing(actor_of(demo["zhaomin"]), card.pk)


def test_sec8_info_supervisor_self_request_goes_to_own_superior(demo, actor_of, make_customer):
    # SEC-8: 客户信息主管 → 客服部经理 → 总经理, "分别核准". When the info supervisor asks, the first
    # approval goes to the requester's nearest superior who approves no other step (宋雨 → 王芳 is the
    # manager of step 2 → 刘洋); three different people still approve in turn
    customer = make_customer("自请销毁", audience="B", phone="13800000099")
    response = _client(demo, "songyu").post(
        f"{PAGES}/destruction/", {"customer": customer.pk, "reason": "客户注销多年"}
    )
    assert response.status_code == 302
    request = queries.destruction_requests(actor_of(demo["songyu"])).get(customer=customer)
    steps = _steps(request)
    assert [{u.username for u in s.approvers.all()} for s in steps] == [
        {"liuyang"},
        {"wangfang"},
        {"zhangwei"},
    ]
    why = Client()
    why.force_login(demo["songyu"].user)
    text = why.get(f"{PAGES}/destruction/{request.pk}/").content.decode()
    assert "申请人即客户信息主管" in text and "liuyang" in text
    with pytest.raises(NotFound):  # nobody approves their own request
        actions.decide(actor_of(demo["songyu"]), steps[0].pk, "approve")
    for who, step in zip(("liuyang", "wangfang", "zhangwei"), steps, strict=True):
        actions.decide(actor_of(demo[who]), step.pk, "approve")
    request.refresh_from_db()
    assert request.state == RequestState.DONE
    assert [a["by"] for a in DestructionLog.objects.get(request=request).approvals] == [
        "liuyang",
        "wangfang",
        "zhangwei",
    ]


def test_sec8_cs_manager_self_request_goes_to_own_superior(demo, actor_of, make_customer):
    # SEC-8: the same rule for the 客服部经理's own request: step 2 goes to 刘洋, steps 1 and 3 unchanged
    customer = make_customer("经理自请", audience="C")
    request = actions.request_destruction(actor_of(demo["wangfang"]), customer, reason="作废")
    assert [{u.username for u in s.approvers.all()} for s in _steps(request)] == [
        {"songyu"},
        {"liuyang"},
        {"zhangwei"},
    ]


def test_request_pages_bad_input_rerenders_in_the_pages_language(demo, make_customer):
    # bad input re-renders the form with the domain message in the page's language only (issue 13), never a 500
    client = _client(demo, "songyu")
    response = client.post(f"{PAGES}/destruction/", {"customer": 999999, "reason": "过期"})
    text = response.content.decode()
    assert response.status_code == 200 and "客户不存在或无权查看" in text and "customer not found" not in text
    customer = make_customer("A类", audience="A")
    response = client.post(f"{PAGES}/destruction/", {"customer": customer.pk, "reason": "过期"})
    text = response.content.decode()
    assert response.status_code == 200 and "A 类客户一经登陆" in text and "never deleted" not in text
    merge = _client(demo, "wangfang").post(
        f"{PAGES}/duplicates/", {"survivor": customer.pk, "duplicate": customer.pk, "reason": "x"}
    )
    assert merge.status_code == 200 and "不能与自身合并" in merge.content.decode()
    assert "cannot be merged with itself" not in merge.content.decode()
    client.cookies["django_language"] = "en"
    english = client.post(f"{PAGES}/destruction/", {"customer": 999999, "reason": "过期"}).content.decode()
    assert "customer not found" in english and "客户不存在或无权查看" not in english


def test_decide_next_only_goes_back_to_governance_pages(demo, actor_of, make_customer):
    customer = make_customer("跳转", audience="B")
    request = actions.request_destruction(actor_of(demo["admin"]), customer, reason="过期")
    step = _steps(request)[0]
    response = _client(demo, "songyu").post(
        f"{PAGES}/steps/{step.pk}/decide/", {"decision": "approve", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == f"{PAGES}/"
