"""Issue 10: every write into the archive checks its target against the actor's scope (ORG-3).

Reproducers through the HTTP API with the demo users' tokens: own-scope holders (赵敏, 吕欣, 黄磊, 林晓)
created customers in the other subsidiary; a customer was owned from another subsidiary.
"""

import pytest
from django.test import Client

from kefu.core.actions import create_token
from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.customers import actions
from kefu.customers.models import ChangeRequest, Customer
from kefu.org.models import Unit

BASE = "/api/v1/customers"


def bearer(employee) -> dict:
    _, token = create_token(Actor(user=employee.user, origin="test"), user=employee.user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def post(employee, body: dict):
    return Client().post(BASE, body, content_type="application/json", **bearer(employee))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username, target",
    [
        ("zhaomin", "water-cs-hotline"),
        ("zhaomin", "hc-water"),
        ("lvxin", "realty-cs-hotline"),
        ("huanglei", "water-cs"),
        ("linxiao", "hc-water"),
    ],
)
def test_org3_own_scope_cannot_create_a_customer_in_the_other_subsidiary(demo, username, target):
    # ORG-3 / issue 10: the reproducer answered 201 — a customer created in 华辰水务, owned by 赵敏
    before = Customer.objects.count()
    unit = Unit.objects.get(code=target)
    answer = post(demo[username], {"name": "越界客户", "unit_id": unit.pk})
    assert answer.status_code == 404, answer.content
    assert answer.json()["error"]["code"] == "not_found"
    assert Customer.objects.count() == before
    missing = post(demo[username], {"name": "越界客户", "unit_id": 999_999})
    assert missing.status_code == 404 and missing.json()["error"] == answer.json()["error"]


@pytest.mark.django_db
def test_org3_own_scope_creates_in_its_own_unit_owned_by_itself(demo):
    # ORG-3 decision: an "own" scope creates only in the holder's own unit (or below), as the owner
    me = demo["zhaomin"]
    created = post(me, {"name": "本组客户", "unit_id": me.unit.pk})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["unit"]["id"] == me.unit.pk and body["owner"]["id"] == me.pk
    default = post(me, {"name": "默认单位客户"})
    assert default.status_code == 201 and default.json()["unit"]["id"] == me.unit.pk
    # the department above her team is not hers: an own scope never reaches up
    department = Unit.objects.get(code="realty-cs")
    assert post(me, {"name": "部门客户", "unit_id": department.pk}).status_code == 404
    # nor may she create a customer owned by a colleague
    other = post(me, {"name": "同事客户", "owner_id": demo["sunli"].pk})
    assert other.status_code == 404
    assert not Customer.objects.filter(name__in=["部门客户", "同事客户"]).exists()


@pytest.mark.django_db
def test_org3_subsidiary_scope_creates_inside_and_not_outside(demo):
    # ORG-3: 王芳 (客服经理, 华辰置业) creates anywhere in 华辰置业, nowhere in 华辰水务
    wangfang = demo["wangfang"]
    inside = post(wangfang, {"name": "置业客户", "unit_id": Unit.objects.get(code="realty-sales").pk})
    assert inside.status_code == 201, inside.content
    outside = post(wangfang, {"name": "水务客户", "unit_id": Unit.objects.get(code="water-cs").pk})
    assert outside.status_code == 404
    assert not Customer.objects.filter(name="水务客户").exists()


@pytest.mark.django_db
def test_cus2_owner_from_another_subsidiary_is_refused(demo):
    # CUS-2 / issue 10: a customer is never owned from another subsidiary (group management may own)
    wangfang = demo["wangfang"]
    unit = Unit.objects.get(code="realty-cs").pk
    refused = post(wangfang, {"name": "跨公司负责人", "unit_id": unit, "owner_id": demo["lvxin"].pk})
    assert refused.status_code == 400, refused.content
    assert refused.json()["error"]["code"] == "CUS-2.owner_rule"
    assert not Customer.objects.filter(name="跨公司负责人").exists()
    group = post(
        wangfang, {"name": "集团负责人", "unit_id": unit, "owner_id": demo["liuyang"].pk, "tier": "key"}
    )
    assert group.status_code == 201, group.content


@pytest.mark.django_db
def test_org3_update_and_change_request_cannot_move_a_customer_out(demo, make_customer, actor_of):
    # ORG-3 / issue 10: moving a customer (directly, or through a CUS-4 change request as the web edit
    # form does — the API takes no unit_id on PATCH) and changing its owner check the target
    water = Unit.objects.get(code="water-cs")
    customer = make_customer(by="wangfang", name="搬家客户")
    with pytest.raises(NotFound):
        actions.update_customer(actor_of(demo["wangfang"]), customer, unit=water)
    owned = Client().patch(
        f"{BASE}/{customer.pk}",
        {"owner_id": demo["gaofeng"].pk},
        content_type="application/json",
        **bearer(demo["wangfang"]),
    )
    assert owned.status_code == 400 and owned.json()["error"]["code"] == "CUS-2.owner_rule"
    customer.refresh_from_db()
    assert customer.unit.code == "realty-cs" and customer.owner_id is None
    # 黄磊 (sales, CUS-4) may not even ask to move his customer into 华辰水务
    mine = make_customer(by="huanglei", name="销售客户")
    with pytest.raises(NotFound):
        actions.request_change(actor_of(demo["huanglei"]), mine, {"unit": water.pk}, reason="搬到水务")
    assert not ChangeRequest.objects.filter(customer=mine).exists()


@pytest.mark.django_db
def test_sec9_an_incident_names_only_customers_in_scope(demo, make_customer, actor_of):  # SEC-9, issue 10
    from kefu.core import clock
    from kefu.customers.governance.actions.incidents import record_incident
    from kefu.customers.governance.models import SecurityIncident

    water = make_customer(by="gaofeng", name="水务客户")
    realty = make_customer(by="wangfang", name="置业客户")
    songyu = actor_of(demo["songyu"])  # 客户信息主管, 华辰置业
    facts = {"kind": "leak", "occurred_at": clock.now(), "description": "外泄", "person": demo["zhaomin"]}
    with pytest.raises(NotFound):
        record_incident(songyu, customers=[realty, water], **facts)
    assert not SecurityIncident.objects.exists()
    assert list(record_incident(songyu, customers=[realty], **facts).customers.all()) == [realty]


@pytest.mark.django_db
def test_a_customer_is_never_placed_in_a_closed_unit(demo):
    # issue 12: the API read the unit by id unscoped and took a closed one; page and API now share
    # one scoped lookup (queries.archive.placeable_unit): a closed unit answers 404 like a missing one
    wangfang = demo["wangfang"]
    closed = Unit.objects.get(code="realty-sales")
    Unit.objects.filter(pk=closed.pk).update(is_active=False)
    answer = post(wangfang, {"name": "停用单位客户", "unit_id": closed.pk})
    assert answer.status_code == 404, answer.content
    assert answer.json()["error"]["code"] == "not_found"
    assert not Customer.objects.filter(name="停用单位客户").exists()
