"""The audit log viewer (SEC-6): scope, filters, pagination, chain verification."""

from datetime import timedelta

from django.test import Client

from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.models import AuditEvent
from kefu.org import actions as org_actions
from kefu.org.models import Unit


def _rows(response) -> str:
    """The results table only (the filter form's suggestions list action names too)."""
    return response.content.decode().split('id="audit-results"')[1]


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_audit_view_requires_permission(demo):
    # ORG-3: agents have no audit.view
    assert _client(demo["zhaomin"].user).get("/audit/").status_code == 403
    assert _client(demo["wangfang"].user).get("/audit/").status_code == 200


def test_audit_actions_read_in_chinese(demo):  # issue 13: audit actions, not `cases.create`
    client = _client(demo["admin"].user)
    audit.record(Actor.system("test"), "cases.create", Unit.objects.get(code="realty-cs"))
    audit.record(Actor.system("test"), "nobody.named.this", Unit.objects.get(code="realty-cs"))
    rows = "".join(
        _rows(client.get(f"/audit/?action={action}", HTTP_ACCEPT_LANGUAGE="zh-hans"))
        for action in ("cases.create", "nobody.named", "org.unit.create")
    )
    assert "新建工单" in rows and "其他操作" in rows and "新建组织单位" in rows
    for raw in ("cases.create", "nobody.named.this", "org.unit.create"):
        assert raw not in rows, raw


def test_audit_filters(demo):
    # SEC-6: who did what to which object, when
    client = _client(demo["admin"].user)
    unit = Unit.objects.get(code="realty-cs")
    rows = _rows(client.get(f"/audit/?object_type=org.unit&object_id={unit.pk}"))
    assert "新建组织单位" in rows and "客户服务部" in rows
    assert "新建人员" not in rows
    rows = _rows(client.get("/audit/?action=org.employee.roles"))
    assert "调整人员角色" in rows and "新建组织单位" not in rows
    assert "新建组织单位" not in _rows(client.get("/audit/?actor=nobody-here"))
    assert "新建组织单位" in _rows(client.get("/audit/?actor=admin&action=org.unit"))
    today = clock.now().date()
    assert "新建组织单位" in _rows(
        client.get(f"/audit/?action=org.unit&date_from={today - timedelta(days=1)}")
    )
    future = today + timedelta(days=3)
    assert "新建组织单位" not in _rows(client.get(f"/audit/?action=org.unit&date_from={future}"))
    # bad input does not break the page
    assert client.get("/audit/?date_from=yesterday&date_to=2000-01-01").status_code == 200


def test_audit_htmx_partial_and_pagination(demo):
    client = _client(demo["admin"].user)
    total = AuditEvent.objects.count()
    assert total > 50  # the demo writes plenty
    response = client.get("/audit/?page=2", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body
    assert f">{total - 50}<" in body  # newest first: page 2 starts 50 rows down


def test_audit_shows_before_after_diff(demo):
    actor = Actor(user=demo["admin"].user, origin="test")
    unit = Unit.objects.get(code="realty-finance")
    org_actions.update_unit(actor, unit, name="财务结算部")
    body = _client(demo["admin"].user).get("/audit/?action=org.unit.update").content.decode()
    assert "财务部" in body and "财务结算部" in body and 'class="changed"' in body


def test_narrow_scope_sees_only_its_units_rows(demo):
    # ORG-3 applied to the audit log: a department supervisor sees rows by people in that department
    lina = demo["lina"]  # cs_supervisor: audit.view at department scope (realty-cs)
    org_actions.update_employee(Actor(user=demo["majun"].user, origin="test"), demo["sunli"], email="a@b.cn")
    org_actions.create_delegation(
        Actor(user=demo["wangfang"].user, origin="test"),
        delegator=demo["wangfang"],
        delegate=demo["lina"],
        permissions=["org.view"],
        starts_at=clock.now(),
        ends_at=clock.now() + timedelta(days=1),
        reason="培训",
    )
    client = _client(lina.user)
    assert "新建委托" in _rows(client.get("/audit/?actor=wangfang"))  # realty-cs: inside
    assert "修改人员信息" not in _rows(client.get("/audit/?actor=majun"))  # realty-admin: outside
    assert "新建组织单位" not in _rows(
        client.get("/audit/?actor=admin&action=org.unit")
    )  # group office: outside
    # the group-wide inspector sees everything
    client = _client(demo["tangning"].user)
    assert "修改人员信息" in _rows(client.get("/audit/?actor=majun"))
    assert "新建组织单位" in _rows(client.get("/audit/?actor=admin&action=org.unit"))


def test_verify_chain_button(demo):
    # SEC-6: the verify command finds the first broken row, on demand
    client = _client(demo["admin"].user)
    response = client.post("/audit/verify/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "alert-success" in response.content.decode()
    assert "<html" not in response.content.decode()
    AuditEvent.objects.filter(seq=3).update(object_repr="tampered")
    response = client.post("/audit/verify/")
    body = response.content.decode()
    assert "alert-error" in body and "3" in body
    assert audit.verify().broken_seq == 3
    assert client.get("/audit/verify/").status_code == 405
