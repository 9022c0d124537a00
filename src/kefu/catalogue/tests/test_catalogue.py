"""PRC-1 the service and price catalogue under change control (seed 004: "不得擅自调整服务项目和服务价格",
"不准乱收费"): versioned proposals approved by another person before their effective day, price_on, and
charges only from the catalogue at the version in effect."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client

from kefu.cases.tests.test_api_cases import bearer
from kefu.catalogue.actions import charges, items
from kefu.catalogue.models import CaseCharge, VersionState
from kefu.catalogue.queries import items as queries
from kefu.core import clock
from kefu.core.errors import Conflict, Invalid, NotFound, PermissionDenied


def test_prc1_change_needs_another_person(demo, act, realty, frozen):  # PRC-1
    version = items.propose(
        act("wangfang"),
        kind="new",
        unit=realty,
        code="CLEAN",
        name="深度保洁",
        measure="次",
        price="150",
        effective_on=frozen.date(),
        reason="新增服务",
    )
    assert version.state == VersionState.PROPOSED and version.price == Decimal("150.00")
    assert queries.price_on(version.item, frozen.date()) is None  # unapproved: never in effect
    with pytest.raises(PermissionDenied):  # the 客服经理 proposes; approving is another's right
        items.decide(act("wangfang"), version, approve=True)
    own = items.propose(
        act("admin"), kind="price", item=version.item, price="160", effective_on=frozen.date(), reason="调价"
    )
    with pytest.raises(PermissionDenied) as error:  # the proposer, even holding the right, may not approve
        items.decide(act("admin"), own, approve=True)
    assert error.value.code == "PRC-1.same_person"
    with pytest.raises(PermissionDenied):  # an agent holds no approval right
        items.decide(act("zhaomin"), version, approve=True)
    with pytest.raises(PermissionDenied):  # water's people do not reach realty's catalogue
        items.decide(act("gaofeng"), version, approve=True)
    approved = items.decide(act("guoqing"), version, approve=True)
    assert approved.state == VersionState.APPROVED and approved.decided_by == demo["guoqing"].user
    assert queries.price_on(approved.item, frozen.date()).price == Decimal("150.00")
    with pytest.raises(Conflict):
        items.decide(act("guoqing"), version, approve=False)


def test_prc1_price_on_follows_versions(demo, act, realty, frozen, priced):  # PRC-1
    item = priced.item
    day = frozen.date()
    rise = items.propose(
        act("wangfang"),
        kind="price",
        item=item,
        price="95.50",
        effective_on=day + timedelta(days=10),
        reason="调价",
    )
    assert queries.price_on(item, day + timedelta(days=10)).price == Decimal("80.00")  # not approved yet
    items.decide(act("guoqing"), rise, approve=True)
    assert queries.price_on(item, day).price == Decimal("80.00")
    assert queries.price_on(item, day + timedelta(days=9)).price == Decimal("80.00")
    assert queries.price_on(item, day + timedelta(days=10)).price == Decimal("95.50")
    assert queries.price_on(item, day - timedelta(days=1)) is None
    stop = items.propose(
        act("wangfang"), kind="withdraw", item=item, effective_on=day + timedelta(days=20), reason="停止"
    )
    items.decide(act("zhangwei"), stop, approve=True)  # 集团领导 approve too
    assert queries.price_on(item, day + timedelta(days=20)) is None
    assert isinstance(queries.price_on(item, day).price, Decimal)


def test_prc1_approval_after_effective_day_refused(demo, act, realty, frozen, priced):  # PRC-1
    version = items.propose(
        act("wangfang"),
        kind="price",
        item=priced.item,
        price="99",
        effective_on=frozen.date() + timedelta(days=1),
        reason="调价",
    )
    clock.advance(timedelta(days=2))
    with pytest.raises(Conflict) as error:
        items.decide(act("guoqing"), version, approve=True)
    assert error.value.code == "PRC-1.late"
    assert queries.price_on(priced.item, clock.today()).price == Decimal("80.00")  # lapsed: never in effect
    assert queries.lapsed(version, clock.today())
    items.decide(act("guoqing"), version, approve=False)  # rejecting stays possible


def test_prc1_proposal_validation(demo, act, realty, water, frozen, priced):  # PRC-1
    with pytest.raises(Invalid):
        items.propose(
            act("wangfang"),
            kind="price",
            item=priced.item,
            price="1.234",
            effective_on=frozen.date(),
            reason="x",
        )
    with pytest.raises(Invalid):
        items.propose(
            act("wangfang"),
            kind="price",
            item=priced.item,
            price="-1",
            effective_on=frozen.date(),
            reason="x",
        )
    with pytest.raises(Invalid):
        items.propose(
            act("wangfang"),
            kind="price",
            item=priced.item,
            price="1",
            effective_on=frozen.date() - timedelta(days=1),
            reason="x",
        )
    with pytest.raises(PermissionDenied):
        items.propose(
            act("zhaomin"), kind="price", item=priced.item, price="1", effective_on=frozen.date(), reason="x"
        )
    with pytest.raises(PermissionDenied):
        items.propose(
            act("wangfang"),
            kind="new",
            unit=water,
            code="X",
            name="X",
            measure="次",
            price="1",
            effective_on=frozen.date(),
            reason="x",
        )
    with pytest.raises(Conflict):
        items.propose(
            act("wangfang"),
            kind="new",
            unit=realty,
            code="REPAIR",
            name="重复",
            measure="次",
            price="1",
            effective_on=frozen.date(),
            reason="x",
        )


def test_prc1_case_charge_only_from_catalogue(demo, act, frozen, priced, new_case):  # PRC-1
    case = new_case()
    charge = charges.charge_case(act("zhaomin"), case, item_id=priced.item_id, quantity=2)
    assert charge.amount == Decimal("160.00") and charge.version == priced
    for bad in (
        {"item_id": priced.item_id, "quantity": 1, "price": "100"},  # a different amount
        {"item_id": 999999, "quantity": 1},  # unknown item
    ):
        with pytest.raises(Invalid) as error:
            charges.charge_case(act("zhaomin"), case, **bad)
        assert error.value.code == "PRC-1.off_catalogue" and "不准乱收费" in error.value.zh
    stop = items.propose(
        act("wangfang"),
        kind="withdraw",
        item=priced.item,
        effective_on=frozen.date() + timedelta(days=1),
        reason="停止",
    )
    items.decide(act("guoqing"), stop, approve=True)
    clock.advance(timedelta(days=1))
    with pytest.raises(Invalid) as error:  # a withdrawn item
        charges.charge_case(act("zhaomin"), case, item_id=priced.item_id, quantity=1)
    assert "不准乱收费" in error.value.zh
    with pytest.raises(NotFound):  # water's agent does not reach realty's case
        charges.charge_case(act("lvxin"), case, item_id=priced.item_id, quantity=1)
    assert CaseCharge.objects.filter(case=case).count() == 1


def test_prc1_api(demo, frozen, priced, new_case, realty):  # PRC-1
    case = new_case()
    agent = Client(**bearer(demo["zhaomin"].user))
    url = f"/api/v1/catalogue/cases/{case.pk}/charges"
    refused = agent.post(
        url, {"item_id": priced.item_id, "quantity": 1, "price": "70"}, content_type="application/json"
    )
    assert refused.status_code == 400 and "不准乱收费" in refused.json()["error"]["message"]
    made = agent.post(url, {"item_id": priced.item_id, "quantity": 3}, content_type="application/json")
    assert made.status_code == 201 and made.json()["amount"] == "240.00"
    listed = agent.get(url).json()
    assert listed["total"] == "240.00"
    manager = Client(**bearer(demo["wangfang"].user))
    proposal = manager.post(
        "/api/v1/catalogue/proposals",
        {
            "kind": "price",
            "item_id": priced.item_id,
            "price": "88.00",
            "effective_on": str(frozen.date() + timedelta(days=1)),
            "reason": "调价",
        },
        content_type="application/json",
    )
    assert proposal.status_code == 201
    pk = proposal.json()["id"]
    same = manager.post(f"/api/v1/catalogue/proposals/{pk}/approve", {}, content_type="application/json")
    assert same.status_code == 403
    finance = Client(**bearer(demo["guoqing"].user))
    ok = finance.post(f"/api/v1/catalogue/proposals/{pk}/approve", {}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["state"] == "approved", ok.json()
    today = finance.get(f"/api/v1/catalogue/items/{priced.item_id}/price").json()
    assert today["version"]["price"] == "80.00"
    later = finance.get(
        f"/api/v1/catalogue/items/{priced.item_id}/price?day={frozen.date() + timedelta(days=1)}"
    )
    assert later.json()["version"]["price"] == "88.00"
    outsider = Client(**bearer(demo["lvxin"].user))
    assert outsider.get(f"/api/v1/catalogue/items/{priced.item_id}").status_code == 404


def test_prc1_pages(demo, frozen, priced, new_case, client):  # PRC-1
    case = new_case()
    client.force_login(demo["zhaomin"].user)
    page = client.get("/catalogue/")
    assert (
        page.status_code == 200
        and "上门维修" in page.content.decode()
        and "不准乱收费" in page.content.decode()
    )
    assert 'id="case-charges"' in client.get(f"/cases/{case.pk}/").content.decode()
    refused = client.post(
        f"/cases/{case.pk}/charges/", {"item": priced.item_id, "quantity": "1", "price": "50"}, follow=True
    )
    assert "不准乱收费" in refused.content.decode()
    done = client.post(
        f"/cases/{case.pk}/charges/", {"item": priced.item_id, "quantity": "1", "price": ""}, follow=True
    )
    assert "80.00" in done.content.decode() and CaseCharge.objects.filter(case=case).count() == 1
    client.force_login(demo["guoqing"].user)
    assert client.get(f"/catalogue/items/{priced.item_id}/").status_code == 200
