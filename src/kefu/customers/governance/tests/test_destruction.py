"""SEC-8 destruction after three sequential approvals; SEC-7 retention minimum."""

from datetime import timedelta

import pytest
from django.db import connection

from kefu.core import clock
from kefu.core.errors import Conflict, Invalid
from kefu.core.models import AuditEvent
from kefu.customers.governance import actions, queries
from kefu.customers.governance.models import DestructionLog, DestructionRequest, RequestState
from kefu.customers.models import Contact, Customer

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
ID = "91310000MA1FL0XX7Q"


def _steps(request):
    _approval, steps = queries.approval_steps(request)
    return steps


def test_destruction_needs_three_approvals_in_order_then_wipes_and_logs(demo, actor_of, make_customer):
    # SEC-8: 客户信息主管 → 客服部经理 → 总经理, then a permanent destruction log
    customer = make_customer("待销毁客户", phone=PHONE, id_number=ID, address="上海市某路 1 号", audience="B")
    Contact.objects.create(customer=customer, name="联系人乙", phone="13700000000")
    request = actions.request_destruction(actor_of(demo["admin"]), customer, reason="客户已注销多年")
    steps = _steps(request)
    assert [s.name for s in steps] == ["info_supervisor", "cs_manager", "general_manager"]
    assert {u.username for u in steps[0].approvers.all()} == {"songyu"}
    assert {u.username for u in steps[1].approvers.all()} == {"wangfang"}
    assert {u.username for u in steps[2].approvers.all()} == {"zhangwei"}

    # out of order: the manager cannot decide before the information supervisor
    with pytest.raises(Conflict):
        actions.decide(actor_of(demo["wangfang"]), steps[1].pk, "approve")
    actions.decide(actor_of(demo["songyu"]), steps[0].pk, "approve")
    actions.decide(actor_of(demo["wangfang"]), steps[1].pk, "approve")
    customer.refresh_from_db()
    assert customer.destroyed_at is None  # two approvals are not enough
    assert not DestructionLog.objects.exists()
    actions.decide(actor_of(demo["zhangwei"]), steps[2].pk, "approve")

    request.refresh_from_db()
    assert request.state == RequestState.DONE
    log = DestructionLog.objects.get(request=request)
    assert [a["by"] for a in log.approvals] == ["songyu", "wangfang", "zhangwei"]
    assert log.customer_ref == f"客户 #{customer.pk}"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, phone, phone_index, id_number, id_index, address, destroyed_at "
            "FROM customers_customer WHERE id = %s",
            [customer.pk],
        )
        name, phone, phone_index, id_number, id_index, address, destroyed_at = cursor.fetchone()
        cursor.execute("SELECT name, phone FROM customers_contact WHERE customer_id = %s", [customer.pk])
        contact_name, contact_phone = cursor.fetchone()
        cursor.execute("SELECT * FROM customer_governance_destructionlog WHERE id = %s", [log.pk])
        log_row = " ".join(str(v) for v in cursor.fetchone())
    assert name == f"已销毁客户 #{customer.pk}"
    assert (phone, phone_index, id_number, id_index, address) == ("", "", "", "", "")
    assert destroyed_at is not None
    assert (contact_name, contact_phone) == ("已销毁", "")
    for secret in ("待销毁客户", PHONE, ID, "上海市", "联系人乙"):
        assert secret not in log_row
    assert AuditEvent.objects.filter(action="customer.destroy", object_id=str(customer.pk)).exists()
    assert not queries.customers(actor_of(demo["admin"])).filter(pk=customer.pk).exists()


def test_rejection_stops_destruction(demo, actor_of, make_customer):
    # SEC-8: any step may refuse; nothing is destroyed
    customer = make_customer("客户丙", audience="C", phone=PHONE)
    request = actions.request_destruction(actor_of(demo["admin"]), customer, reason="过期")
    steps = _steps(request)
    actions.decide(actor_of(demo["songyu"]), steps[0].pk, "reject", reason="仍有往来")
    request.refresh_from_db()
    customer.refresh_from_db()
    assert request.state == RequestState.REJECTED
    assert customer.phone == PHONE and customer.destroyed_at is None
    assert not DestructionLog.objects.exists()


def test_category_a_is_never_destroyed(demo, actor_of, make_customer):
    # SEC-8: "一经登陆,不得删除"
    customer = make_customer("A类客户", audience="A")
    with pytest.raises(Invalid) as refused:
        actions.request_destruction(actor_of(demo["admin"]), customer, reason="过期")
    assert refused.value.code == "SEC-8.category_a"
    assert not DestructionRequest.objects.exists()


