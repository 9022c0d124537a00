"""CUS-6: a merge goes through the archive's action, keeps ownership and the claim history, and never
moves a protected customer (live 报备 claim) to someone else. Real claims, no fakes."""

from datetime import timedelta

import pytest

from kefu.claims import actions as claims
from kefu.claims import queries as claim_queries
from kefu.claims.models import Claim
from kefu.core import clock
from kefu.core.actions import create_token
from kefu.core.actor import Actor
from kefu.core.errors import Invalid
from kefu.core.models import AuditEvent
from kefu.customers.governance import actions, queries
from kefu.customers.governance.models import RequestState
from kefu.customers.models import Customer, CustomerChange
from kefu.customers.queries import archive as archive_queries

pytestmark = pytest.mark.django_db
API = "/api/v1/customers/governance"


def _bearer(who) -> dict:
    _, secret = create_token(Actor(user=who.user, origin="test"), user=who.user, name="t")
    return {"Authorization": f"Bearer {secret}"}


def _register(demo, actor_of, who, name, phone):
    return claims.register(
        actor_of(demo[who]),
        customer={"name": name, "phone": phone, "address": "杭州市西湖区文三路 100 号", "company": "甲公司"},
    )


def _merge(demo, actor_of, survivor, duplicate, *, requester="admin", approver="wangfang"):
    request = actions.request_merge(actor_of(demo[requester]), survivor, duplicate, reason="同一客户重复录入")
    _approval, steps = queries.approval_steps(request)
    actions.decide(actor_of(demo[approver]), steps[0].pk, "approve")
    request.refresh_from_db()
    return request


def test_cus6_merge_keeps_claim_history(demo, actor_of, make_customer, frozen):
    # CUS-6: the claims stay on the retired duplicate; the survivor's timeline, page, API and claim
    # history show them; the survivor keeps its owner
    claim = _register(demo, actor_of, "huanglei", "张三", "13855556666")
    duplicate = claim.customer
    survivor = make_customer("张三", owner=demo["huanglei"], company="甲公司", audience="B")
    request = _merge(demo, actor_of, survivor, duplicate)
    assert request.state == RequestState.DONE

    duplicate.refresh_from_db()
    survivor.refresh_from_db()
    claim.refresh_from_db()
    assert duplicate.merged_into_id == survivor.pk and duplicate.destroyed_at is not None
    assert claim.customer_id == duplicate.pk  # kept where it was made
    assert survivor.owner == demo["huanglei"]  # ownership kept
    assert survivor.phone == "13855556666"  # filled from the duplicate, with field history (CUS-4)
    assert CustomerChange.objects.filter(customer=survivor, field="phone").exists()
    assert AuditEvent.objects.filter(action="customer.merge", object_id=str(survivor.pk)).exists()
    assert AuditEvent.objects.filter(action="customer.merged_into", object_id=str(duplicate.pk)).exists()

    huanglei = actor_of(demo["huanglei"])
    assert list(claim_queries.claim_history(huanglei, survivor)) == [claim]
    entries = archive_queries.timeline(huanglei, survivor)
    assert any(e.link == f"/claims/{claim.pk}/" and f"#{duplicate.pk}" in e.title for e in entries)

    # the customer page (timeline) of the survivor links the claim
    from django.test import Client

    client = Client()
    client.force_login(demo["wangfang"].user)
    page = client.get(f"/customers/{survivor.pk}/").content.decode()
    assert f"/claims/{claim.pk}/" in page
    history = client.get(f"/customers/governance/customers/{survivor.pk}/claims/")
    assert history.status_code == 200 and f"/claims/{claim.pk}/" in history.content.decode()
    assert client.get(f"/customers/governance/customers/{duplicate.pk}/claims/").status_code == 404

    api = client.get(f"{API}/customers/{survivor.pk}/claim-history", headers=_bearer(demo["wangfang"]))
    assert api.status_code == 200
    body = api.json()
    assert body["merged_customer_ids"] == [duplicate.pk]
    assert [(c["id"], c["merged"], c["customer_id"]) for c in body["claims"]] == [
        (claim.pk, True, duplicate.pk)
    ]
    outsider = client.get(f"{API}/customers/{survivor.pk}/claim-history", headers=_bearer(demo["gaofeng"]))
    assert outsider.status_code == 404


def test_cus6_claim_history_follows_merges_of_merges(demo, actor_of, make_customer, frozen):
    # CUS-6: A merged into B, B merged into C: C's history has A's claim
    claim = _register(demo, actor_of, "huanglei", "李四", "13855557777")
    first = claim.customer
    middle = make_customer("李四", owner=demo["huanglei"], company="甲公司", audience="B")
    last = make_customer("李四", owner=demo["huanglei"], company="甲公司", audience="B")
    _merge(demo, actor_of, middle, first)
    _merge(demo, actor_of, last, Customer.objects.get(pk=middle.pk))
    assert queries.merged_ids(last) == [middle.pk, first.pk]
    assert list(claim_queries.claim_history(actor_of(demo["huanglei"]), last)) == [claim]


def test_cus6_merge_never_moves_a_protected_customer(demo, actor_of, make_customer, frozen):
    # CUS-6: "a merge must never be a way to take a customer" — refused when asked, and refused when
    # carried out if the claim appeared during the approval; ownership and the claim stay put
    survivor = make_customer("王五", owner=demo["zhaomin"], company="甲公司", audience="B")
    duplicate = make_customer("王五", company="甲公司", audience="B", phone="13855558888")
    request = actions.request_merge(actor_of(demo["admin"]), survivor, duplicate, reason="重复")
    claim = _register(demo, actor_of, "huanglei", "王五", "13855558888")  # huanglei registers it meanwhile
    assert claim.customer_id == duplicate.pk
    _approval, steps = queries.approval_steps(request)
    with pytest.raises(Invalid) as refused:
        actions.decide(actor_of(demo["wangfang"]), steps[0].pk, "approve")
    assert refused.value.code == "CUS-6.protected"
    duplicate.refresh_from_db()
    request.refresh_from_db()
    assert duplicate.destroyed_at is None and duplicate.merged_into_id is None
    assert request.state == RequestState.PENDING  # the decision was undone with the refusal
    assert Claim.objects.get(pk=claim.pk).owner == demo["huanglei"]
    with pytest.raises(Invalid):  # and a fresh request is refused outright
        actions.request_merge(actor_of(demo["admin"]), survivor, duplicate, reason="重复")


def test_cus6_protection_follows_the_merged_customer(demo, actor_of, make_customer, frozen):
    # CUS-6: once merged, the live claim on the retired duplicate still protects the survivor: merging
    # the survivor into another owner's customer is refused
    claim = _register(demo, actor_of, "huanglei", "赵六", "13855559999")
    mine = make_customer("赵六", owner=demo["huanglei"], company="甲公司", audience="B")
    _merge(demo, actor_of, mine, claim.customer)
    other = make_customer("赵六", owner=demo["zhaomin"], company="甲公司", audience="B")
    with pytest.raises(Invalid) as refused:
        actions.request_merge(actor_of(demo["admin"]), other, Customer.objects.get(pk=mine.pk), reason="重复")
    assert refused.value.code == "CUS-6.protected"
    clock.advance(timedelta(days=30))  # the 7-day protection is over: the merge is allowed again
    assert actions.request_merge(
        actor_of(demo["admin"]), other, Customer.objects.get(pk=mine.pk), reason="重复"
    ).state == (RequestState.PENDING)
