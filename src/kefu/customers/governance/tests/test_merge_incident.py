"""CUS-6 duplicates and merges; SEC-9 security incident register."""

import types
from datetime import timedelta

import pytest

from kefu.core import clock
from kefu.core.errors import Invalid, PermissionDenied
from kefu.customers.governance import actions, queries
from kefu.customers.governance import claims as governance_claims
from kefu.customers.governance.models import RequestState, SecurityIncident
from kefu.customers.models import Contact, Customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_claims(monkeypatch):
    monkeypatch.setitem(governance_claims._PROVIDED, "live_claim_in_merge_group", lambda customer: None)


@pytest.fixture
def claimed_by(monkeypatch):
    """claimed_by({customer_pk: employee}) — fake live claims from the claims app."""

    def install(claims):
        monkeypatch.setitem(
            governance_claims._PROVIDED,
            "live_claim_in_merge_group",
            lambda customer: (
                types.SimpleNamespace(owner_id=claims[customer.pk].pk) if customer.pk in claims else None
            ),
        )

    return install


def test_duplicates_on_phone_name_company_and_credit_code(demo, actor_of, make_customer):
    # CUS-6: normalised phone (blind index), name + company, credit code
    a = make_customer("张三", phone="13800000011", company="甲公司")
    b = make_customer("张三丰", phone="+86 138-0000-0011")
    c = make_customer("张三", company="甲公司")
    d = make_customer("乙公司", id_number="91330000AA1111111X")
    e = make_customer("乙公司（分）", id_number="91330000aa1111111x ")
    make_customer("无关客户", phone="13800000099")
    found = {other.pk: why for other, why in queries.duplicates_of(actor_of(demo["wangfang"]), a)}
    assert found == {b.pk: "phone", c.pk: "name_company"}
    assert [o.pk for o, _ in queries.duplicates_of(actor_of(demo["wangfang"]), d)] == [e.pk]
    groups = queries.duplicate_groups(actor_of(demo["wangfang"]))
    assert {g["reason"] for g in groups} == {"phone", "credit_code", "name_company"}


def test_merge_by_approval_keeps_the_owner_and_moves_contacts(demo, actor_of, make_customer, no_claims):
    # CUS-6: merge only by approval, keeping ownership; the duplicate is retired, its contacts kept
    survivor = make_customer("张三", owner=demo["zhaomin"], company="甲公司")
    duplicate = make_customer("张三", phone="13800000011", company="甲公司")
    Contact.objects.create(customer=duplicate, name="秘书")
    request = actions.request_merge(actor_of(demo["lina"]), survivor, duplicate, reason="同一客户重复录入")
    _approval, steps = queries.approval_steps(request)
    assert {u.username for u in steps[0].approvers.all()} >= {"wangfang"}
    assert Customer.objects.get(pk=duplicate.pk).destroyed_at is None  # nothing before approval
    actions.decide(actor_of(demo["wangfang"]), steps[0].pk, "approve")
    request.refresh_from_db()
    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert request.state == RequestState.DONE
    assert survivor.owner == demo["zhaomin"]
    assert survivor.phone == "13800000011"
    assert duplicate.destroyed_at is not None and duplicate.phone == ""
    assert list(survivor.contacts.values_list("name", flat=True)) == ["秘书"]


def test_merge_that_would_move_a_protected_customer_is_refused(demo, actor_of, make_customer, claimed_by):
    # CUS-6: "a merge must never be a way to take a customer"
    survivor = make_customer("张三", owner=demo["zhaomin"], company="甲公司")
    duplicate = make_customer("张三", owner=demo["huanglei"], company="甲公司")
    claimed_by({duplicate.pk: demo["huanglei"]})
    with pytest.raises(Invalid) as refused:
        actions.request_merge(actor_of(demo["wangfang"]), survivor, duplicate, reason="重复")
    assert refused.value.code == "CUS-6.protected"
    assert "CUS-6" in refused.value.zh and "CUS-6" in refused.value.en
    # merging the other way keeps the protected owner: allowed
    request = actions.request_merge(actor_of(demo["wangfang"]), duplicate, survivor, reason="重复")
    assert request.state == RequestState.PENDING


def test_claim_taken_during_approval_refuses_the_merge(demo, actor_of, make_customer, claimed_by):
    # CUS-6: checked again when carried out
    survivor = make_customer("张三", owner=demo["zhaomin"], company="甲公司")
    duplicate = make_customer("张三", company="甲公司")
    claimed_by({})
    request = actions.request_merge(actor_of(demo["lina"]), survivor, duplicate, reason="重复")
    claimed_by({duplicate.pk: demo["huanglei"]})
    _approval, steps = queries.approval_steps(request)
    with pytest.raises(Invalid):
        actions.decide(actor_of(demo["wangfang"]), steps[0].pk, "approve")
    duplicate.refresh_from_db()
    assert duplicate.destroyed_at is None


def test_incident_records_the_person_and_the_direct_superior(demo, actor_of, make_customer):
    # SEC-9: "直接上级承担领导责任"
    customer = make_customer("泄露客户")
    incident = actions.record_incident(
        actor_of(demo["songyu"]),
        kind="leak",
        occurred_at=clock.now() - timedelta(hours=2),
        description="客户名单被拍照外传",
        person=demo["zhaomin"],
        customers=[customer],
    )
    assert incident.person == demo["zhaomin"]
    assert list(incident.superiors.all()) == [demo["lina"]]
    assert list(incident.customers.all()) == [customer]
    assert queries.incident(actor_of(demo["majun"]), incident.pk) == incident
    with pytest.raises(PermissionDenied):
        actions.record_incident(
            actor_of(demo["zhaomin"]),
            kind="loss",
            occurred_at=clock.now(),
            description="x",
            person=demo["lina"],
        )
    assert SecurityIncident.objects.count() == 1


def test_real_live_claim_blocks_a_merge_that_moves_the_customer(demo, actor_of, make_customer):
    # CUS-6 with the claims app: huanglei's 报备 protects the customer; merging it into zhaomin's is refused
    from kefu.claims import actions as claims

    claim = claims.register(
        actor_of(demo["huanglei"]),
        customer={
            "name": "张三",
            "phone": "13855556666",
            "address": "杭州市西湖区文三路 100 号",
            "company": "甲公司",
        },
    )
    protected = claim.customer
    survivor = make_customer("张三", owner=demo["zhaomin"], company="甲公司")
    with pytest.raises(Invalid) as refused:
        actions.request_merge(actor_of(demo["wangfang"]), survivor, protected, reason="重复")
    assert refused.value.code == "CUS-6.protected"
    protected.refresh_from_db()
    assert protected.owner == demo["huanglei"] and protected.destroyed_at is None
