"""Issue 10, "Privilege escalation": the attacks reproduced through the HTTP API with the demo users.

ORG-5: a delegation is made by the delegator, or registered for them and then approved by them or their
superior; never to oneself; only the delegator's own (non-supervisory) rights at the delegator's scope;
the delegator is told; every use is audited. ORG-4: a supervisory-only role delegates nothing.
"""

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connections

from kefu import demo as demo_data
from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.errors import DomainError
from kefu.core.models import AuditEvent
from kefu.engine.notifications.models import Notification
from kefu.engine.workflow.actions import verdicts
from kefu.engine.workflow.queries import pending_steps
from kefu.org import actions
from kefu.org.models import Delegation, Employee, Role, Unit
from kefu.org.tests.test_api import As, error_code

pytestmark = pytest.mark.django_db

APPROVALS = "/api/v1/approvals"
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def _body(demo, frozen, delegate, permissions, delegator=None, days=3):
    body = {
        "delegate_id": demo[delegate].pk,
        "permissions": permissions,
        "ends_at": (frozen + timedelta(days=days)).isoformat(),
        "reason": "休假期间代为处理",
    }
    if delegator is not None:
        body["delegator_id"] = demo[delegator].pk
    return body


def _full(as_, method, path, body=None):
    """A call outside /api/v1/org with the same person's token (and delegation header, if any)."""
    if method == "get":
        return as_.client.get(path, headers=as_.headers)
    return as_.client.post(path, body or {}, content_type="application/json", headers=as_.headers)


def _in_realty_cs():
    return Employee.objects.filter(unit__path__startswith=Unit.objects.get(code="realty-cs").path).count()


# ---- self-granted rights (ORG-5) ----------------------------------------------------------------


def test_majun_cannot_grant_himself_a_colleagues_full_view(client, demo, frozen):
    # ORG-5: 马军 (HR, delegation.manage, no customer.view_full) named himself as the delegate of
    # 王芳's full-view right → 201 before the fix; nobody registers a delegation naming themselves
    majun = As(client, demo["majun"])
    answer = majun.post(
        "/delegations",
        _body(demo, frozen, "majun", ["customer.view", "customer.view_full"], delegator="wangfang"),
    )
    assert error_code(answer, 400) == "ORG-5.self"
    # 王芳 the same way with 马军's claim.rule / discipline.confirm
    wangfang = As(client, demo["wangfang"])
    answer = wangfang.post(
        "/delegations",
        _body(demo, frozen, "wangfang", ["claim.rule", "discipline.confirm"], delegator="majun"),
    )
    assert error_code(answer, 400) == "ORG-5.self"
    assert not Delegation.objects.exists()


def test_a_registered_delegation_is_inactive_until_the_delegator_approves_it(client, demo, frozen):
    # ORG-5: 马军 registers 李娜's delegation to 赵敏 while 李娜 is away: pending, not usable, 李娜 is told;
    # once 李娜 approves it, 赵敏 acts with exactly 李娜's department scope
    majun, lina, zhaomin = (As(client, demo[u]) for u in ("majun", "lina", "zhaomin"))
    answer = majun.post("/delegations", _body(demo, frozen, "zhaomin", ["org.view"], delegator="lina"))
    assert answer.status_code == 201, answer.content
    made = answer.json()
    assert made["state"] == "pending" and made["in_force"] is False and made["registered_by"] == "majun"
    acting = zhaomin.under(made["id"])
    assert error_code(acting.get("/employees"), 403) == "ORG-5.not_in_force"
    assert made["id"] not in [d["id"] for d in zhaomin.get("/delegations?current=true").json()["items"]]

    told = Notification.objects.get(recipient=demo["lina"].user, template="org.delegation_registered")
    assert "马军" in told.subject and "赵敏" in told.subject

    pending = _full(lina, "get", f"{APPROVALS}/pending").json()["items"]
    step = next(s for s in pending if s["chain"] == "org.delegation" and s["record_id"] == str(made["id"]))
    decided = _full(lina, "post", f"{APPROVALS}/steps/{step['id']}/decide", {"decision": "approve"})
    assert decided.status_code == 200, decided.content

    now = majun.get("/delegations").json()["items"]
    assert next(d for d in now if d["id"] == made["id"])["state"] == "approved"
    listing = acting.get("/employees")
    assert listing.status_code == 200 and listing.json()["count"] == _in_realty_cs()
    assert zhaomin.get("/employees").json()["count"] == 1  # without the header: only herself