def test_retention_minimum_refuses_then_allows_with_the_clock(demo, actor_of, make_customer):
    # SEC-7: records kept at least retention.min_months (3 months) after the last touch
    customer = make_customer("新客户", audience="B", age_days=40)
    with pytest.raises(Invalid) as refused:
        actions.request_destruction(actor_of(demo["admin"]), customer, reason="误录")
    assert refused.value.code == "SEC-7.retention"
    assert "SEC-7" in refused.value.zh and "SEC-7" in refused.value.en
    clock.advance(timedelta(days=60))
    request = actions.request_destruction(actor_of(demo["admin"]), customer, reason="误录")
    assert request.state == RequestState.PENDING


def test_retention_is_checked_again_when_carrying_out(demo, actor_of, make_customer):
    # SEC-7: a customer touched while the approval ran is not destroyed
    customer = make_customer("客户丁", audience="B")
    request = actions.request_destruction(actor_of(demo["admin"]), customer, reason="过期")
    steps = _steps(request)
    actions.decide(actor_of(demo["songyu"]), steps[0].pk, "approve")
    actions.decide(actor_of(demo["wangfang"]), steps[1].pk, "approve")
    Customer.objects.filter(pk=customer.pk).update(updated_at=clock.now())
    with pytest.raises(Invalid) as refused:
        actions.decide(actor_of(demo["zhangwei"]), steps[2].pk, "approve")
    assert refused.value.code == "SEC-7.retention"
    customer.refresh_from_db()
    assert customer.destroyed_at is None


def test_requester_without_rights_gets_404_or_403(demo, actor_of, make_customer):
    customer = make_customer("客户戊", audience="B")
    from kefu.core.errors import NotFound, PermissionDenied

    with pytest.raises((NotFound, PermissionDenied)):
        actions.request_destruction(actor_of(demo["sunli"]), customer, reason="过期")


def test_approved_on_the_generic_approvals_page_is_carried_out_by_the_sweep(demo, actor_of, make_customer):
    # SEC-8: the engine's own approval page decides too; the worker's sweep then destroys and logs
    from kefu.engine.workflow.actions import verdicts

    customer = make_customer("客户己", audience="B", phone=PHONE)
    other = make_customer("客户庚", audience="B", phone="13911112222")
    done = actions.request_destruction(actor_of(demo["admin"]), customer, reason="过期")
    refused = actions.request_destruction(actor_of(demo["admin"]), other, reason="过期")
    for request in (done, refused):
        steps = _steps(request)
        for who, step in zip(("songyu", "wangfang", "zhangwei"), steps, strict=True):
            if request is refused and who == "zhangwei":
                Customer.objects.filter(pk=other.pk).update(updated_at=clock.now())  # touched: SEC-7
            verdicts.decide(actor_of(demo[who]), step.pk, "approve")
    assert actions.carry_out_approved() == 1
    customer.refresh_from_db()
    other.refresh_from_db()
    assert customer.destroyed_at is not None and customer.phone == ""
    assert other.destroyed_at is None and other.phone == "13911112222"
    done.refresh_from_db()
    refused.refresh_from_db()
    assert (done.state, refused.state) == (RequestState.DONE, RequestState.REJECTED)
    assert AuditEvent.objects.filter(action="customer_governance.destructionrequest.refused").exists()
    assert actions.carry_out_approved() == 0


def test_interaction_records_hold_retention_and_are_wiped_with_the_customer(demo, actor_of, make_customer):
    # SEC-7: a recent contact record keeps the customer; SEC-8: history and notes are wiped with it
    from kefu.customers import actions as archive

    customer = make_customer("历史客户", audience="B", phone=PHONE)
    wangfang = actor_of(demo["wangfang"])
    archive.update_customer(wangfang, customer, name="历史客户新名")
    archive.record_contact(wangfang, Customer.objects.get(pk=customer.pk), "电话回访：客户住址北京路 8 号")
    Customer.objects.filter(pk=customer.pk).update(updated_at=clock.now() - timedelta(days=365))
    with pytest.raises(Invalid) as refused:
        actions.request_destruction(
            actor_of(demo["admin"]), Customer.objects.get(pk=customer.pk), reason="过期"
        )
    assert refused.value.code == "SEC-7.retention"
    clock.advance(timedelta(days=100))
    request = actions.request_destruction(
        actor_of(demo["admin"]), Customer.objects.get(pk=customer.pk), reason="过期"
    )
    for who, step in zip(("songyu", "wangfang", "zhangwei"), _steps(request), strict=True):
        actions.decide(actor_of(demo[who]), step.pk, "approve")
    with connection.cursor() as cursor:
        cursor.execute("SELECT old, new FROM customers_customerchange WHERE customer_id = %s", [customer.pk])
        history = " ".join(v for row in cursor.fetchall() for v in row)
        cursor.execute("SELECT note FROM customers_contactrecord WHERE customer_id = %s", [customer.pk])
        notes = " ".join(row[0] for row in cursor.fetchall())
    assert "历史客户" not in history and "北京路" not in notes
