"""CUS-2, CUS-3, CUS-4, SEC-3 declassification, CUS-7 assignment and CUS-9 timeline."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection

from kefu.core import clock
from kefu.core.decisions import for_object
from kefu.core.errors import DomainError
from kefu.customers import actions, rules
from kefu.customers.models import (
    AssignmentState,
    ChangeRequestState,
    Confidentiality,
    Customer,
    CustomerChange,
    GradeStandard,
)
from kefu.customers.queries import archive as queries
from kefu.customers.queries import assignment, changes
from kefu.engine.notifications.models import Notification
from kefu.engine.workflow.actions import deadlines
from kefu.engine.workflow.models import Timer, TimerState
from kefu.org.models import Employee

pytestmark = pytest.mark.django_db


def _code(call) -> str:
    with pytest.raises(DomainError) as error:
        call()
    return error.value.code


# ---------------------------------------------------------------- CUS-2


def test_cus2_tier_owner_rule(make_customer, demo):
    # CUS-2: 战略 → group senior management
    assert _code(lambda: make_customer(tier="strategic", owner=demo["wangfang"])) == "CUS-2.owner_rule"
    assert _code(lambda: make_customer(tier="strategic")) == "CUS-2.owner_rule"
    assert make_customer(tier="strategic", owner=demo["liuyang"]).owner == demo["liuyang"]
    # 重点 → subsidiary head or a responsible department, of the customer's own subsidiary
    assert make_customer(tier="key", owner=demo["lina"]).owner == demo["lina"]
    assert _code(lambda: make_customer(tier="key", owner=demo["huanglei"])) == "CUS-2.owner_rule"
    assert _code(lambda: make_customer(tier="key", owner=demo["gaofeng"])) == "CUS-2.owner_rule"
    # 普通 → sales / account manager (customer.manage)
    assert make_customer(owner=demo["huanglei"]).owner == demo["huanglei"]
    assert _code(lambda: make_customer(owner=demo["guoqing"])) == "CUS-2.owner_rule"


def test_cus2_audience_d_needs_a_confirmed_employee(make_customer, demo):
    # CUS-2: D 员工家属 — immediate family of a 转正 employee only
    assert _code(lambda: make_customer(audience="D")) == "CUS-2.audience_d"
    probation = demo["sunli"]
    Employee.objects.filter(pk=probation.pk).update(confirmed_on=None)
    probation.refresh_from_db()
    assert _code(lambda: make_customer(audience="D", family_of=probation)) == "CUS-2.audience_d"
    assert _code(lambda: make_customer(audience="B", family_of=demo["zhaomin"])) == "CUS-2.audience_d"
    assert make_customer(audience="D", family_of=demo["zhaomin"]).family_of == demo["zhaomin"]


def test_sec8_audience_a_can_never_be_deleted(make_customer, demo):
    # SEC-8 / CUS-2: category A is never deleted
    assert not actions.can_be_deleted(make_customer(audience="A"))
    assert actions.can_be_deleted(make_customer(audience="B"))


def test_cus2_grade_by_configurable_standard(make_customer, demo, actor_of):
    # CUS-2: grade A/B/C per the configured 客户分类管理标准
    assert make_customer(annual_amount="2000000").grade == "A"
    c = make_customer(annual_amount="50000")
    assert c.grade == "C"
    actions.update_customer(actor_of(demo["wangfang"]), c, annual_amount="150000")
    assert Customer.objects.get(pk=c.pk).grade == "B"
    assert any(d.rule == "CUS-2" and d.outcome == "客户等级 B / grade B" for d in for_object(c))
    GradeStandard.objects.filter(grade="B").update(min_annual_amount=Decimal("200000"))
    assert make_customer(annual_amount="150000").grade == "C"


def test_cus2_dimensions_stay_independent(make_customer, demo, actor_of):
    # CUS-2: stage and at-risk, credit class within the configured number of classes
    c = make_customer(stage="recovery", at_risk=True, credit_class=4, novelty="important", audience="B")
    assert (c.stage, c.at_risk, c.credit_class, c.novelty, c.audience, c.tier) == (
        "recovery",
        True,
        4,
        "important",
        "B",
        "normal",
    )
    assert _code(lambda: make_customer(credit_class=5)) == "CUS-2.credit_class"


# ---------------------------------------------------------------- SEC-3


def test_sec3_auto_declassify_when_the_period_passes(make_customer, frozen):
    # SEC-3: at expiry of 保密期限 the level drops to none, with a decision record
    c = make_customer(confidential_until=date(2026, 3, 10))
    keep = make_customer(confidential_until=date(2026, 12, 31))
    assert actions.declassify_due() == 0
    clock.advance(timedelta(days=9))  # 2026-03-11 in Shanghai
    assert actions.declassify_due() == 1
    c.refresh_from_db()
    keep.refresh_from_db()
    assert c.confidentiality == Confidentiality.NONE and keep.confidentiality == Confidentiality.SECRET
    decision = [d for d in for_object(c) if d.rule == "SEC-3" and d.outcome.endswith("/ declassified")]
    assert decision and decision[0].inputs["confidential_until"] == "2026-03-10"
    assert actions.declassify_due() == 0


# ---------------------------------------------------------------- CUS-3


def test_cus3_completeness_and_archive_complete(make_customer, demo, actor_of):
    # CUS-3: an organisation must have a complete basic archive before it is marked complete
    manager = actor_of(demo["wangfang"])
    org = make_customer(kind="organisation", name="杭州云栖科技有限公司", phone="057188880000")
    assert 0 < rules.completeness(org) < 100
    assert "key_person" in rules.missing_fields(org)
    assert _code(lambda: actions.mark_archive_complete(manager, org)) == "CUS-3.incomplete"
    actions.update_customer(
        manager,
        org,
        id_number="91330106MA2XXXXX1A",
        address="杭州市西湖区云栖小镇 1 号",
        region="西湖区",
        industry="软件",
        size="200 人",
        founded_on=date(2015, 5, 1),
        qualifications="高新技术企业",
        needs="办公楼",
        source="展会",
    )
    assert rules.completeness(org) < 100
    actions.add_contact(manager, org, name="周总", position="总经理", phone="13912340000")
    assert rules.completeness(org) == 100
    assert actions.mark_archive_complete(manager, org).archived_complete_at is not None


# ---------------------------------------------------------------- CUS-4


def test_cus4_sales_changes_go_through_the_info_officer(make_customer, demo, actor_of):
    # CUS-4: sales proposes, the info officer verifies; field history kept, encrypted as fingerprints
    sales, officer = actor_of(demo["huanglei"]), actor_of(demo["songyu"])  # 客户信息主管, whole subsidiary
    c = make_customer(by="huanglei", phone="13911112222", needs="住宅")
    assert c.owner == demo["huanglei"]
    assert _code(lambda: actions.update_customer(sales, c, needs="商铺")) == "CUS-4.change_request_required"
    request = actions.request_change(sales, c, {"needs": "商铺", "phone": "13933334444"}, reason="客户换号")
    assert Customer.objects.get(pk=c.pk).needs == "住宅"
    with connection.cursor() as cursor:  # SEC-1: the proposal is stored encrypted
        cursor.execute("SELECT payload FROM customers_changerequest WHERE id = %s", [request.pk])
        assert "13933334444" not in cursor.fetchone()[0]
    assert list(changes.change_requests(officer)) == [request]
    assert _code(lambda: actions.approve_change(sales, request)) == "forbidden"
    actions.approve_change(officer, request)
    fresh = Customer.objects.get(pk=c.pk)
    assert fresh.needs == "商铺" and fresh.phone == "13933334444"
    assert queries.find_by_phone("13933334444") == fresh
    history = {h.field: h for h in CustomerChange.objects.filter(customer=c)}
    assert history["needs"].old == "住宅" and history["needs"].new == "商铺"
    assert history["phone"].new.startswith("fp:") and "1393" not in history["phone"].new
    assert history["phone"].request == request
    assert _code(lambda: actions.approve_change(officer, request)) == "CUS-4.decided"
    second = actions.request_change(sales, c, {"stage": "maintenance"})
    assert _code(lambda: actions.reject_change(officer, second, "")) == "CUS-4.reason"
    assert actions.reject_change(officer, second, "资料不实").state == ChangeRequestState.REJECTED
    assert Customer.objects.get(pk=c.pk).stage == "expansion"


# ---------------------------------------------------------------- CUS-7


def test_cus7_balanced_assignment(make_customer, demo, actor_of):
    # CUS-7: the active specialist of the subsidiary with the fewest active customers
    manager = actor_of(demo["wangfang"])
    picked = []
    for _ in range(4):
        customer = make_customer()
        loads = {e.user.username: e.load for e in assignment.candidates(customer)}
        assert set(loads) == {"zhaomin", "huanglei"}  # realty agents and sales only
        chosen = actions.assign(manager, customer).specialist.user.username
        assert loads[chosen] == min(loads.values())
        picked.append(chosen)
    after = {e.user.username: e.load for e in assignment.candidates(make_customer())}
    assert abs(after["zhaomin"] - after["huanglei"]) <= max(1, abs(loads["zhaomin"] - loads["huanglei"]))
    assert _code(lambda: actions.assign(manager, make_customer(), demo["lvxin"])) == "CUS-7.not_specialist"


def test_cus7_first_contact_timer_breach_tells_the_supervisor(make_customer, demo, actor_of, frozen):
    # CUS-7: contact within one week of assignment, else the specialist's supervisor is told
    manager = actor_of(demo["wangfang"])
    late = actions.assign(manager, make_customer(name="迟到客户"), demo["zhaomin"])
    on_time = actions.assign(manager, make_customer(name="准时客户"), demo["zhaomin"])
    assert late.assignment_state == AssignmentState.ASSIGNED
    clock.advance(timedelta(days=3))
    actions.record_contact(actor_of(demo["wangfang"]), on_time, "电话沟通购房需求")
    assert Customer.objects.get(pk=on_time.pk).assignment_state == AssignmentState.CONTACTED
    clock.advance(timedelta(days=4, minutes=1))
    deadlines.sweep()
    states = dict(
        Timer.objects.filter(
            name="customers.first_contact", object_id__in=[str(late.pk), str(on_time.pk)]
        ).values_list("object_id", "state")
    )
    assert states == {str(late.pk): TimerState.BREACHED, str(on_time.pk): TimerState.DONE}
    told = Notification.objects.filter(recipient=demo["lina"].user, subject__contains="迟到客户")
    assert told.exists()
    assert any(d.rule == "CUS-7" and "超时" in d.outcome for d in for_object(late))


# ---------------------------------------------------------------- CUS-9


def test_cus9_timeline_merges_sources_and_is_extensible(make_customer, demo, actor_of, frozen):
    # CUS-9: changes, contacts, audit events and decisions in one view; other apps register sources
    from kefu.customers import timeline

    manager = actor_of(demo["wangfang"])
    c = make_customer()
    clock.advance(timedelta(hours=1))
    actions.update_customer(manager, c, needs="车位")
    clock.advance(timedelta(hours=1))
    actions.record_contact(manager, c, "上门拜访")
    timeline.register(
        "test.claims", lambda actor, customer: [timeline.Entry(at=clock.now(), kind="claim", title="报备")]
    )
    try:
        entries = queries.timeline(manager, c)
    finally:
        timeline._SOURCES.pop("test.claims")
    kinds = [e.kind for e in entries]
    assert {"change", "contact", "audit", "decision", "claim"} <= set(kinds)
    assert entries == sorted(entries, key=lambda e: e.at, reverse=True)