def test_the_delegators_superior_approves_when_the_delegator_is_absent(client, demo, frozen):
    # ORG-5: the approval chain also asks the delegator's superior (王芳 for 李娜)
    majun, wangfang = As(client, demo["majun"]), As(client, demo["wangfang"])
    made = majun.post("/delegations", _body(demo, frozen, "zhaomin", ["org.view"], delegator="lina")).json()
    step = next(
        s
        for s in _full(wangfang, "get", f"{APPROVALS}/pending").json()["items"]
        if s["record_id"] == str(made["id"])
    )
    approved = _full(wangfang, "post", f"{APPROVALS}/steps/{step['id']}/decide", {"decision": "approve"})
    assert approved.status_code == 200, approved.content
    assert As(client, demo["zhaomin"]).under(made["id"]).get("/employees").status_code == 200
    # and a rejected one never comes into force
    other = majun.post("/delegations", _body(demo, frozen, "sunli", ["org.view"], delegator="lina")).json()
    step = next(
        s
        for s in _full(wangfang, "get", f"{APPROVALS}/pending").json()["items"]
        if s["record_id"] == str(other["id"])
    )
    rejected = _full(
        wangfang, "post", f"{APPROVALS}/steps/{step['id']}/decide", {"decision": "reject", "reason": "不需要"}
    )
    assert rejected.status_code == 200
    assert Delegation.objects.get(pk=other["id"]).state == "rejected"
    assert error_code(As(client, demo["sunli"]).under(other["id"]).get("/employees"), 403) == (
        "ORG-5.not_in_force"
    )


def test_the_delegator_is_told_when_their_superior_decides(client, demo, frozen):
    # ORG-5 (issue 10 follow-up): 李娜 is told when 马军 registers a delegation of her authority, and
    # again when her superior 王芳 approves or rejects it; deciding it herself tells her nothing new
    majun, wangfang, lina = (As(client, demo[u]) for u in ("majun", "wangfang", "lina"))

    def decide(as_, made, decision, reason=""):
        step = next(
            s
            for s in _full(as_, "get", f"{APPROVALS}/pending").json()["items"]
            if s["record_id"] == str(made["id"])
        )
        body = {"decision": decision, "reason": reason}
        answer = _full(as_, "post", f"{APPROVALS}/steps/{step['id']}/decide", body)
        assert answer.status_code == 200, answer.content

    def told(template):
        return list(
            Notification.objects.filter(recipient=demo["lina"].user, template=template).order_by("pk")
        )

    approved = majun.post(
        "/delegations", _body(demo, frozen, "zhaomin", ["org.view"], delegator="lina")
    ).json()
    decide(wangfang, approved, "approve")
    (note,) = told("org.delegation_decided")
    assert "王芳" in note.subject and "批准" in note.subject and "赵敏" in note.subject
    assert "即日起生效" in note.body and "查看组织" in note.body  # the permission by its Chinese name

    rejected = majun.post("/delegations", _body(demo, frozen, "sunli", ["org.view"], delegator="lina")).json()
    decide(wangfang, rejected, "reject", "无需代理")
    note = told("org.delegation_decided")[-1]
    assert "驳回" in note.subject and "孙丽" in note.subject and "无需代理" in note.body
    # the registrar hears of both decisions through the engine's own message, as before
    assert Notification.objects.filter(recipient=demo["majun"].user, template="approval.decided").count() == 2

    mine = majun.post("/delegations", _body(demo, frozen, "chenjie", ["org.view"], delegator="lina")).json()
    decide(lina, mine, "approve")
    assert len(told("org.delegation_decided")) == 2  # she decided it herself: no message about it


def test_nobody_approves_a_delegation_while_acting_for_the_approver(client, demo, frozen):
    # ORG-5: 孙丽 holds 李娜's approval.decide under a delegation 李娜 made; a delegation of 李娜's authority
    # to 孙丽 that 马军 registers must not be approved by 孙丽 acting for 李娜 (self-approval)
    lina, majun = demo["lina"], As(client, demo["majun"])
    proxy = actions.create_delegation(
        Actor(user=lina.user, origin="test"),
        delegator=lina,
        delegate=demo["sunli"],
        permissions=["approval.decide"],
        starts_at=frozen,
        ends_at=frozen + timedelta(days=3),
        reason="出差期间代为审批",
    )
    made = majun.post("/delegations", _body(demo, frozen, "sunli", ["org.view"], delegator="lina")).json()
    sunli_for_lina = As(client, demo["sunli"]).under(proxy.pk)
    step = next(
        s
        for s in _full(sunli_for_lina, "get", f"{APPROVALS}/pending").json()["items"]
        if s["record_id"] == str(made["id"])
    )
    answer = _full(sunli_for_lina, "post", f"{APPROVALS}/steps/{step['id']}/decide", {"decision": "approve"})
    assert error_code(answer, 400) == "ORG-5.guard"
    assert Delegation.objects.get(pk=made["id"]).state == "pending"
    # nor registers delegations while acting for someone (no re-delegation)
    zhouqiang = As(client, demo["zhouqiang"])
    hr = actions.create_delegation(
        Actor(user=demo["majun"].user, origin="test"),
        delegator=demo["majun"],
        delegate=demo["zhouqiang"],
        permissions=["delegation.manage", "org.view"],
        starts_at=frozen,
        ends_at=frozen + timedelta(days=3),
        reason="出差",
    )
    answer = zhouqiang.under(hr.pk).post(
        "/delegations", _body(demo, frozen, "zhaomin", ["org.view"], delegator="lina")
    )
    assert error_code(answer, 403) == "ORG-5.under_delegation"


def test_the_delegate_gets_exactly_the_delegators_acting_grants(client, demo, frozen, admin_actor):
    # ORG-5 / ORG-4: 李娜 also holds the group-wide 督导 role; her delegated org.view carries her
    # department scope (cs_supervisor), never the supervisory role's group scope
    lina = demo["lina"]
    actions.set_roles(admin_actor, lina, list(Role.objects.filter(code__in=["cs_supervisor", "inspector"])))
    assert As(client, lina).get("/employees").json()["count"] == Employee.objects.count()
    made = As(client, lina).post("/delegations", _body(demo, frozen, "zhaomin", ["org.view"])).json()
    assert made["state"] == "approved"
    acting = As(client, demo["zhaomin"]).under(made["id"])
    assert acting.get("/employees").json()["count"] == _in_realty_cs()
    assert acting.get(f"/employees/{demo['lvxin'].pk}").status_code == 404  # 华辰水务 stays out


@pytest.mark.pg_only
@pytest.mark.skipif(not ON_POSTGRES, reason="parallel connections are tested on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_delegator_and_superior_approving_at_once_make_one_decision(admin_user):  # ORG-5 / WF-4
    demo_data.load(service_cases=False)
    people = {e.user.username: e for e in Employee.objects.select_related("user")}
    lina, wangfang = people["lina"], people["wangfang"]
    delegation = actions.create_delegation(
        Actor(user=people["majun"].user, origin="test"),
        delegator=lina,
        delegate=people["zhaomin"],
        permissions=["org.view"],
        starts_at=clock.now(),
        ends_at=clock.now() + timedelta(days=3),
        reason="休假",
    )
    step = pending_steps(Actor(user=lina.user)).get(request__object_id=str(delegation.pk))
    start, results = threading.Barrier(2), []

    def approve(user):
        try:
            start.wait()
            verdicts.decide(Actor(user=user, origin="thread"), step.pk, "approve")
            results.append("approved")
        except DomainError as error:
            results.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(e.user,)) for e in (lina, wangfang)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["WF-4.not_pending", "approved"]
    delegation.refresh_from_db()
    assert delegation.state == "approved"
    assert (
        AuditEvent.objects.filter(action="org.delegation.approve", object_id=str(delegation.pk)).count() == 1
    )


# ---- every use is audited (ORG-5) ---------------------------------------------------------------


def test_every_request_under_a_delegation_leaves_an_audit_row_naming_it(client, demo, frozen):
    # ORG-5: each request under a delegation is recorded once, naming the delegation; writes under it
    # carry the delegator and the delegation on their own rows
    majun = As(client, demo["majun"])
    made = majun.post("/delegations", _body(demo, frozen, "zhouqiang", ["org.manage", "org.view"])).json()
    acting = As(client, demo["zhouqiang"]).under(made["id"])
    assert acting.get("/employees").status_code == 200

    def uses():
        return AuditEvent.objects.filter(action="org.delegation.use", object_id=str(made["id"]))

    assert [(e.actor_name, e.on_behalf_of, e.reason) for e in uses()] == [
        ("zhouqiang", "majun", "GET /api/v1/org/employees")
    ]
    realty_cs = Unit.objects.get(code="realty-cs")
    created = acting.post(
        "/units", {"kind": "team", "name": "代办组", "code": "proxy", "parent_id": realty_cs.pk}
    )
    assert created.status_code == 201, created.content
    assert uses().count() == 2
    row = AuditEvent.objects.get(action="org.unit.create", object_id=str(created.json()["id"]))
    assert row.on_behalf_of == "majun" and f"delegation #{made['id']}" in row.origin
    # requests without the header leave no such row
    As(client, demo["zhouqiang"]).get("/employees")
    assert uses().count() == 2


# ---- supervisory-only roles (ORG-4) -------------------------------------------------------------


def test_tangning_cannot_delegate_her_supervisory_rights(client, demo, frozen):
    # ORG-4 "只有督导权没有行政权": 唐宁's group-wide case.view handed to 赵敏 → 201 before the fix
    tangning = As(client, demo["tangning"])
    answer = tangning.post("/delegations", _body(demo, frozen, "zhaomin", ["case.view", "customer.view"]))
    assert error_code(answer, 403) == "ORG-4.supervisory_only"
    assert "督导" in answer.json()["error"]["messages"]["zh-hans"]
    assert not Delegation.objects.exists()
    # a manager cannot register it for her either
    admin = As(client, demo["admin"])
    answer = admin.post("/delegations", _body(demo, frozen, "zhaomin", ["case.view"], delegator="tangning"))
    assert error_code(answer, 403) == "ORG-4.supervisory_only"
    # she still views what her role lets her view
    assert tangning.get("/employees").json()["count"] == Employee.objects.count()
